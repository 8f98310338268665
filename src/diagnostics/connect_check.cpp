/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "connect_check.h"

#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

#include <memory>
#include <string_view>

#include "diagnostic_messages.h"

namespace plinth {

namespace {

using Clock = std::chrono::steady_clock;

class Fd
{
public:
	explicit Fd(int fd) : fd_(fd) {}
	~Fd()
	{
		if (fd_ >= 0)
			close(fd_);
	}
	Fd(const Fd &) = delete;
	Fd &operator=(const Fd &) = delete;

	int get() const { return fd_; }

private:
	int fd_;
};

/* Waits for events until the deadline; false when it passed first. */
bool waitFor(int fd, short events, Clock::time_point deadline)
{
	for (;;) {
		const auto left =
			std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now());
		if (left.count() <= 0)
			return false;

		pollfd pfd{fd, events, 0};
		const int ready = poll(&pfd, 1, static_cast<int>(left.count()));
		if (ready > 0)
			return true;
		if (ready < 0 && errno != EINTR)
			return false;
	}
}

bool connectTo(const addrinfo &address, Clock::time_point deadline, std::string_view input)
{
	Fd fd(socket(address.ai_family, address.ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
		     address.ai_protocol));
	if (fd.get() < 0)
		return false;

	if (connect(fd.get(), address.ai_addr, address.ai_addrlen) < 0) {
		if (errno != EINPROGRESS)
			return false;
		int error = 0;
		socklen_t length = sizeof(error);
		if (!waitFor(fd.get(), POLLOUT, deadline) ||
		    getsockopt(fd.get(), SOL_SOCKET, SO_ERROR, &error, &length) < 0 || error != 0)
			return false;
	}

	while (!input.empty()) {
		const ssize_t sent = send(fd.get(), input.data(), input.size(), MSG_NOSIGNAL);
		if (sent >= 0) {
			input.remove_prefix(static_cast<std::size_t>(sent));
			continue;
		}
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			return false;
		if (!waitFor(fd.get(), POLLOUT, deadline))
			return false;
	}

	return true;
}

bool canConnect(const ConnectCheckSpec &check, std::chrono::milliseconds timeout)
{
	const Clock::time_point deadline = Clock::now() + timeout;

	addrinfo hints{};
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICSERV;
	addrinfo *found = nullptr;
	const std::string service = std::to_string(check.port);
	const int status = getaddrinfo(check.host.c_str(), service.c_str(), &hints, &found);
	if (status != 0) {
		spdlog::debug("connect check: cannot resolve {}: {}", check.host,
			      gai_strerror(status));
		return false;
	}
	std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> addresses(found, freeaddrinfo);

	for (const addrinfo *address = addresses.get(); address; address = address->ai_next) {
		if (connectTo(*address, deadline, check.input))
			return true;
	}
	return false;
}

} /* namespace */

DiagnosticCheck runConnectCheck(const ConnectCheckSpec &check, const std::string &componentId,
				std::chrono::milliseconds timeout, const Translator &translator)
{
	const bool connected = canConnect(check, timeout);
	const std::string target = check.host + "-" + std::to_string(check.port);

	return makeCheck(
		check.negate ? "daemon-netcat-negate-" + target : "daemon-netcat-" + target,
		componentId, connected != check.negate ? CheckResult::Passed : CheckResult::Failed,
		check.negate ? kDiagnosticCannotConnect : kDiagnosticConnect,
		{{"host", check.host},
		 {"port", std::int64_t{check.port}},
		 {"negate", check.negate}},
		translator);
}

} /* namespace plinth */

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "connect_check.h"

#include <errno.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <memory>
#include <string_view>
#include <utility>

#include "diagnostic_messages.h"

namespace plinth {

namespace {

using Clock = std::chrono::steady_clock;

/* One target's connection: the address being tried, and what is left to write. */
class Attempt
{
public:
	explicit Attempt(const ConnectTarget &target) : target_(target), input_(target.input)
	{
		tryNextAddress();
	}
	~Attempt() { closeFd(); }
	Attempt(const Attempt &) = delete;
	Attempt &operator=(const Attempt &) = delete;

	bool running() const { return fd_ >= 0; }
	bool connected() const { return connected_; }
	int fd() const { return fd_; }
	short events() const { return POLLOUT; }

	/* The socket is writable, connected or failed. */
	void step()
	{
		if (connecting_) {
			int error = 0;
			socklen_t length = sizeof(error);
			if (getsockopt(fd_, SOL_SOCKET, SO_ERROR, &error, &length) < 0 ||
			    error != 0) {
				tryNextAddress();
				return;
			}
			connecting_ = false;
		}
		write();
	}

private:
	void closeFd()
	{
		if (fd_ >= 0)
			close(fd_);
		fd_ = -1;
	}

	void tryNextAddress()
	{
		closeFd();
		input_ = target_.input;
		while (next_ < target_.addresses.size()) {
			const SocketAddress &address = target_.addresses[next_++];
			fd_ = socket(address.family, address.type | SOCK_NONBLOCK | SOCK_CLOEXEC,
				     address.protocol);
			if (fd_ < 0)
				continue;
			if (connect(fd_, reinterpret_cast<const sockaddr *>(&address.storage),
				    address.length) == 0) {
				connecting_ = false;
				write();
				return;
			}
			if (errno == EINPROGRESS) {
				connecting_ = true;
				return;
			}
			closeFd();
		}
	}

	void write()
	{
		while (!input_.empty()) {
			const ssize_t sent = send(fd_, input_.data(), input_.size(), MSG_NOSIGNAL);
			if (sent >= 0) {
				input_.remove_prefix(static_cast<std::size_t>(sent));
				continue;
			}
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				tryNextAddress();
			/* Either the next address is connecting, or poll says when to go on. */
			return;
		}
		connected_ = true;
		closeFd();
	}

	const ConnectTarget &target_;
	std::size_t next_ = 0;
	std::string_view input_;
	int fd_ = -1;
	bool connecting_ = false;
	bool connected_ = false;
};

} /* namespace */

std::vector<bool> connectAll(const std::vector<ConnectTarget> &targets, Clock::time_point deadline,
			     int stopFd)
{
	std::vector<std::unique_ptr<Attempt>> attempts;
	for (const ConnectTarget &target : targets)
		attempts.push_back(std::make_unique<Attempt>(target));

	for (;;) {
		std::vector<pollfd> fds;
		std::vector<Attempt *> polled;
		for (const auto &attempt : attempts) {
			if (!attempt->running())
				continue;
			fds.push_back({attempt->fd(), attempt->events(), 0});
			polled.push_back(attempt.get());
		}
		if (polled.empty())
			break;
		if (stopFd >= 0)
			fds.push_back({stopFd, POLLIN, 0});

		const auto left =
			std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now());
		if (left.count() <= 0)
			break;
		const int ready = poll(fds.data(), fds.size(), static_cast<int>(left.count()));
		if (ready < 0 && errno != EINTR)
			break;
		if (stopFd >= 0 && fds.back().revents)
			break;
		for (std::size_t i = 0; i < polled.size(); ++i) {
			if (fds[i].revents)
				polled[i]->step();
		}
	}

	std::vector<bool> connected;
	for (const auto &attempt : attempts)
		connected.push_back(attempt->connected());
	return connected;
}

DiagnosticCheck makeConnectCheck(const ConnectCheckSpec &check, const std::string &componentId,
				 bool connected, const Translator &translator)
{
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

DiagnosticCheck runConnectCheck(const ConnectCheckSpec &check, const std::string &componentId,
				std::chrono::milliseconds timeout, const Translator &translator)
{
	const Clock::time_point deadline = Clock::now() + timeout;
	const Resolution resolution = resolveNow(check.host, check.port, false);
	const std::vector<bool> connected =
		connectAll({{resolution.addresses, check.input}}, deadline);
	return makeConnectCheck(check, componentId, connected.front(), translator);
}

} /* namespace plinth */

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <sys/socket.h>

#include <cstdint>
#include <future>
#include <memory>
#include <string>
#include <vector>

namespace plinth {

/* One address to connect to, as getaddrinfo(3) gives it. */
struct SocketAddress {
	int family = AF_UNSPEC;
	int type = SOCK_STREAM;
	int protocol = 0;
	sockaddr_storage storage{};
	socklen_t length = 0;
};

/* The addresses of a host and port for TCP, or why there are none. */
struct Resolution {
	std::vector<SocketAddress> addresses;
	std::string error;
};

/*
 * Resolves on the calling thread. With numericOnly a name is not looked up (error EAI_NONAME
 * in the message) and the call never blocks; without it, a name waits on the resolver's own
 * timeouts from resolv.conf.
 */
Resolution resolveNow(const std::string &host, std::uint16_t port, bool numericOnly);

/*
 * Resolves host names for connect checks on one thread of its own, so that a slow name server
 * holds up neither the event loop nor the socket checks, and the look-ups in flight never
 * take more than that one thread. Numeric addresses are answered at once. Look-ups of the
 * same host and port asked for while one is pending share it.
 */
class NameResolver
{
public:
	NameResolver();
	/* Waits for the look-up in progress, if any; the queued ones are dropped. */
	~NameResolver();
	NameResolver(const NameResolver &) = delete;
	NameResolver &operator=(const NameResolver &) = delete;

	/* Callable from any thread. */
	std::shared_future<Resolution> resolve(const std::string &host, std::uint16_t port);

private:
	class Private;
	std::unique_ptr<Private> d_;
};

} /* namespace plinth */

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <sys/socket.h>

#include <cstdint>
#include <string>

namespace plinth::test {

/*
 * A real socket of the test process on a loopback or wildcard address, closed when the test
 * ends. Failures throw std::system_error, which fails the test with the reason.
 */
class TestSocket
{
public:
	TestSocket(int family, int type);
	~TestSocket();
	TestSocket(TestSocket &&other) noexcept;
	TestSocket(const TestSocket &) = delete;
	TestSocket &operator=(const TestSocket &) = delete;
	TestSocket &operator=(TestSocket &&) = delete;

	/* IPv6 sockets only: whether "::" takes IPv4 too, whatever the sysctl default says. */
	TestSocket &v6Only(bool only);
	/* Port 0 asks the kernel for a free ephemeral port; port() then tells which. */
	TestSocket &bind(const std::string &address, std::uint16_t port = 0);
	TestSocket &listen(int backlog = 16);
	/* Blocking; for UDP it only records the peer. */
	TestSocket &connect(const std::string &address, std::uint16_t port);

	std::uint16_t port() const;
	int fd() const { return fd_; }

private:
	int fd_;
};

/* An accepting TCP listener on address, ephemeral port. */
TestSocket tcpListener(const std::string &address);
/* An unconnected UDP socket on address, ephemeral port. */
TestSocket udpSocket(const std::string &address);

/* "CI=true": a test that cannot run must fail there rather than skip. */
bool inCi();

/* Why this machine cannot run socket tests: no sock_diag netlink, no ::1; empty when it can. */
std::string missingNetlink();
std::string missingIpv6();

} /* namespace plinth::test */

/* Skips the test saying why, or fails it in CI, where nothing may be skipped. */
#define PLINTH_REQUIRE(missing)                                                                    \
	do {                                                                                       \
		const std::string why_ = (missing);                                                \
		if (!why_.empty()) {                                                               \
			if (plinth::test::inCi())                                                  \
				FAIL() << why_;                                                    \
			GTEST_SKIP() << why_;                                                      \
		}                                                                                  \
	} while (0)

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "test_socket.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <system_error>
#include <utility>

namespace plinth::test {

namespace {

[[noreturn]] void fail(const std::string &what)
{
	throw std::system_error(errno, std::system_category(), what);
}

socklen_t makeAddress(const std::string &address, std::uint16_t port, sockaddr_storage &out)
{
	out = {};
	auto *v4 = reinterpret_cast<sockaddr_in *>(&out);
	if (inet_pton(AF_INET, address.c_str(), &v4->sin_addr) == 1) {
		v4->sin_family = AF_INET;
		v4->sin_port = htons(port);
		return sizeof(sockaddr_in);
	}

	auto *v6 = reinterpret_cast<sockaddr_in6 *>(&out);
	if (inet_pton(AF_INET6, address.c_str(), &v6->sin6_addr) == 1) {
		v6->sin6_family = AF_INET6;
		v6->sin6_port = htons(port);
		return sizeof(sockaddr_in6);
	}

	errno = EINVAL;
	fail("not a numeric address: " + address);
}

} /* namespace */

TestSocket::TestSocket(int family, int type) : fd_(socket(family, type | SOCK_CLOEXEC, 0))
{
	if (fd_ < 0)
		fail("socket");
}

TestSocket::~TestSocket()
{
	if (fd_ >= 0)
		close(fd_);
}

TestSocket::TestSocket(TestSocket &&other) noexcept : fd_(std::exchange(other.fd_, -1))
{
}

TestSocket &TestSocket::v6Only(bool only)
{
	const int value = only;
	if (setsockopt(fd_, IPPROTO_IPV6, IPV6_V6ONLY, &value, sizeof(value)) < 0)
		fail("IPV6_V6ONLY");
	return *this;
}

TestSocket &TestSocket::bind(const std::string &address, std::uint16_t port)
{
	sockaddr_storage storage;
	const socklen_t length = makeAddress(address, port, storage);
	if (::bind(fd_, reinterpret_cast<sockaddr *>(&storage), length) < 0)
		fail("bind " + address);
	return *this;
}

TestSocket &TestSocket::listen(int backlog)
{
	if (::listen(fd_, backlog) < 0)
		fail("listen");
	return *this;
}

TestSocket &TestSocket::connect(const std::string &address, std::uint16_t port)
{
	sockaddr_storage storage;
	const socklen_t length = makeAddress(address, port, storage);
	if (::connect(fd_, reinterpret_cast<sockaddr *>(&storage), length) < 0)
		fail("connect " + address + " port " + std::to_string(port));
	return *this;
}

std::uint16_t TestSocket::port() const
{
	sockaddr_storage storage{};
	socklen_t length = sizeof(storage);
	if (getsockname(fd_, reinterpret_cast<sockaddr *>(&storage), &length) < 0)
		fail("getsockname");
	if (storage.ss_family == AF_INET)
		return ntohs(reinterpret_cast<sockaddr_in *>(&storage)->sin_port);
	return ntohs(reinterpret_cast<sockaddr_in6 *>(&storage)->sin6_port);
}

TestSocket tcpListener(const std::string &address)
{
	TestSocket socket(address.find(':') == std::string::npos ? AF_INET : AF_INET6, SOCK_STREAM);
	socket.bind(address).listen();
	return socket;
}

TestSocket udpSocket(const std::string &address)
{
	TestSocket socket(address.find(':') == std::string::npos ? AF_INET : AF_INET6, SOCK_DGRAM);
	socket.bind(address);
	return socket;
}

bool inCi()
{
	const char *ci = getenv("CI");
	return ci && strcmp(ci, "true") == 0;
}

std::string missingNetlink()
{
	const int fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
	if (fd < 0)
		return std::string("no NETLINK_SOCK_DIAG socket here: ") + strerror(errno);
	close(fd);
	return {};
}

std::string missingIpv6()
{
	try {
		udpSocket("::1");
	} catch (const std::system_error &e) {
		return std::string("no IPv6 loopback here: ") + e.what();
	}
	return {};
}

} /* namespace plinth::test */

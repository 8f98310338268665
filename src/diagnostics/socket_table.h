/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace plinth {

enum class SocketProtocol {
	Tcp,
	Udp,
};

enum class AddressFamily {
	Ipv4,
	Ipv6,
};

/* One socket as the kernel's inet_diag reports it. */
struct SocketEntry {
	SocketProtocol protocol = SocketProtocol::Tcp;
	AddressFamily family = AddressFamily::Ipv4;
	/*
	 * As inet_ntop writes it: "0.0.0.0", "::", "127.0.0.1", "::1", and "::ffff:127.0.0.1" for
	 * an IPv6 socket bound to an IPv4-mapped address (the kernel's view, as psutil gives it).
	 */
	std::string localAddress;
	std::uint16_t localPort = 0;
	/*
	 * The kernel's socket state, TCP numbering (netinet/tcp.h): a listening TCP socket is
	 * TCP_LISTEN; a UDP socket is TCP_CLOSE until connected, then TCP_ESTABLISHED.
	 */
	std::uint8_t state = 0;
	/* A remote address or port is set: the socket is connected to a peer. */
	bool hasPeer = false;

	bool operator==(const SocketEntry &) const = default;
};

/*
 * The sockets of this network namespace at one moment, read once so that a diagnosis of many
 * apps asks the kernel once. A table that could not be read has an error instead of entries,
 * so that its checks report the error rather than a wrong "failed".
 */
class SocketSnapshot
{
public:
	SocketSnapshot() = default;
	SocketSnapshot(std::vector<SocketEntry> entries, std::string tcpError,
		       std::string udpError);

	/* TCP: only the listening sockets. UDP: all of them. */
	const std::vector<SocketEntry> &entries() const { return entries_; }
	/* Why the protocol's table could not be read; empty when it was. */
	const std::string &error(SocketProtocol protocol) const;

private:
	std::vector<SocketEntry> entries_;
	std::string tcpError_;
	std::string udpError_;
};

/*
 * Dumps the TCP and UDP tables, IPv4 and IPv6, through NETLINK_SOCK_DIAG; the kernel itself
 * leaves out TCP sockets that are not listening. Never throws: failures end up in the
 * snapshot. Each receive waits at most timeout, so a kernel that never answers cannot hang a
 * caller.
 */
SocketSnapshot readSocketTables(std::chrono::milliseconds timeout = std::chrono::seconds(2));

/*
 * The same, but only the sockets on these local ports, which the kernel filters: on a busy
 * server that is a small part of the tables. No port, no socket: nothing is read.
 */
SocketSnapshot readSocketTables(const std::vector<std::uint16_t> &ports,
				std::chrono::milliseconds timeout = std::chrono::seconds(2));

} /* namespace plinth */

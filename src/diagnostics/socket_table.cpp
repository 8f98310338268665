/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "socket_table.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <stdexcept>
#include <string_view>
#include <system_error>
#include <utility>

namespace plinth {

namespace {

/*
 * The kernel sizes dump messages to the reader's buffer up to 32 KiB; a buffer this large never
 * truncates one and keeps the number of recvmsg calls low.
 */
constexpr std::size_t kReceiveBufferSize = 32768;

/*
 * Past this many ports the tables are read whole, which is as correct. The kernel checks a
 * filter in time quadratic in its length (each jump's target is found from the start), and
 * runs it on every socket: with 1000 ports that check was a fifth of a round of checks over
 * 1000 apps (health-round), more than reading the listening sockets whole costs.
 */
constexpr std::size_t kMaxFilteredPorts = 64;

class DumpError : public std::runtime_error
{
public:
	using std::runtime_error::runtime_error;
};

std::string errnoText(int error)
{
	return std::system_category().message(error);
}

std::string_view protocolName(SocketProtocol protocol)
{
	return protocol == SocketProtocol::Tcp ? "TCP" : "UDP";
}

/*
 * inet_diag bytecode accepting a socket whose local port is any of ports. The kernel validates
 * a filter by following its "yes" jumps, so a matching test goes on to the op right behind it:
 * an always-taken JMP to the end (accept). A failing test skips that JMP to the next port; the
 * last one jumps past the end (reject). ss builds "or" the same way.
 */
std::vector<inet_diag_bc_op> portFilter(const std::vector<std::uint16_t> &ports)
{
	std::vector<inet_diag_bc_op> ops;
	if (ports.empty())
		return ops;

	const std::size_t length = ports.size() * 3 - 1;
	for (std::uint16_t port : ports) {
		ops.push_back({INET_DIAG_BC_S_EQ, 2 * sizeof(inet_diag_bc_op),
			       3 * sizeof(inet_diag_bc_op)});
		/* The operand of S_EQ: the port, in host order, in the "no" field. */
		ops.push_back({INET_DIAG_BC_NOP, 0, port});
		if (ops.size() < length) {
			const auto toEnd = (length - ops.size()) * sizeof(inet_diag_bc_op);
			ops.push_back({INET_DIAG_BC_JMP, sizeof(inet_diag_bc_op),
				       static_cast<std::uint16_t>(toEnd)});
		}
	}
	return ops;
}

class SockDiagSocket
{
public:
	SockDiagSocket(std::chrono::milliseconds timeout, const std::vector<std::uint16_t> &ports)
		: fd_(socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG)),
		  buffer_(kReceiveBufferSize), filter_(portFilter(ports))
	{
		if (fd_ < 0)
			throw DumpError("cannot open a NETLINK_SOCK_DIAG socket: " +
					errnoText(errno));

		/* A zero SO_RCVTIMEO would mean no bound at all. */
		const auto usec = std::max<std::int64_t>(
			std::chrono::duration_cast<std::chrono::microseconds>(timeout).count(), 1);
		const timeval tv{static_cast<time_t>(usec / 1000000),
				 static_cast<suseconds_t>(usec % 1000000)};
		if (setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0) {
			const int error = errno;
			close(fd_);
			throw DumpError("cannot bound the netlink receive time: " +
					errnoText(error));
		}
	}

	~SockDiagSocket()
	{
		if (fd_ >= 0)
			close(fd_);
	}

	SockDiagSocket(const SockDiagSocket &) = delete;
	SockDiagSocket &operator=(const SockDiagSocket &) = delete;

	void dump(SocketProtocol protocol, AddressFamily family, std::vector<SocketEntry> &out);

private:
	void request(SocketProtocol protocol, AddressFamily family);
	/* Parses one datagram; returns false once the dump is done. */
	bool parse(std::size_t length, SocketProtocol protocol, std::vector<SocketEntry> &out);

	int fd_;
	std::uint32_t sequence_ = 0;
	std::vector<char> buffer_;
	/* Empty: no filter, every socket. */
	std::vector<inet_diag_bc_op> filter_;
};

void SockDiagSocket::request(SocketProtocol protocol, AddressFamily family)
{
	const std::size_t filterSize = filter_.size() * sizeof(inet_diag_bc_op);
	const std::size_t attributeSize = filter_.empty() ? 0 : NLA_HDRLEN + filterSize;
	std::vector<char> message(NLMSG_SPACE(sizeof(inet_diag_req_v2)) + attributeSize);

	nlmsghdr header{};
	header.nlmsg_len = static_cast<std::uint32_t>(message.size());
	header.nlmsg_type = SOCK_DIAG_BY_FAMILY;
	header.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	header.nlmsg_seq = ++sequence_;
	memcpy(message.data(), &header, sizeof(header));

	inet_diag_req_v2 request{};
	request.sdiag_family = family == AddressFamily::Ipv4 ? AF_INET : AF_INET6;
	request.sdiag_protocol = protocol == SocketProtocol::Tcp ? IPPROTO_TCP : IPPROTO_UDP;
	/*
	 * A TCP port check wants listeners only, so the kernel skips the (possibly huge)
	 * established table. A UDP check looks at the peer, whatever the state.
	 */
	request.idiag_states = protocol == SocketProtocol::Tcp ? 1u << TCP_LISTEN : ~0u;
	memcpy(message.data() + NLMSG_HDRLEN, &request, sizeof(request));

	if (!filter_.empty()) {
		nlattr attribute{};
		attribute.nla_len = static_cast<std::uint16_t>(attributeSize);
		attribute.nla_type = INET_DIAG_REQ_BYTECODE;
		char *at = message.data() + NLMSG_SPACE(sizeof(inet_diag_req_v2));
		memcpy(at, &attribute, sizeof(attribute));
		memcpy(at + NLA_HDRLEN, filter_.data(), filterSize);
	}

	sockaddr_nl kernel{};
	kernel.nl_family = AF_NETLINK;
	if (sendto(fd_, message.data(), message.size(), 0,
		   reinterpret_cast<const sockaddr *>(&kernel), sizeof(kernel)) < 0)
		throw DumpError("cannot send the netlink dump request: " + errnoText(errno));
}

bool SockDiagSocket::parse(std::size_t length, SocketProtocol protocol,
			   std::vector<SocketEntry> &out)
{
	/* NLMSG_OK compares a signed length with the header's unsigned one. */
	int remaining = static_cast<int>(length);
	for (auto *header = reinterpret_cast<const nlmsghdr *>(buffer_.data());
	     NLMSG_OK(header, remaining); header = NLMSG_NEXT(header, remaining)) {
		if (header->nlmsg_seq != sequence_)
			continue;

		if (header->nlmsg_type == NLMSG_DONE) {
			/* A dump that failed half-way says so in the DONE message. */
			if (header->nlmsg_len >= NLMSG_LENGTH(sizeof(int))) {
				int error;
				memcpy(&error, NLMSG_DATA(header), sizeof(error));
				if (error < 0)
					throw DumpError("the kernel aborted the dump: " +
							errnoText(-error));
			}
			return false;
		}

		if (header->nlmsg_type == NLMSG_ERROR) {
			if (header->nlmsg_len < NLMSG_LENGTH(sizeof(nlmsgerr)))
				throw DumpError("the kernel sent a truncated netlink error");
			const auto *error = static_cast<const nlmsgerr *>(NLMSG_DATA(header));
			if (error->error == 0)
				return false;
			std::string text =
				"the kernel refused the dump: " + errnoText(-error->error);
			if (error->error == -ENOENT)
				text += " (is the " +
					std::string(protocol == SocketProtocol::Tcp ? "tcp_diag"
										    : "udp_diag") +
					" kernel module available?)";
			throw DumpError(text);
		}

		if (header->nlmsg_type != SOCK_DIAG_BY_FAMILY)
			continue;
		if (header->nlmsg_len < NLMSG_LENGTH(sizeof(inet_diag_msg)))
			throw DumpError("the kernel sent a truncated socket entry");

		const auto *diag = static_cast<const inet_diag_msg *>(NLMSG_DATA(header));
		SocketEntry entry;
		entry.protocol = protocol;
		entry.family =
			diag->idiag_family == AF_INET6 ? AddressFamily::Ipv6 : AddressFamily::Ipv4;
		char text[INET6_ADDRSTRLEN];
		if (!inet_ntop(diag->idiag_family, diag->id.idiag_src, text, sizeof(text)))
			throw DumpError("the kernel sent a socket of unknown family " +
					std::to_string(diag->idiag_family));
		entry.localAddress = text;
		entry.localPort = ntohs(diag->id.idiag_sport);
		entry.state = diag->idiag_state;
		entry.hasPeer =
			diag->id.idiag_dport != 0 ||
			std::any_of(std::begin(diag->id.idiag_dst), std::end(diag->id.idiag_dst),
				    [](std::uint32_t word) { return word != 0; });
		out.push_back(std::move(entry));
	}

	if (remaining != 0)
		throw DumpError("the kernel sent a malformed netlink message");
	return true;
}

void SockDiagSocket::dump(SocketProtocol protocol, AddressFamily family,
			  std::vector<SocketEntry> &out)
{
	request(protocol, family);

	for (;;) {
		sockaddr_nl sender{};
		iovec iov{buffer_.data(), buffer_.size()};
		msghdr message{};
		message.msg_name = &sender;
		message.msg_namelen = sizeof(sender);
		message.msg_iov = &iov;
		message.msg_iovlen = 1;

		const ssize_t length = recvmsg(fd_, &message, 0);
		if (length < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				throw DumpError(
					"the kernel did not answer the netlink dump in time");
			throw DumpError("cannot receive the netlink dump: " + errnoText(errno));
		}
		if (message.msg_flags & MSG_TRUNC)
			throw DumpError("a netlink message did not fit the receive buffer");
		/* Only the kernel (port 0) answers; anything else is not ours to parse. */
		if (sender.nl_pid != 0)
			continue;

		if (!parse(static_cast<std::size_t>(length), protocol, out))
			return;
	}
}

std::string readTable(SocketProtocol protocol, const std::vector<std::uint16_t> &ports,
		      std::chrono::milliseconds timeout, std::vector<SocketEntry> &entries)
{
	/*
	 * A socket of its own per table: a dump abandoned half-way would otherwise leave the
	 * kernel busy with it on the socket. A table read half-way would make checks fail that
	 * should pass: all or nothing.
	 */
	std::vector<SocketEntry> table;
	try {
		SockDiagSocket socket(timeout, ports);
		socket.dump(protocol, AddressFamily::Ipv4, table);
		socket.dump(protocol, AddressFamily::Ipv6, table);
	} catch (const DumpError &e) {
		return "cannot read the " + std::string(protocolName(protocol)) +
		       " socket table: " + e.what();
	}
	entries.insert(entries.end(), table.begin(), table.end());
	return {};
}

SocketSnapshot readTables(const std::vector<std::uint16_t> &filter,
			  std::chrono::milliseconds timeout)
{
	std::vector<SocketEntry> entries;
	std::string tcpError = readTable(SocketProtocol::Tcp, filter, timeout, entries);
	std::string udpError = readTable(SocketProtocol::Udp, filter, timeout, entries);
	return SocketSnapshot(std::move(entries), std::move(tcpError), std::move(udpError));
}

} /* namespace */

SocketSnapshot::SocketSnapshot(std::vector<SocketEntry> entries, std::string tcpError,
			       std::string udpError)
	: entries_(std::move(entries)), tcpError_(std::move(tcpError)),
	  udpError_(std::move(udpError))
{
}

const std::string &SocketSnapshot::error(SocketProtocol protocol) const
{
	return protocol == SocketProtocol::Tcp ? tcpError_ : udpError_;
}

SocketSnapshot readSocketTables(std::chrono::milliseconds timeout)
{
	return readTables({}, timeout);
}

SocketSnapshot readSocketTables(const std::vector<std::uint16_t> &ports,
				std::chrono::milliseconds timeout)
{
	if (ports.empty())
		return {};

	std::vector<std::uint16_t> filter = ports;
	std::sort(filter.begin(), filter.end());
	filter.erase(std::unique(filter.begin(), filter.end()), filter.end());
	if (filter.size() > kMaxFilteredPorts)
		filter.clear();
	return readTables(filter, timeout);
}

} /* namespace plinth */

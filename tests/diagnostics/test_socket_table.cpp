/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <gtest/gtest.h>
#include <netinet/tcp.h>
#include <sys/resource.h>

#include <algorithm>
#include <set>
#include <vector>

#include "printers.h"
#include "socket_table.h"
#include "test_socket.h"

namespace plinth {
namespace {

using test::TestSocket;

std::vector<SocketEntry> entriesOnPort(const SocketSnapshot &snapshot, SocketProtocol protocol,
				       std::uint16_t port)
{
	std::vector<SocketEntry> found;
	for (const SocketEntry &entry : snapshot.entries()) {
		if (entry.protocol == protocol && entry.localPort == port)
			found.push_back(entry);
	}
	return found;
}

SocketSnapshot readOrFail()
{
	SocketSnapshot snapshot = readSocketTables();
	EXPECT_EQ(snapshot.error(SocketProtocol::Tcp), "");
	EXPECT_EQ(snapshot.error(SocketProtocol::Udp), "");
	return snapshot;
}

class SocketTableTest : public testing::Test
{
protected:
	void SetUp() override { PLINTH_REQUIRE(test::missingNetlink()); }
};

TEST_F(SocketTableTest, ReportsTcpListenersOfBothFamilies)
{
	PLINTH_REQUIRE(test::missingIpv6());
	TestSocket v4 = test::tcpListener("127.0.0.1");
	TestSocket v6 = test::tcpListener("::1");

	const SocketSnapshot snapshot = readOrFail();

	EXPECT_EQ(entriesOnPort(snapshot, SocketProtocol::Tcp, v4.port()),
		  (std::vector<SocketEntry>{{SocketProtocol::Tcp, AddressFamily::Ipv4, "127.0.0.1",
					     v4.port(), TCP_LISTEN, false}}));
	EXPECT_EQ(entriesOnPort(snapshot, SocketProtocol::Tcp, v6.port()),
		  (std::vector<SocketEntry>{{SocketProtocol::Tcp, AddressFamily::Ipv6, "::1",
					     v6.port(), TCP_LISTEN, false}}));
}

TEST_F(SocketTableTest, LeavesOutTcpSocketsThatDoNotListen)
{
	TestSocket listener = test::tcpListener("127.0.0.1");
	TestSocket client(AF_INET, SOCK_STREAM);
	client.connect("127.0.0.1", listener.port());
	TestSocket boundOnly(AF_INET, SOCK_STREAM);
	boundOnly.bind("127.0.0.1");

	const SocketSnapshot snapshot = readOrFail();

	EXPECT_EQ(entriesOnPort(snapshot, SocketProtocol::Tcp, client.port()).size(), 0u);
	EXPECT_EQ(entriesOnPort(snapshot, SocketProtocol::Tcp, boundOnly.port()).size(), 0u);
	/* The accepted side of the connection shares the listener's port but is not listening. */
	EXPECT_EQ(entriesOnPort(snapshot, SocketProtocol::Tcp, listener.port()).size(), 1u);
}

/* The rule's UDP half relies on these numbers; this is where they are checked. */
TEST_F(SocketTableTest, ReportsUdpSocketsWithTheirStateAndPeer)
{
	TestSocket unconnected = test::udpSocket("127.0.0.1");
	TestSocket connected = test::udpSocket("127.0.0.1");
	connected.connect("127.0.0.1", unconnected.port());

	const SocketSnapshot snapshot = readOrFail();

	EXPECT_EQ(entriesOnPort(snapshot, SocketProtocol::Udp, unconnected.port()),
		  (std::vector<SocketEntry>{{SocketProtocol::Udp, AddressFamily::Ipv4, "127.0.0.1",
					     unconnected.port(), TCP_CLOSE, false}}));
	EXPECT_EQ(entriesOnPort(snapshot, SocketProtocol::Udp, connected.port()),
		  (std::vector<SocketEntry>{{SocketProtocol::Udp, AddressFamily::Ipv4, "127.0.0.1",
					     connected.port(), TCP_ESTABLISHED, true}}));
}

TEST_F(SocketTableTest, ReportsWildcardAndMappedAddressesAsTheKernelSeesThem)
{
	PLINTH_REQUIRE(test::missingIpv6());
	TestSocket any4 = test::tcpListener("0.0.0.0");
	TestSocket any6(AF_INET6, SOCK_STREAM);
	any6.v6Only(false).bind("::").listen();
	TestSocket mapped(AF_INET6, SOCK_DGRAM);
	mapped.bind("::ffff:127.0.0.1");

	const SocketSnapshot snapshot = readOrFail();

	const auto address = [&](SocketProtocol protocol, const TestSocket &socket) {
		const auto found = entriesOnPort(snapshot, protocol, socket.port());
		return found.size() == 1 ? found[0].localAddress
					 : "(" + std::to_string(found.size()) + " entries)";
	};
	EXPECT_EQ(address(SocketProtocol::Tcp, any4), "0.0.0.0");
	EXPECT_EQ(address(SocketProtocol::Tcp, any6), "::");
	EXPECT_EQ(address(SocketProtocol::Udp, mapped), "::ffff:127.0.0.1");
	EXPECT_EQ(entriesOnPort(snapshot, SocketProtocol::Udp, mapped.port()).at(0).family,
		  AddressFamily::Ipv6);
}

/* Enough sockets that the kernel splits each dump over many messages. */
TEST_F(SocketTableTest, ReadsEveryPartOfALongDump)
{
	constexpr std::size_t kSockets = 3000;
	rlimit limit{};
	ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &limit), 0);
	if (limit.rlim_cur < kSockets + 100) {
		limit.rlim_cur = std::min<rlim_t>(limit.rlim_max, kSockets + 100);
		ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &limit), 0);
	}
	PLINTH_REQUIRE(limit.rlim_cur < kSockets + 100
			       ? "RLIMIT_NOFILE is below " + std::to_string(kSockets + 100)
			       : std::string());

	std::vector<TestSocket> sockets;
	std::set<std::uint16_t> tcpPorts, udpPorts;
	for (std::size_t i = 0; i < kSockets; i++) {
		if (i % 2) {
			sockets.push_back(test::tcpListener("127.0.0.1"));
			tcpPorts.insert(sockets.back().port());
		} else {
			sockets.push_back(test::udpSocket("127.0.0.1"));
			udpPorts.insert(sockets.back().port());
		}
	}

	const SocketSnapshot snapshot = readOrFail();

	for (const SocketEntry &entry : snapshot.entries()) {
		if (entry.localAddress == "127.0.0.1")
			(entry.protocol == SocketProtocol::Tcp ? tcpPorts : udpPorts)
				.erase(entry.localPort);
	}
	EXPECT_EQ(tcpPorts.size(), 0u) << "TCP listeners missing from the snapshot";
	EXPECT_EQ(udpPorts.size(), 0u) << "UDP sockets missing from the snapshot";
}

TEST_F(SocketTableTest, PortFilterKeepsOnlyTheAskedPorts)
{
	std::vector<TestSocket> asked, other;
	for (int i = 0; i < 20; i++) {
		asked.push_back(test::tcpListener("127.0.0.1"));
		asked.push_back(test::udpSocket("127.0.0.1"));
		other.push_back(test::tcpListener("127.0.0.1"));
		other.push_back(test::udpSocket("127.0.0.1"));
	}
	std::vector<std::uint16_t> ports;
	for (const TestSocket &socket : asked)
		ports.push_back(socket.port());
	/* Asking twice for a port is no different from asking once. */
	ports.push_back(asked.front().port());

	const SocketSnapshot snapshot = readSocketTables(ports);
	ASSERT_EQ(snapshot.error(SocketProtocol::Tcp), "");
	ASSERT_EQ(snapshot.error(SocketProtocol::Udp), "");

	std::set<std::uint16_t> missing(ports.begin(), ports.end());
	for (const SocketEntry &entry : snapshot.entries()) {
		EXPECT_NE(std::find(ports.begin(), ports.end(), entry.localPort), ports.end())
			<< "port " << entry.localPort << " was not asked for";
		missing.erase(entry.localPort);
	}
	EXPECT_EQ(missing.size(), 0u);
	for (const TestSocket &socket : asked) {
		EXPECT_FALSE(entriesOnPort(snapshot, SocketProtocol::Tcp, socket.port()).empty() &&
			     entriesOnPort(snapshot, SocketProtocol::Udp, socket.port()).empty());
	}
}

TEST_F(SocketTableTest, NoPortAskedReadsNothing)
{
	TestSocket socket = test::tcpListener("127.0.0.1");
	const SocketSnapshot snapshot = readSocketTables(std::vector<std::uint16_t>{});
	EXPECT_TRUE(snapshot.entries().empty());
	EXPECT_EQ(snapshot.error(SocketProtocol::Tcp), "");
}

/* Too many ports for one filter: the whole tables, a superset, rather than an error. */
TEST_F(SocketTableTest, ManyPortsReadTheWholeTables)
{
	TestSocket outside = test::tcpListener("127.0.0.1");
	std::vector<std::uint16_t> ports;
	for (std::uint16_t port = 1; ports.size() < 2000; port++) {
		if (port != outside.port())
			ports.push_back(port);
	}

	const SocketSnapshot snapshot = readSocketTables(ports);
	EXPECT_EQ(snapshot.error(SocketProtocol::Tcp), "");
	EXPECT_EQ(entriesOnPort(snapshot, SocketProtocol::Tcp, outside.port()).size(), 1u);
}

/* No file descriptor left: each table reports why instead of throwing or looking empty. */
TEST_F(SocketTableTest, ReportsAFailureInsteadOfAnEmptyTable)
{
	rlimit saved{};
	ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &saved), 0);
	rlimit none = saved;
	none.rlim_cur = 0;
	ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &none), 0);
	const SocketSnapshot snapshot = readSocketTables();
	ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &saved), 0);

	EXPECT_TRUE(snapshot.entries().empty());
	EXPECT_EQ(snapshot.error(SocketProtocol::Tcp),
		  "cannot read the TCP socket table: cannot open a NETLINK_SOCK_DIAG socket: "
		  "Too many open files");
	EXPECT_EQ(snapshot.error(SocketProtocol::Udp),
		  "cannot read the UDP socket table: cannot open a NETLINK_SOCK_DIAG socket: "
		  "Too many open files");
}

} /* namespace */
} /* namespace plinth */

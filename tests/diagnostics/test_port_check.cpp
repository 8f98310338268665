/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <gtest/gtest.h>

#include <string>

#include "port_check.h"
#include "test_socket.h"

namespace plinth {
namespace {

using test::TestSocket;

/* Every check reads the tables afresh, after the test opened its sockets. */
bool listening(std::uint16_t port, PortKind kind, const std::string &address = {})
{
	const SocketSnapshot snapshot = readSocketTables();
	EXPECT_EQ(snapshot.error(SocketProtocol::Tcp) + snapshot.error(SocketProtocol::Udp), "");
	return isListening(snapshot, ListenPort{port, kind, address});
}

class PortCheckTest : public testing::Test
{
protected:
	void SetUp() override { PLINTH_REQUIRE(test::missingNetlink()); }
};

class PortCheckIpv6Test : public PortCheckTest
{
protected:
	void SetUp() override
	{
		PortCheckTest::SetUp();
		PLINTH_REQUIRE(test::missingIpv6());
	}
};

TEST_F(PortCheckTest, Ipv4TcpListenerIsTcp4AndTcpButNotTcp6)
{
	TestSocket socket = test::tcpListener("127.0.0.1");
	EXPECT_TRUE(listening(socket.port(), PortKind::Tcp4));
	EXPECT_TRUE(listening(socket.port(), PortKind::Tcp));
	EXPECT_FALSE(listening(socket.port(), PortKind::Tcp6));
}

TEST_F(PortCheckIpv6Test, Ipv6TcpListenerIsTcp6AndTcpButNotTcp4)
{
	TestSocket socket = test::tcpListener("::1");
	EXPECT_TRUE(listening(socket.port(), PortKind::Tcp6));
	EXPECT_TRUE(listening(socket.port(), PortKind::Tcp));
	EXPECT_FALSE(listening(socket.port(), PortKind::Tcp4));
}

TEST_F(PortCheckIpv6Test, DualStackWildcardIsEveryTcpKind)
{
	TestSocket socket(AF_INET6, SOCK_STREAM);
	socket.v6Only(false).bind("::").listen();
	EXPECT_TRUE(listening(socket.port(), PortKind::Tcp4));
	EXPECT_TRUE(listening(socket.port(), PortKind::Tcp6));
	EXPECT_TRUE(listening(socket.port(), PortKind::Tcp));
}

/* As the reference: the rule looks at the address "::", not at IPV6_V6ONLY. */
TEST_F(PortCheckIpv6Test, V6OnlyWildcardStillCountsAsTcp4)
{
	TestSocket socket(AF_INET6, SOCK_STREAM);
	socket.v6Only(true).bind("::").listen();
	EXPECT_TRUE(listening(socket.port(), PortKind::Tcp4));
}

/* An IPv6 socket on a mapped address is an IPv6 socket: not tcp4, though it serves IPv4. */
TEST_F(PortCheckIpv6Test, MappedAddressIsNotTcp4)
{
	TestSocket socket(AF_INET6, SOCK_STREAM);
	socket.bind("::ffff:127.0.0.1").listen();
	EXPECT_FALSE(listening(socket.port(), PortKind::Tcp4));
	EXPECT_TRUE(listening(socket.port(), PortKind::Tcp6));
	EXPECT_TRUE(listening(socket.port(), PortKind::Tcp6, "::ffff:127.0.0.1"));
}

TEST_F(PortCheckTest, ConnectedTcpSocketIsNotListening)
{
	TestSocket listener = test::tcpListener("127.0.0.1");
	TestSocket client(AF_INET, SOCK_STREAM);
	client.connect("127.0.0.1", listener.port());
	EXPECT_FALSE(listening(client.port(), PortKind::Tcp));
	EXPECT_FALSE(listening(client.port(), PortKind::Tcp4));
}

TEST_F(PortCheckTest, BoundButNotListeningTcpSocketIsNotListening)
{
	TestSocket socket(AF_INET, SOCK_STREAM);
	socket.bind("127.0.0.1");
	EXPECT_FALSE(listening(socket.port(), PortKind::Tcp));
}

TEST_F(PortCheckTest, UnconnectedUdpSocketIsUdpAndUdp4ButNotUdp6)
{
	TestSocket socket = test::udpSocket("127.0.0.1");
	EXPECT_TRUE(listening(socket.port(), PortKind::Udp));
	EXPECT_TRUE(listening(socket.port(), PortKind::Udp4));
	EXPECT_FALSE(listening(socket.port(), PortKind::Udp6));
}

TEST_F(PortCheckIpv6Test, Ipv6UdpSocketIsUdp6ButNotUdp4)
{
	TestSocket loopback = test::udpSocket("::1");
	EXPECT_TRUE(listening(loopback.port(), PortKind::Udp6));
	EXPECT_TRUE(listening(loopback.port(), PortKind::Udp));
	EXPECT_FALSE(listening(loopback.port(), PortKind::Udp4));

	TestSocket wildcard(AF_INET6, SOCK_DGRAM);
	wildcard.v6Only(false).bind("::");
	EXPECT_TRUE(listening(wildcard.port(), PortKind::Udp4));
	EXPECT_TRUE(listening(wildcard.port(), PortKind::Udp6));
}

TEST_F(PortCheckTest, ConnectedUdpSocketIsNotListening)
{
	TestSocket peer = test::udpSocket("127.0.0.1");
	TestSocket socket = test::udpSocket("127.0.0.1");
	socket.connect("127.0.0.1", peer.port());
	EXPECT_FALSE(listening(socket.port(), PortKind::Udp));
	EXPECT_FALSE(listening(socket.port(), PortKind::Udp4));
	EXPECT_TRUE(listening(peer.port(), PortKind::Udp));
}

TEST_F(PortCheckTest, ProtocolsDoNotStandInForEachOther)
{
	TestSocket tcp = test::tcpListener("127.0.0.1");
	TestSocket udp = test::udpSocket("127.0.0.1");
	EXPECT_FALSE(listening(tcp.port(), PortKind::Udp));
	EXPECT_FALSE(listening(udp.port(), PortKind::Tcp));
}

TEST_F(PortCheckTest, ListenAddressMustBeTheBoundAddress)
{
	TestSocket loopback = test::tcpListener("127.0.0.1");
	EXPECT_TRUE(listening(loopback.port(), PortKind::Tcp, "127.0.0.1"));
	EXPECT_TRUE(listening(loopback.port(), PortKind::Tcp4, "127.0.0.1"));
	EXPECT_FALSE(listening(loopback.port(), PortKind::Tcp, "127.0.0.2"));
	EXPECT_FALSE(listening(loopback.port(), PortKind::Tcp, "0.0.0.0"));
	EXPECT_FALSE(listening(loopback.port(), PortKind::Tcp, "not an address"));

	/* As the reference: a wildcard socket is not "on" each of the machine's addresses. */
	TestSocket wildcard = test::tcpListener("0.0.0.0");
	EXPECT_TRUE(listening(wildcard.port(), PortKind::Tcp, "0.0.0.0"));
	EXPECT_FALSE(listening(wildcard.port(), PortKind::Tcp, "127.0.0.1"));

	TestSocket udp = test::udpSocket("127.0.0.1");
	EXPECT_TRUE(listening(udp.port(), PortKind::Udp, "127.0.0.1"));
	EXPECT_FALSE(listening(udp.port(), PortKind::Udp, "1.1.1.1"));
}

TEST_F(PortCheckIpv6Test, ListenAddressIsComparedAsAnAddress)
{
	TestSocket socket = test::tcpListener("::1");
	EXPECT_TRUE(listening(socket.port(), PortKind::Tcp6, "::1"));
	EXPECT_TRUE(listening(socket.port(), PortKind::Tcp6, "0:0:0:0:0:0:0:1"));
	EXPECT_FALSE(listening(socket.port(), PortKind::Tcp6, "::"));
}

TEST_F(PortCheckTest, PortNobodyListensOnFailsEveryTcpKind)
{
	/* Bound without listening: the port is ours, so nobody else can listen on it meanwhile. */
	TestSocket tcp(AF_INET, SOCK_STREAM);
	tcp.bind("127.0.0.1");
	for (PortKind kind : {PortKind::Tcp4, PortKind::Tcp6, PortKind::Tcp})
		EXPECT_FALSE(listening(tcp.port(), kind)) << portKindName(kind);
}

} /* namespace */
} /* namespace plinth */

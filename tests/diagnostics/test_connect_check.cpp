/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <future>
#include <string>

#include "connect_check.h"
#include "printers.h"
#include "test_socket.h"
#include "translator.h"

namespace plinth {
namespace {

using namespace std::chrono_literals;
using test::TestSocket;

DiagnosticCheck expected(const std::string &host, std::uint16_t port, bool negate,
			 CheckResult result)
{
	const std::string target = host + "-" + std::to_string(port);
	const std::string address = host + ":" + std::to_string(port);
	return {negate ? "daemon-netcat-negate-" + target : "daemon-netcat-" + target,
		"daemon-test",
		result,
		negate ? "Cannot connect to {host}:{port}" : "Connect to {host}:{port}",
		{{"host", host}, {"port", std::int64_t{port}}, {"negate", negate}},
		(negate ? "Cannot connect to " : "Connect to ") + address};
}

DiagnosticCheck run(const std::string &host, std::uint16_t port, bool negate,
		    const std::string &input = {}, std::chrono::milliseconds timeout = 5s)
{
	return runConnectCheck(ConnectCheckSpec{host, port, input, negate}, "daemon-test", timeout,
			       Translator());
}

/* Everything a peer sends until it closes, read on another thread while the check runs. */
std::future<std::string> receiveAll(const TestSocket &listener)
{
	return std::async(std::launch::async, [fd = listener.fd()] {
		pollfd pfd{fd, POLLIN, 0};
		if (poll(&pfd, 1, 5000) != 1)
			return std::string("(nobody connected)");
		const int connection = accept(fd, nullptr, nullptr);
		if (connection < 0)
			return std::string("(accept failed)");
		std::string received;
		char buffer[256];
		ssize_t n;
		while ((n = read(connection, buffer, sizeof(buffer))) > 0)
			received.append(buffer, static_cast<std::size_t>(n));
		close(connection);
		return received;
	});
}

TEST(ConnectCheck, PassesAgainstALiveListener)
{
	TestSocket listener = test::tcpListener("127.0.0.1");
	EXPECT_EQ(run("127.0.0.1", listener.port(), false),
		  expected("127.0.0.1", listener.port(), false, CheckResult::Passed));
	EXPECT_EQ(run("127.0.0.1", listener.port(), true),
		  expected("127.0.0.1", listener.port(), true, CheckResult::Failed));
}

TEST(ConnectCheck, FailsAgainstAPortNobodyListensOn)
{
	/* Bound, not listening: the kernel refuses connections to it, and nobody can take it. */
	TestSocket dead(AF_INET, SOCK_STREAM);
	dead.bind("127.0.0.1");
	EXPECT_EQ(run("127.0.0.1", dead.port(), false),
		  expected("127.0.0.1", dead.port(), false, CheckResult::Failed));
	EXPECT_EQ(run("127.0.0.1", dead.port(), true),
		  expected("127.0.0.1", dead.port(), true, CheckResult::Passed));
}

TEST(ConnectCheck, ReachesIpv6AndNamedHosts)
{
	PLINTH_REQUIRE(test::missingIpv6());
	TestSocket v6 = test::tcpListener("::1");
	EXPECT_EQ(run("::1", v6.port(), false).result, CheckResult::Passed);

	/* localhost comes from /etc/hosts, never from a name server. */
	TestSocket v4 = test::tcpListener("127.0.0.1");
	EXPECT_EQ(run("localhost", v4.port(), false),
		  expected("localhost", v4.port(), false, CheckResult::Passed));
}

TEST(ConnectCheck, SendsTheInputOnceConnected)
{
	TestSocket listener = test::tcpListener("127.0.0.1");
	std::future<std::string> received = receiveAll(listener);

	const std::string input = "GET / HTTP/1.0\r\n\r\n" + std::string(100000, 'x');
	EXPECT_EQ(run("127.0.0.1", listener.port(), false, input).result, CheckResult::Passed);

	ASSERT_EQ(received.wait_for(5s), std::future_status::ready);
	EXPECT_EQ(received.get(), input);
}

/*
 * A listener whose accept queue is full drops further SYNs, so a connect hangs there just as
 * towards a host that does not answer, without a packet leaving the machine.
 */
TEST(ConnectCheck, TimeoutBoundsAConnectThatGetsNoAnswer)
{
	TestSocket listener(AF_INET, SOCK_STREAM);
	listener.bind("127.0.0.1").listen(0);
	TestSocket queued(AF_INET, SOCK_STREAM);
	queued.connect("127.0.0.1", listener.port());

	for (const bool negate : {false, true}) {
		const auto start = std::chrono::steady_clock::now();
		const DiagnosticCheck check = run("127.0.0.1", listener.port(), negate, "x", 300ms);
		const auto elapsed = std::chrono::steady_clock::now() - start;

		EXPECT_EQ(check.result, negate ? CheckResult::Passed : CheckResult::Failed);
		EXPECT_GE(elapsed, 300ms);
		EXPECT_LT(elapsed, 2s);
	}
}

} /* namespace */
} /* namespace plinth */

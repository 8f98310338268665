/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <exception>
#include <filesystem>
#include <functional>
#include <iterator>
#include <optional>
#include <thread>

#include "diagnosis_runner.h"
#include "fake_units.h"
#include "german.h"
#include "post_queue.h"
#include "printers.h"
#include "test_socket.h"

namespace plinth {
namespace {

using namespace std::chrono_literals;
using test::TestSocket;

/* Runs what is posted on the test's thread until until() holds; false when nothing comes. */
class TestLoop : public test::PostQueue
{
public:
	bool runUntil(const std::function<bool()> &until)
	{
		while (!until()) {
			if (!runOne(60s))
				return false;
		}
		return true;
	}
};

Component component(ComponentKind kind, std::string id, std::string unit,
		    std::vector<ListenPort> ports = {})
{
	Component c;
	c.kind = kind;
	c.id = std::move(id);
	c.unit = std::move(unit);
	c.listenPorts = std::move(ports);
	return c;
}

class DiagnosisRunnerTest : public testing::Test
{
protected:
	void SetUp() override { PLINTH_REQUIRE(test::missingNetlink()); }

	void setUnit(const std::string &unit, const std::string &activeState)
	{
		units_.setLoadState(unit, "loaded");
		units_.setActiveState(unit, activeState);
	}

	/* Diagnoses the apps and runs the loop until done has been called. */
	DiagnosisRunner::Results diagnose(DiagnosisRunner &runner, std::vector<const App *> apps)
	{
		std::optional<DiagnosisRunner::Results> results;
		runner.diagnose(std::move(apps), status_,
				[&](std::exception_ptr error, DiagnosisRunner::Results r) {
					EXPECT_FALSE(error);
					EXPECT_EQ(std::this_thread::get_id(), loopThread_);
					results = std::move(r);
				});
		EXPECT_TRUE(loop_.runUntil([&] { return results.has_value(); }));
		return results.value_or(DiagnosisRunner::Results{});
	}

	const std::thread::id loopThread_ = std::this_thread::get_id();
	TestLoop loop_;
	const Translator english_;
	FakeUnits units_;
	const Registry registry_;
	const EnableStateStore records_{std::filesystem::path("/nonexistent/plinth-test-state")};
	const StatusQueries status_{registry_, units_, records_};
};

TEST_F(DiagnosisRunnerTest, ChecksEveryAppInTheReferencesOrder)
{
	TestSocket wiki = test::tcpListener("127.0.0.1");
	TestSocket unused(AF_INET, SOCK_STREAM);
	unused.bind("127.0.0.1");
	TestSocket dns = test::udpSocket("127.0.0.1");
	setUnit("wiki.service", "active");
	setUnit("db.service", "failed");
	setUnit("web.service", "active");
	setUnit("dns.service", "active");

	auto apps = std::make_unique<std::vector<App>>(2);
	App &wikiApp = (*apps)[0];
	wikiApp.id = "wiki";
	wikiApp.components = {
		component(ComponentKind::Daemon, "daemon-wiki", "wiki.service",
			  {{wiki.port(), PortKind::Tcp4, "127.0.0.1"}}),
		/* Not diagnosed, as in the reference, so its port is not read either. */
		component(ComponentKind::RelatedDaemon, "related-web", "web.service",
			  {{wiki.port(), PortKind::Tcp, ""}}),
		component(ComponentKind::SharedDaemon, "shared-db", "db.service",
			  {{unused.port(), PortKind::Tcp, ""}}),
	};
	wikiApp.checks = {{"127.0.0.1", wiki.port(), "HEAD / HTTP/1.0\r\n\r\n", false},
			  {"127.0.0.1", unused.port(), "", false},
			  {"127.0.0.1", unused.port(), "", true}};
	App &dnsApp = (*apps)[1];
	dnsApp.id = "dns";
	dnsApp.components = {
		component(ComponentKind::Daemon, "daemon-dns", "dns.service",
			  {{dns.port(), PortKind::Udp4, ""}}),
		component(ComponentKind::Daemon, "daemon-gone", "gone.service"),
	};

	DiagnosisRunner runner(loop_.post(), 5s, english_);
	std::optional<DiagnosisRunner::Results> results;
	runner.diagnose({&wikiApp, &dnsApp}, status_,
			[&](std::exception_ptr error, DiagnosisRunner::Results r) {
				EXPECT_FALSE(error);
				results = std::move(r);
			});
	/* What a reload does to the registry while the diagnosis runs. */
	apps.reset();
	ASSERT_TRUE(loop_.runUntil([&] { return results.has_value(); }));

	const std::string wikiPort = std::to_string(wiki.port());
	const std::string unusedPort = std::to_string(unused.port());
	const auto summary = [](const std::vector<DiagnosticCheck> &checks) {
		std::vector<std::string> lines;
		for (const DiagnosticCheck &check : checks)
			lines.push_back(check.checkId + " " + check.componentId + " " +
					std::string(checkResultName(check.result)));
		return lines;
	};
	ASSERT_EQ(results->size(), 2u);
	EXPECT_EQ(summary(results->at("wiki")),
		  (std::vector<std::string>{
			  "daemon-running-wiki.service daemon-wiki passed",
			  "daemon-listening-address-tcp4-" + wikiPort +
				  "-127.0.0.1 daemon-wiki passed",
			  "daemon-running-db.service shared-db failed",
			  "daemon-listening-tcp-" + unusedPort + " shared-db failed",
			  "daemon-netcat-127.0.0.1-" + wikiPort + "  passed",
			  "daemon-netcat-127.0.0.1-" + unusedPort + "  failed",
			  "daemon-netcat-negate-127.0.0.1-" + unusedPort + "  passed",
		  }));
	EXPECT_EQ(summary(results->at("dns")),
		  (std::vector<std::string>{
			  "daemon-running-dns.service daemon-dns passed",
			  "daemon-listening-udp4-" + std::to_string(dns.port()) +
				  " daemon-dns passed",
			  "daemon-running-gone.service daemon-gone error",
		  }));

	const DiagnosticCheck &negate = results->at("wiki")[6];
	EXPECT_EQ(negate.description, "Cannot connect to {host}:{port}");
	EXPECT_EQ(negate.parameters, (CheckParameters{{"host", std::string("127.0.0.1")},
						      {"port", std::int64_t{unused.port()}},
						      {"negate", true}}));
	EXPECT_EQ(negate.message, "Cannot connect to 127.0.0.1:" + unusedPort);
}

TEST_F(DiagnosisRunnerTest, MessagesAreInTheTranslatorsLanguage)
{
	PLINTH_REQUIRE(test::missingGerman());
	TestSocket live = test::tcpListener("127.0.0.1");
	setUnit("wiki.service", "active");
	App app;
	app.id = "wiki";
	app.components = {component(ComponentKind::Daemon, "daemon-wiki", "wiki.service",
				    {{live.port(), PortKind::Tcp4, ""}})};
	app.checks = {{"127.0.0.1", live.port(), "", true}};

	const Translator german(test::kGerman);
	DiagnosisRunner runner(loop_.post(), 5s, german);
	const auto checks = diagnose(runner, {&app}).at("wiki");

	const std::string port = std::to_string(live.port());
	ASSERT_EQ(checks.size(), 3u);
	EXPECT_EQ(checks[0].message, "Dienst wiki.service läuft");
	EXPECT_EQ(checks[1].message, "Lauscht auf tcp4-Port " + port);
	EXPECT_EQ(checks[2].message, "Keine Verbindung zu 127.0.0.1:" + port + " möglich");
	EXPECT_EQ(checks[2].description, "Cannot connect to {host}:{port}");
	EXPECT_EQ(checks[2].result, CheckResult::Failed);
}

TEST_F(DiagnosisRunnerTest, OverlappingDiagnosesEachGetTheirOwnResults)
{
	TestSocket live = test::tcpListener("127.0.0.1");
	setUnit("a.service", "active");
	setUnit("b.service", "inactive");
	App a, b;
	a.id = "a";
	a.components = {component(ComponentKind::Daemon, "daemon-a", "a.service",
				  {{live.port(), PortKind::Tcp, ""}})};
	b.id = "b";
	b.components = {component(ComponentKind::Daemon, "daemon-b", "b.service")};
	b.checks = {{"127.0.0.1", live.port(), "", false}};

	DiagnosisRunner runner(loop_.post(), 5s, english_);
	std::vector<DiagnosisRunner::Results> done;
	for (int i = 0; i < 3; i++) {
		runner.diagnose({&a}, status_, [&](auto, auto r) { done.push_back(std::move(r)); });
		runner.diagnose({&b}, status_, [&](auto, auto r) { done.push_back(std::move(r)); });
		runner.diagnose({&a, &b}, status_,
				[&](auto, auto r) { done.push_back(std::move(r)); });
	}
	ASSERT_TRUE(loop_.runUntil([&] { return done.size() == 9; }));

	std::size_t withA = 0, withB = 0;
	for (const DiagnosisRunner::Results &results : done) {
		if (results.contains("a")) {
			withA++;
			EXPECT_EQ(results.at("a").size(), 2u);
			EXPECT_EQ(results.at("a")[1].result, CheckResult::Passed);
		}
		if (results.contains("b")) {
			withB++;
			ASSERT_EQ(results.at("b").size(), 2u);
			EXPECT_EQ(results.at("b")[0].result, CheckResult::Failed);
			EXPECT_EQ(results.at("b")[1].result, CheckResult::Passed);
		}
	}
	EXPECT_EQ(withA, 6u);
	EXPECT_EQ(withB, 6u);
}

TEST_F(DiagnosisRunnerTest, RunnerGoneBeforeTheResultsArriveNeverCallsDone)
{
	setUnit("a.service", "active");
	App app;
	app.id = "a";
	app.components = {component(ComponentKind::Daemon, "daemon-a", "a.service",
				    {{1, PortKind::Tcp, ""}})};

	bool called = false;
	{
		DiagnosisRunner runner(loop_.post(), 5s, english_);
		runner.diagnose({&app}, status_, [&](auto, auto) { called = true; });
	}
	/*
	 * The worker may have posted before the runner stopped it. The loop runs that post
	 * first, and it must find nothing to do, then the later diagnosis.
	 */
	std::optional<DiagnosisRunner::Results> later;
	DiagnosisRunner runner(loop_.post(), 5s, english_);
	runner.diagnose({&app}, status_, [&](auto, auto r) { later = std::move(r); });
	ASSERT_TRUE(loop_.runUntil([&] { return later.has_value(); }));
	EXPECT_FALSE(called);
}

/* Threads of this process now. */
std::size_t threadCount()
{
	return static_cast<std::size_t>(
		std::distance(std::filesystem::directory_iterator("/proc/self/task"),
			      std::filesystem::directory_iterator()));
}

/*
 * A loopback listener whose accept queue is full: the kernel drops further SYNs, so a connect
 * to it neither succeeds nor fails until the client gives up.
 */
class UnansweringListener
{
public:
	UnansweringListener()
	{
		listener_.bind("127.0.0.1").listen(0);
		filler_.connect("127.0.0.1", listener_.port());
	}
	std::uint16_t port() const { return listener_.port(); }

private:
	TestSocket listener_{AF_INET, SOCK_STREAM};
	TestSocket filler_{AF_INET, SOCK_STREAM};
};

TEST_F(DiagnosisRunnerTest, ManyDiagnosesInFlightUseTwoThreadsWhateverTheirNumber)
{
	/* Nobody accepts: the queue must hold every connection the 40 diagnoses make to it. */
	TestSocket live(AF_INET, SOCK_STREAM);
	live.bind("127.0.0.1").listen(200);
	const UnansweringListener stuck;
	setUnit("a.service", "active");
	App app;
	app.id = "a";
	app.components = {component(ComponentKind::Daemon, "daemon-a", "a.service")};
	app.checks = {{"127.0.0.1", stuck.port(), "", false},
		      {"127.0.0.1", live.port(), "", false},
		      {"localhost", live.port(), "", false}};

	const std::size_t before = threadCount();
	DiagnosisRunner runner(loop_.post(), 300ms, english_);
	std::size_t most = threadCount();
	std::vector<DiagnosisRunner::Results> done;
	for (int i = 0; i < 40; ++i)
		runner.diagnose({&app}, status_, [&](auto, auto r) {
			most = std::max(most, threadCount());
			done.push_back(std::move(r));
		});
	most = std::max(most, threadCount());
	ASSERT_TRUE(loop_.runUntil([&] { return done.size() == 40; }));

	EXPECT_LE(most, before + 2);
	for (const DiagnosisRunner::Results &results : done) {
		const auto &checks = results.at("a");
		ASSERT_EQ(checks.size(), 4u);
		EXPECT_EQ(checks[1].result, CheckResult::Failed) << checks[1].checkId;
		EXPECT_EQ(checks[2].result, CheckResult::Passed) << checks[2].checkId;
		EXPECT_EQ(checks[3].result, CheckResult::Passed) << checks[3].checkId;
	}
}

/* Without the stop, the runner would wait out the minute-long connect (and the test time out). */
TEST_F(DiagnosisRunnerTest, StoppingEndsAConnectInProgressAtOnce)
{
	const UnansweringListener stuck;
	App app;
	app.id = "a";
	app.checks = {{"127.0.0.1", stuck.port(), "", false}};

	bool called = false;
	{
		DiagnosisRunner runner(loop_.post(), 60s, english_);
		runner.diagnose({&app}, status_, [&](auto, auto) { called = true; });
		/* Lets the worker reach the connect. */
		std::this_thread::sleep_for(100ms);
	}
	while (loop_.runOne(0ms)) {
	}
	EXPECT_FALSE(called);
}

/* Lowest free descriptor number, which a new socket would get. */
rlim_t nextDescriptor()
{
	const int fd = dup(STDIN_FILENO);
	close(fd);
	return static_cast<rlim_t>(fd);
}

/*
 * With no descriptor left, the kernel refuses the netlink socket itself: every port check
 * must say so, while the running checks, which need no socket, still pass.
 */
TEST_F(DiagnosisRunnerTest, NetlinkRefusedMakesEveryPortCheckAnError)
{
	setUnit("a.service", "active");
	App app;
	app.id = "a";
	app.components = {component(ComponentKind::Daemon, "daemon-a", "a.service",
				    {{80, PortKind::Tcp4, ""}, {53, PortKind::Udp, ""}})};
	DiagnosisRunner runner(loop_.post(), 5s, english_);

	rlimit saved{};
	ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &saved), 0);
	rlimit none = saved;
	none.rlim_cur = nextDescriptor();
	ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &none), 0);
	std::optional<DiagnosisRunner::Results> results;
	runner.diagnose({&app}, status_, [&](auto, auto r) { results = std::move(r); });
	const bool ran = loop_.runUntil([&] { return results.has_value(); });
	ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &saved), 0);
	ASSERT_TRUE(ran);

	const auto &checks = results->at("a");
	ASSERT_EQ(checks.size(), 3u);
	EXPECT_EQ(checks[0].result, CheckResult::Passed);
	for (const DiagnosticCheck &check : {checks[1], checks[2]}) {
		EXPECT_EQ(check.result, CheckResult::Error) << check.checkId;
		ASSERT_EQ(check.parameters.back().first, "error");
		EXPECT_NE(std::get<std::string>(check.parameters.back().second)
				  .find("cannot open a NETLINK_SOCK_DIAG socket: Too many open "
					"files"),
			  std::string::npos)
			<< std::get<std::string>(check.parameters.back().second);
	}
}

} /* namespace */
} /* namespace plinth */

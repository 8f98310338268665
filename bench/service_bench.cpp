/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The real service on a private bus against a real sandboxed systemd --user, each figure a
 * ratio against baselines measured in the same run:
 *  - the floor: a org.freedesktop.DBus.Peer.Ping round trip to the service on the same bus;
 *  - the reference way: per unit one `systemctl --user is-enabled` and one `systemctl --user
 *    status` process;
 *  - the service itself with nothing to do (no apps, one slow unit);
 *  - systemd's own time to tell the unit-file states of 1000 units: one
 *    `systemctl --user is-enabled` of all of them.
 *
 *   service-bench [runs]
 */
#include <stdlib.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include <sdbus-c++/sdbus-c++.h>

#include "bench_service.h"
#include "bench_support.h"
#include "child_process.h"
#include "event_loop.h"
#include "generated_apps.h"
#include "manager_pinger.h"
#include "sandbox_bench.h"
#include "systemd_sandbox.h"

using namespace plinth;
using namespace plinth::bench;

namespace {

using Clock = std::chrono::steady_clock;
using AppRows = std::vector<sdbus::Struct<std::string, std::string, bool, bool>>;

const std::string kBusName = "org.freedesktop.Plinth.Daemons";
const std::string kObjectPath = "/org/freedesktop/Plinth/Daemons";
const std::string kInterface = "org.freedesktop.Plinth.Daemons";
const std::string kPeer = "org.freedesktop.DBus.Peer";

/* ListApps: 100 apps, the first 50 with two Daemons, 150 units in mixed states. */
constexpr int kListApps = 100;
constexpr int kListUnits = 150;
constexpr int kManyApps = 1000;
constexpr int kSlowUnits = 5;
constexpr int kSlowStartSeconds = 1;
constexpr std::array<int, 3> kClientCounts = {1, 4, 16};
constexpr auto kThroughputWindow = std::chrono::seconds(1);
constexpr auto kLongCall = std::chrono::seconds(60);

/* One row of the closing table. */
struct Figure {
	std::string scenario;
	std::string measured;
	std::string baseline;
	std::string ratio;
	std::string goal;
	/* Nothing for a figure that has no goal of its own. */
	std::optional<bool> met;
};

std::string format(const char *pattern, double value)
{
	char text[64];
	std::snprintf(text, sizeof(text), pattern, value);
	return text;
}

/* Everything the scenarios share: the sandbox, the bench's bus and its client side. */
class Bench
{
public:
	Bench(const std::filesystem::path &workDir, int runs);

	void listApps(std::vector<Figure> &figures);
	void isAppRunningThroughput(std::vector<Figure> &figures);
	void enableSlowApp(std::vector<Figure> &figures);
	void startUpAndMemory(std::vector<Figure> &figures);

private:
	std::unique_ptr<ServiceRun> serve(const std::string &appsSet);
	sdbus::IProxy &service() { return *proxy_; }
	double callsPerSecond(
		int clients,
		const std::function<sdbus::MethodCall(sdbus::IProxy &, std::size_t)> &makeCall);

	std::filesystem::path workDir_;
	int runs_;
	std::unique_ptr<test::SystemdSandbox> sandbox_;
	std::unique_ptr<BenchBus> bus_;
	std::unique_ptr<sdbus::IConnection> connection_;
	std::unique_ptr<sdbus::IProxy> proxy_;
	EventLoop loop_;
	std::vector<std::string> listUnits_;
};

Bench::Bench(const std::filesystem::path &workDir, int runs) : workDir_(workDir), runs_(runs)
{
	const std::filesystem::path units = workDir / "units";
	std::vector<std::string> unitFiles{
		writeTemplateUnit(units, "bench", 0).string(),
		writeTemplateUnit(units, "slow", kSlowStartSeconds).string(),
	};
	/* Apps as distributions ship them: each daemon with a unit file of its own. */
	std::vector<GeneratedApp> own;
	for (int i = 0; i < kManyApps; i++) {
		const std::string name = "bench-own-" + std::to_string(i);
		unitFiles.push_back(writeServiceUnit(units, name).string());
		own.push_back({"own-" + std::to_string(i), {name + ".service"}});
	}
	sandbox_ = std::make_unique<test::SystemdSandbox>(unitFiles);
	writeAppDefinitions(workDir / "own", own);

	std::vector<GeneratedApp> list;
	for (int i = 0; i < kListUnits; i++)
		listUnits_.push_back(instanceOf("bench", i));
	for (int i = 0; i < kListApps; i++) {
		GeneratedApp app{"list-" + std::to_string(i), {listUnits_[i]}};
		if (i + kListApps < kListUnits)
			app.units.push_back(listUnits_[i + kListApps]);
		list.push_back(app);
	}
	writeAppDefinitions(workDir / "list", list);

	/* All states: a third running, half enabled, some both, some neither. */
	std::vector<std::string> start{"start"}, enable{"enable"};
	for (int i = 0; i < kListUnits; i++) {
		if (i % 3 == 0)
			start.push_back(listUnits_[i]);
		if (i % 2 == 0)
			enable.push_back(listUnits_[i]);
	}
	sandbox_->systemctl(start);
	enable.push_back("--quiet");
	sandbox_->systemctl(enable);

	std::vector<GeneratedApp> slow{{"slow-one", {instanceOf("slow", 0)}}, {"slow-many", {}}};
	for (int i = 1; i <= kSlowUnits; i++)
		slow[1].units.push_back(instanceOf("slow", i));
	writeAppDefinitions(workDir / "slow", slow);

	std::vector<GeneratedApp> many;
	for (int i = 0; i < kManyApps; i++)
		many.push_back({"many-" + std::to_string(i), {instanceOf("bench", 1000 + i)}});
	writeAppDefinitions(workDir / "many", many);
	std::filesystem::create_directories(workDir / "none");

	bus_ = std::make_unique<BenchBus>(workDir);
	connection_ = sdbus::createSessionBusConnectionWithAddress(bus_->address());
	loop_.addConnection(*connection_);
	proxy_ = sdbus::createProxy(*connection_, kBusName, kObjectPath);
}

std::unique_ptr<ServiceRun> Bench::serve(const std::string &appsSet)
{
	return std::make_unique<ServiceRun>(*connection_, loop_, bus_->address(),
					    sandbox_->busAddress(), workDir_ / appsSet, workDir_);
}

void Bench::listApps(std::vector<Figure> &figures)
{
	const auto running = serve("list");

	const double ping = medianOf(runs_, [&] {
		const Clock::time_point start = Clock::now();
		service().callMethod("Ping").onInterface(kPeer);
		return millisecondsSince(start);
	});
	AppRows rows;
	const double list = medianOf(runs_, [&] {
		rows.clear();
		const Clock::time_point start = Clock::now();
		service().callMethod("ListApps").onInterface(kInterface).storeResultsTo(rows);
		return millisecondsSince(start);
	});
	const auto enabled = std::count_if(rows.begin(), rows.end(),
					   [](const auto &row) { return row.template get<2>(); });
	const auto up = std::count_if(rows.begin(), rows.end(),
				      [](const auto &row) { return row.template get<3>(); });
	if (rows.size() != kListApps || enabled == 0 || enabled == kListApps || up == 0 ||
	    up == kListApps)
		throw std::runtime_error("ListApps showed " + std::to_string(rows.size()) +
					 " apps, " + std::to_string(enabled) + " enabled, " +
					 std::to_string(up) + " running: not all states");

	/* The reference is slow and linear in the units: one pass over all of them. */
	const std::vector<std::string> environment = sandbox_->environment();
	const Clock::time_point start = Clock::now();
	for (const std::string &unit : listUnits_) {
		runQuietly({"/usr/bin/systemctl", "--user", "is-enabled", unit}, environment);
		runQuietly({"/usr/bin/systemctl", "--user", "status", unit}, environment);
	}
	const double reference = millisecondsSince(start);

	std::printf("ListApps, %d apps / %d units (%ld enabled, %ld running), median of %d\n",
		    kListApps, kListUnits, enabled, up, runs_);
	std::printf("  Peer.Ping round trip:           %10.3f ms\n", ping);
	std::printf("  ListApps:                       %10.3f ms\n", list);
	std::printf("  reference way, %3d processes:   %10.1f ms\n", 2 * kListUnits, reference);

	figures.push_back({"ListApps, 100 apps / 150 units", format("%.3f ms", list),
			   format("Ping %.3f ms", ping), format("%.2f× Ping", list / ping),
			   "≤ 3× Ping", list / ping <= 3});
	figures.push_back({"ListApps against the reference way", format("%.3f ms", list),
			   format("systemctl ×300: %.0f ms", reference),
			   format("%.0f× faster", reference / list), "≥ 100× faster",
			   reference / list >= 100});
}

double Bench::callsPerSecond(
	int clients, const std::function<sdbus::MethodCall(sdbus::IProxy &, std::size_t)> &makeCall)
{
	struct Client {
		std::unique_ptr<sdbus::IConnection> connection;
		std::unique_ptr<sdbus::IProxy> proxy;
	};
	std::vector<Client> all;
	for (int i = 0; i < clients; i++) {
		Client client{sdbus::createSessionBusConnectionWithAddress(bus_->address()), {}};
		client.proxy = sdbus::createProxy(*client.connection, kBusName, kObjectPath);
		loop_.addConnection(*client.connection);
		all.push_back(std::move(client));
	}

	std::size_t answered = 0, failed = 0, outstanding = 0;
	bool stopping = false;
	std::function<void(Client &)> issue = [&](Client &client) {
		++outstanding;
		client.proxy->callMethod(
			makeCall(*client.proxy, answered),
			[&](sdbus::MethodReply &, const sdbus::Error *error) {
				--outstanding;
				++answered;
				failed += error != nullptr;
				if (!stopping)
					issue(client);
			},
			std::chrono::seconds(10));
	};
	for (Client &client : all)
		issue(client);

	/* A warm-up window first, then the counted one. */
	Clock::time_point until = Clock::now() + kThroughputWindow / 4;
	loop_.runUntil([&] { return Clock::now() >= until; }, kLongCall);
	const std::size_t before = answered;
	const Clock::time_point start = Clock::now();
	until = start + kThroughputWindow;
	loop_.runUntil([&] { return Clock::now() >= until; }, kLongCall);
	const double perSecond =
		static_cast<double>(answered - before) * 1000.0 / millisecondsSince(start);
	stopping = true;
	loop_.runUntil([&] { return outstanding == 0; }, kLongCall);

	for (Client &client : all)
		loop_.removeConnection(*client.connection);
	if (failed)
		throw std::runtime_error(std::to_string(failed) + " calls failed");
	return perSecond;
}

void Bench::isAppRunningThroughput(std::vector<Figure> &figures)
{
	const auto running = serve("list");
	std::vector<std::string> ids;
	for (int i = 0; i < kListApps; i++)
		ids.push_back("list-" + std::to_string(i));

	const auto ping = [](sdbus::IProxy &proxy, std::size_t) {
		return proxy.createMethodCall(kPeer, "Ping");
	};
	const auto isAppRunning = [&](sdbus::IProxy &proxy, std::size_t n) {
		sdbus::MethodCall call = proxy.createMethodCall(kInterface, "IsAppRunning");
		call << ids[n % ids.size()];
		return call;
	};

	std::printf("IsAppRunning throughput, %d apps, median of 3 windows of %lld ms\n", kListApps,
		    static_cast<long long>(std::chrono::milliseconds(kThroughputWindow).count()));
	for (int clients : kClientCounts) {
		/* Alternated, so a neighbour's load on the machine hits both alike. */
		std::vector<double> pings, calls;
		for (int round = 0; round < 3; round++) {
			pings.push_back(callsPerSecond(clients, ping));
			calls.push_back(callsPerSecond(clients, isAppRunning));
		}
		const double floor = median(pings), measured = median(calls);
		std::printf("  %2d clients: Ping %8.0f/s, IsAppRunning %8.0f/s (%.0f%%)\n", clients,
			    floor, measured, 100 * measured / floor);
		figures.push_back({"IsAppRunning, " + std::to_string(clients) + " client(s)",
				   format("%.0f calls/s", measured),
				   format("Ping %.0f calls/s", floor),
				   format("%.0f%% of Ping", 100 * measured / floor),
				   "≥ 50% of Ping", measured >= floor / 2});
	}
}

void Bench::enableSlowApp(std::vector<Figure> &figures)
{
	const auto running = serve("slow");
	const auto timeEnable = [&](const std::string &app) {
		service()
			.callMethod("DisableApp")
			.onInterface(kInterface)
			.withArguments(app)
			.withTimeout(kLongCall);
		const Clock::time_point start = Clock::now();
		service()
			.callMethod("EnableApp")
			.onInterface(kInterface)
			.withArguments(app)
			.withTimeout(kLongCall);
		return millisecondsSince(start);
	};
	const int runs = 3;
	const double alone = medianOf(runs, [&] { return timeEnable("slow-one"); });
	const double many = medianOf(runs, [&] { return timeEnable("slow-many"); });

	std::printf("EnableApp, units starting in %d s, median of %d\n", kSlowStartSeconds, runs);
	std::printf("  one slow unit:                  %10.1f ms\n", alone);
	std::printf("  %d slow units:                   %10.1f ms\n", kSlowUnits, many);
	figures.push_back({"EnableApp, 5 units of 1 s each", format("%.0f ms", many),
			   format("1 unit alone: %.0f ms", alone),
			   format("%.2f× one unit", many / alone), "≤ 1.5× one unit",
			   many / alone <= 1.5});
}

void Bench::startUpAndMemory(std::vector<Figure> &figures)
{
	struct StartUp {
		double owned;
		double answered;
		double cpu;
		double mib;
		double managerPause;
	};
	const auto measure = [&](const std::string &appsSet, int apps) {
		std::vector<double> owned, answered, cpu, kib, pause;
		for (int i = 0; i < runs_ / 100 + 3; i++) {
			ManagerPinger pinger(sandbox_->busAddress());
			const auto running = serve(appsSet);
			AppRows rows;
			service()
				.callMethod("ListApps")
				.onInterface(kInterface)
				.withTimeout(kLongCall)
				.storeResultsTo(rows);
			answered.push_back(running->sinceSpawn().count());
			pause.push_back(pinger.stop());
			if (rows.size() != static_cast<std::size_t>(apps))
				throw std::runtime_error("the service lists " +
							 std::to_string(rows.size()) + " apps");
			owned.push_back(running->startUp().count());
			cpu.push_back(cpuMilliseconds(running->pid()));
			kib.push_back(static_cast<double>(residentKiB(running->pid())));
		}
		return StartUp{median(owned), median(answered), median(cpu), median(kib) / 1024,
			       median(pause)};
	};
	/* What systemd itself takes to tell the same unit-file states to one client. */
	const std::vector<std::string> environment = sandbox_->environment();
	const auto timeIsEnabled = [&](const std::string &unitPrefix, int first) {
		std::vector<std::string> command{"/usr/bin/systemctl", "--user", "is-enabled"};
		for (int i = 0; i < kManyApps; i++)
			command.push_back(unitPrefix + std::to_string(first + i) + ".service");
		return medianOf(3, [&] {
			const Clock::time_point start = Clock::now();
			runQuietly(command, environment);
			return millisecondsSince(start);
		});
	};

	const StartUp none = measure("none", 0);
	const StartUp many = measure("many", kManyApps);
	const StartUp own = measure("own", kManyApps);
	const double manySystemctl = timeIsEnabled("bench@", 1000);
	const double ownSystemctl = timeIsEnabled("bench-own-", 0);

	/* The service's own CPU time tells its share of the start-up from systemd's. */
	std::printf("start-up: name owned, first ListApps answered (service CPU by then), "
		    "resident memory after it, longest systemd Ping meanwhile; systemctl "
		    "is-enabled of the same units\n");
	const auto print = [](const char *what, const StartUp &run) {
		std::printf("  %-31s %8.1f ms %8.1f ms (%6.1f ms CPU) %6.2f MiB %7.1f ms", what,
			    run.owned, run.answered, run.cpu, run.mib, run.managerPause);
	};
	print("no apps:", none);
	std::printf("\n");
	print("1000 apps, own unit files:", own);
	std::printf(" %8.1f ms\n", ownSystemctl);
	print("1000 apps, template instances:", many);
	std::printf(" %8.1f ms\n", manySystemctl);

	for (const auto &[kind, run, systemctl] :
	     {std::tuple{"own unit files", own, ownSystemctl},
	      std::tuple{"template instances", many, manySystemctl}}) {
		figures.push_back({std::string("start-up to name owned, 1000 apps, ") + kind,
				   format("%.0f ms", run.owned),
				   format("no apps: %.0f ms", none.owned),
				   format("%.1f× no apps", run.owned / none.owned), "≤ 200 ms",
				   run.owned <= 200});
		figures.push_back(
			{std::string("start-up to first ListApps answer, 1000 apps, ") + kind,
			 format("%.0f ms", run.answered),
			 format("systemctl is-enabled ×1000: %.0f ms", systemctl),
			 format("%.2f× systemctl", run.answered / systemctl),
			 "none (systemd's own work)", std::nullopt});
		figures.push_back(
			{std::string("longest systemd Ping while starting, 1000 apps, ") + kind,
			 format("%.0f ms", run.managerPause),
			 format("no apps: %.1f ms", none.managerPause),
			 format("%.0f× no apps", run.managerPause / none.managerPause), "none",
			 std::nullopt});
	}
	figures.push_back({"resident memory, 1000 apps", format("%.1f MiB", many.mib),
			   format("no apps: %.1f MiB", none.mib),
			   format("%.1f× no apps", many.mib / none.mib), "≤ 16 MiB",
			   many.mib <= 16});
}

} /* namespace */

int main(int argc, char **argv)
{
	const int runs = sandboxBenchRuns(argc, argv, 201);

	std::string pattern = "/tmp/pd-bench-XXXXXX";
	if (!mkdtemp(pattern.data()))
		die("mkdtemp");
	const std::filesystem::path workDir = pattern;

	std::vector<Figure> figures;
	try {
		Bench bench(workDir, runs);
		bench.listApps(figures);
		bench.isAppRunningThroughput(figures);
		bench.enableSlowApp(figures);
		bench.startUpAndMemory(figures);
	} catch (const std::exception &e) {
		std::fprintf(stderr, "service-bench: %s (files kept in %s)\n", e.what(),
			     workDir.c_str());
		return 1;
	}

	std::printf("\n| scenario | measured | baseline (same run) | ratio | goal | met |\n");
	std::printf("|---|---|---|---|---|---|\n");
	for (const Figure &f : figures) {
		std::printf("| %s | %s | %s | %s | %s | %s |\n", f.scenario.c_str(),
			    f.measured.c_str(), f.baseline.c_str(), f.ratio.c_str(), f.goal.c_str(),
			    !f.met   ? "—"
			    : *f.met ? "yes"
				     : "**no**");
	}
	std::filesystem::remove_all(workDir);
	return 0;
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The real service at 100, 1000 and 10 000 apps, each app a daemon with a unit file of its
 * own, on a private bus against a real sandboxed systemd --user, each figure a ratio against a
 * baseline measured in the same run and on the same manager:
 *  - the name owned, against a service with 10 of those apps;
 *  - every state known (the first ListApps answered, which waits for them), against
 *    systemd's own cheapest way to say the same: one ListUnitFilesByPatterns plus one
 *    ListUnitsByNames over the same units; and meanwhile the longest round trip of a Ping to
 *    systemd, which answers nobody else while it works on one of the service's calls;
 *  - resident memory once the states are known, against the service with 10 apps;
 *  - ListApps and GetManagedObjects against a Peer.Ping round trip to the service;
 *  - one app's EnableApp + DisableApp against the same cycle with 10 apps, and against
 *    `systemctl --user enable, start, disable, stop` of its unit;
 *  - DiagnoseAll, per app, against the next smaller number of apps.
 *
 *   scale-bench [runs] [largest number of apps]
 */
#include <stdlib.h>

#include <cstdio>
#include <map>
#include <stdexcept>
#include <string>
#include <thread>
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
/* ListUnitsByNames: id, description, load, active and sub state, following, object, job. */
using UnitRows = std::vector<
	sdbus::Struct<std::string, std::string, std::string, std::string, std::string, std::string,
		      sdbus::ObjectPath, std::uint32_t, std::string, sdbus::ObjectPath>>;
using ManagedObjects =
	std::map<sdbus::ObjectPath, std::map<std::string, std::map<std::string, sdbus::Variant>>>;
using Diagnoses =
	std::map<std::string,
		 std::vector<sdbus::Struct<std::string, std::string, std::string, std::string,
					   std::map<std::string, sdbus::Variant>, std::string>>>;

const std::string kBusName = "org.freedesktop.Plinth.Daemons";
const std::string kObjectPath = "/org/freedesktop/Plinth/Daemons";
const std::string kInterface = "org.freedesktop.Plinth.Daemons";
const std::string kPeer = "org.freedesktop.DBus.Peer";
const std::string kManagerInterface = "org.freedesktop.systemd1.Manager";

constexpr std::array<int, 3> kScales = {100, 1000, 10000};
constexpr int kFewApps = 10;
/* Start-ups and baselines are medians of kRounds each, below kOneRoundFrom apps. */
constexpr int kRounds = 3;
constexpr int kOneRoundFrom = 10000;
/* systemd's unit-file look-ups grow with the square of the unit files: minutes at 10 000. */
constexpr auto kLongCall = std::chrono::minutes(20);
/* The manager counts as idle once it used less than this share of a CPU for a while. */
constexpr double kIdleShare = 0.05;
constexpr auto kIdlePoll = std::chrono::milliseconds(500);

/*
 * Waits until the manager is idle, so that one measurement does not pay for the work another
 * left (systemd unloads the units a ListUnitsByNames loaded, and that takes it minutes at
 * 10 000 units); returns the CPU time it used meanwhile, in ms.
 */
double waitUntilIdle(pid_t pid)
{
	const double start = cpuMilliseconds(pid);
	double before = start;
	for (;;) {
		std::this_thread::sleep_for(kIdlePoll);
		const double now = cpuMilliseconds(pid);
		if (now - before < kIdleShare * std::chrono::milliseconds(kIdlePoll).count())
			return now - start;
		before = now;
	}
}

double timed(const std::function<void()> &call)
{
	const Clock::time_point start = Clock::now();
	call();
	return millisecondsSince(start);
}

struct Scale {
	int apps = 0;
	double listUnitFiles = 0;
	double listUnits = 0;
	double managerAfterBaseline = 0;
	double fewOwned = 0;
	double fewMiB = 0;
	double fewCycle = 0;
	double owned = 0;
	double known = 0;
	double serviceCpu = 0;
	double mib = 0;
	/* The longest systemd Ping round trip from the spawn until every state was known. */
	double managerPause = 0;
	double ping = 0;
	double listApps = 0;
	double managedObjects = 0;
	double cycle = 0;
	double systemctlCycle = 0;
	double diagnoseAll = 0;

	double baseline() const { return listUnitFiles + listUnits; }
};

class ScaleRun
{
public:
	ScaleRun(const std::filesystem::path &workDir, int apps, int runs);

	Scale measure();

private:
	std::unique_ptr<ServiceRun> serve(const std::string &appsSet);
	void callWithApp(const std::string &method, const std::string &app);
	double cycle();
	struct Baseline {
		double listUnitFiles;
		double listUnits;
		/* The manager's CPU after it answered, until it was idle again. */
		double managerAfter;
	};
	struct StartUp {
		double owned;
		double known;
		double serviceCpu;
		double mib;
		double managerPause;
	};

	Baseline measureBaseline();
	void measureFew(Scale &scale);
	std::unique_ptr<ServiceRun> startMany(StartUp &startUp);
	void measureReads(Scale &scale);

	std::filesystem::path workDir_;
	int apps_;
	int runs_;
	std::vector<std::string> units_;
	std::unique_ptr<test::SystemdSandbox> sandbox_;
	pid_t manager_;
	std::unique_ptr<BenchBus> bus_;
	std::unique_ptr<sdbus::IConnection> connection_;
	std::unique_ptr<sdbus::IProxy> service_;
	EventLoop loop_;
};

ScaleRun::ScaleRun(const std::filesystem::path &workDir, int apps, int runs)
	: workDir_(workDir), apps_(apps), runs_(runs)
{
	const std::filesystem::path unitDir = workDir / "units";
	std::vector<std::string> unitFiles;
	std::vector<GeneratedApp> definitions;
	for (int i = 0; i < apps; i++) {
		const std::string name = "bench-scale-" + std::to_string(i);
		unitFiles.push_back(writeServiceUnit(unitDir, name).string());
		units_.push_back(name + ".service");
		definitions.push_back({"scale-" + std::to_string(i), {units_.back()}});
	}
	writeAppDefinitions(workDir / "many", definitions);
	writeAppDefinitions(workDir / "few", {definitions.begin(), definitions.begin() + kFewApps});
	sandbox_ = std::make_unique<test::SystemdSandbox>(unitFiles);
	manager_ = systemdManagerPid(sandbox_->busAddress());

	bus_ = std::make_unique<BenchBus>(workDir);
	connection_ = sdbus::createSessionBusConnectionWithAddress(bus_->address());
	loop_.addConnection(*connection_);
	service_ = sdbus::createProxy(*connection_, kBusName, kObjectPath);
}

std::unique_ptr<ServiceRun> ScaleRun::serve(const std::string &appsSet)
{
	return std::make_unique<ServiceRun>(*connection_, loop_, bus_->address(),
					    sandbox_->busAddress(), workDir_ / appsSet, workDir_);
}

void ScaleRun::callWithApp(const std::string &method, const std::string &app)
{
	service_->callMethod(method)
		.onInterface(kInterface)
		.withTimeout(kLongCall)
		.withArguments(app);
}

/* The median EnableApp + DisableApp of one app, whose unit starts and stops with it. */
double ScaleRun::cycle()
{
	return medianOf(runs_, [&] {
		return timed([&] {
			callWithApp("EnableApp", "scale-1");
			callWithApp("DisableApp", "scale-1");
		});
	});
}

/* One ListUnitFilesByPatterns and one ListUnitsByNames over every unit, on an idle manager. */
ScaleRun::Baseline ScaleRun::measureBaseline()
{
	const auto systemd = sdbus::createSessionBusConnectionWithAddress(sandbox_->busAddress());
	const auto manager = sdbus::createProxy(*systemd, "org.freedesktop.systemd1",
						"/org/freedesktop/systemd1");
	waitUntilIdle(manager_);
	Baseline baseline;
	std::vector<sdbus::Struct<std::string, std::string>> files;
	baseline.listUnitFiles = timed([&] {
		manager->callMethod("ListUnitFilesByPatterns")
			.onInterface(kManagerInterface)
			.withTimeout(kLongCall)
			.withArguments(std::vector<std::string>(), units_)
			.storeResultsTo(files);
	});
	UnitRows units;
	baseline.listUnits = timed([&] {
		manager->callMethod("ListUnitsByNames")
			.onInterface(kManagerInterface)
			.withTimeout(kLongCall)
			.withArguments(units_)
			.storeResultsTo(units);
	});
	if (files.size() != units_.size() || units.size() != units_.size())
		throw std::runtime_error("systemd listed " + std::to_string(files.size()) +
					 " unit files and " + std::to_string(units.size()) +
					 " units of " + std::to_string(units_.size()));
	baseline.managerAfter = waitUntilIdle(manager_);
	return baseline;
}

void ScaleRun::measureFew(Scale &scale)
{
	waitUntilIdle(manager_);
	const auto running = serve("few");
	service_->callMethod("ListApps").onInterface(kInterface).withTimeout(kLongCall);
	scale.fewOwned = running->startUp().count();
	scale.fewMiB = static_cast<double>(residentKiB(running->pid())) / 1024;
	scale.fewCycle = cycle();
}

/* The service over every app on an idle manager, until every state is known. */
std::unique_ptr<ServiceRun> ScaleRun::startMany(StartUp &startUp)
{
	waitUntilIdle(manager_);
	ManagerPinger pinger(sandbox_->busAddress());
	auto running = serve("many");
	AppRows rows;
	service_->callMethod("ListApps")
		.onInterface(kInterface)
		.withTimeout(kLongCall)
		.storeResultsTo(rows);
	startUp.known = running->sinceSpawn().count();
	startUp.managerPause = pinger.stop();
	startUp.owned = running->startUp().count();
	startUp.serviceCpu = cpuMilliseconds(running->pid());
	startUp.mib = static_cast<double>(residentKiB(running->pid())) / 1024;
	if (rows.size() != static_cast<std::size_t>(apps_))
		throw std::runtime_error("the service lists " + std::to_string(rows.size()) +
					 " apps of " + std::to_string(apps_));
	return running;
}

void ScaleRun::measureReads(Scale &scale)
{
	scale.ping = medianOf(runs_, [&] {
		return timed([&] { service_->callMethod("Ping").onInterface(kPeer); });
	});
	AppRows rows;
	scale.listApps = medianOf(runs_, [&] {
		return timed([&] {
			service_->callMethod("ListApps")
				.onInterface(kInterface)
				.storeResultsTo(rows);
		});
	});
	ManagedObjects objects;
	scale.managedObjects = medianOf(runs_, [&] {
		objects.clear();
		return timed([&] {
			service_->callMethod("GetManagedObjects")
				.onInterface("org.freedesktop.DBus.ObjectManager")
				.storeResultsTo(objects);
		});
	});
	if (objects.size() != 2 * static_cast<std::size_t>(apps_))
		throw std::runtime_error("GetManagedObjects lists " +
					 std::to_string(objects.size()) + " objects, not " +
					 std::to_string(2 * apps_));

	Diagnoses diagnoses;
	scale.diagnoseAll = medianOf(runs_, [&] {
		return timed([&] {
			service_->callMethod("DiagnoseAll")
				.onInterface(kInterface)
				.withTimeout(kLongCall)
				.storeResultsTo(diagnoses);
		});
	});
	if (diagnoses.size() != static_cast<std::size_t>(apps_))
		throw std::runtime_error("DiagnoseAll diagnosed " +
					 std::to_string(diagnoses.size()) + " apps");
}

/*
 * The baseline and the start-up alternate, so that a neighbour's load on the machine hits
 * both alike; at 10 000 apps once, as each takes minutes.
 */
Scale ScaleRun::measure()
{
	Scale scale;
	scale.apps = apps_;
	measureFew(scale);

	const int rounds = apps_ >= kOneRoundFrom ? 1 : kRounds;
	std::vector<double> listUnitFiles, listUnits, managerAfter, owned, known, cpu, mib, pause;
	std::unique_ptr<ServiceRun> running;
	for (int round = 0; round < rounds; round++) {
		running.reset();
		const Baseline baseline = measureBaseline();
		listUnitFiles.push_back(baseline.listUnitFiles);
		listUnits.push_back(baseline.listUnits);
		managerAfter.push_back(baseline.managerAfter);
		StartUp startUp;
		running = startMany(startUp);
		owned.push_back(startUp.owned);
		known.push_back(startUp.known);
		cpu.push_back(startUp.serviceCpu);
		mib.push_back(startUp.mib);
		pause.push_back(startUp.managerPause);
	}
	scale.listUnitFiles = median(listUnitFiles);
	scale.listUnits = median(listUnits);
	scale.managerAfterBaseline = median(managerAfter);
	scale.owned = median(owned);
	scale.known = median(known);
	scale.serviceCpu = median(cpu);
	scale.mib = median(mib);
	scale.managerPause = median(pause);

	measureReads(scale);
	scale.cycle = cycle();
	running.reset();

	const std::string unit = units_[1];
	scale.systemctlCycle = medianOf(runs_, [&] {
		return timed([&] {
			for (const char *verb : {"enable", "start", "disable", "stop"})
				sandbox_->systemctl({verb, unit});
		});
	});
	return scale;
}

void printFigures(const std::vector<Scale> &scales, int runs)
{
	std::printf(
		"\nmedian of %d where repeated (start-ups and baselines: of 3, alternated, below "
		"10 000 apps); every ratio against a baseline of the same run "
		"and manager\n",
		runs);
	std::printf(
		"\n| apps | name owned | 10 apps | ratio | every state known | "
		"ListUnitFilesByPatterns + ListUnitsByNames | ratio (goal ≤ 1.5×) | service CPU "
		"by then |\n|---|---|---|---|---|---|---|---|\n");
	for (const Scale &s : scales)
		std::printf("| %d | %.0f ms | %.0f ms | %.1f× | %.0f ms | %.0f + %.0f ms | %.2f× | "
			    "%.0f ms |\n",
			    s.apps, s.owned, s.fewOwned, s.owned / s.fewOwned, s.known,
			    s.listUnitFiles, s.listUnits, s.known / s.baseline(), s.serviceCpu);

	std::printf("\n| apps | resident memory | 10 apps | ratio | ListApps | GetManagedObjects | "
		    "Ping | ratios to Ping |\n|---|---|---|---|---|---|---|---|\n");
	for (const Scale &s : scales)
		std::printf("| %d | %.1f MiB | %.1f MiB | %.1f× | %.2f ms | %.2f ms | %.3f ms | "
			    "%.0f× / %.0f× |\n",
			    s.apps, s.mib, s.fewMiB, s.mib / s.fewMiB, s.listApps, s.managedObjects,
			    s.ping, s.listApps / s.ping, s.managedObjects / s.ping);

	std::printf("\n| apps | EnableApp + DisableApp | 10 apps | ratio (goal ≤ 1.5×) | systemctl "
		    "enable/start/disable/stop | ratio | DiagnoseAll | per app | against the "
		    "row before |\n|---|---|---|---|---|---|---|---|---|\n");
	for (std::size_t i = 0; i < scales.size(); i++) {
		const Scale &s = scales[i];
		const double perApp = s.diagnoseAll / s.apps;
		const double before =
			i == 0 ? perApp : scales[i - 1].diagnoseAll / scales[i - 1].apps;
		std::printf(
			"| %d | %.0f ms | %.0f ms | %.2f× | %.0f ms | %.2f× | %.1f ms | %.1f µs | "
			"%.2f× |\n",
			s.apps, s.cycle, s.fewCycle, s.cycle / s.fewCycle, s.systemctlCycle,
			s.cycle / s.systemctlCycle, s.diagnoseAll, 1000 * perApp, perApp / before);
	}

	std::printf("\nthe longest systemd Ping while the service read the states:");
	for (const Scale &s : scales)
		std::printf(" %d units %.0f ms;", s.apps, s.managerPause);
	std::printf("\nsystemd's CPU unloading the units its ListUnitsByNames loaded, after the "
		    "baseline:");
	for (const Scale &s : scales)
		std::printf(" %d units %.0f ms;", s.apps, s.managerAfterBaseline);
	std::printf("\n");
}

} /* namespace */

int main(int argc, char **argv)
{
	const int runs = sandboxBenchRuns(argc, argv, 5);
	const int largest = argc > 2 ? std::atoi(argv[2]) : kScales.back();

	std::vector<Scale> scales;
	for (int apps : kScales) {
		if (apps > largest)
			break;
		std::string pattern = "/tmp/pd-scale-XXXXXX";
		if (!mkdtemp(pattern.data()))
			die("mkdtemp");
		const std::filesystem::path workDir = pattern;
		try {
			scales.push_back(ScaleRun(workDir, apps, runs).measure());
		} catch (const std::exception &e) {
			std::fprintf(stderr, "scale-bench at %d apps: %s (files kept in %s)\n",
				     apps, e.what(), workDir.c_str());
			return 1;
		}
		std::filesystem::remove_all(workDir);
		const Scale &s = scales.back();
		std::printf("%d apps: name owned %.0f ms, states known %.0f ms (systemd %.0f ms), "
			    "%.1f MiB, cycle %.0f ms (10 apps %.0f ms)\n",
			    apps, s.owned, s.known, s.baseline(), s.mib, s.cycle, s.fewCycle);
		std::fflush(stdout);
	}
	if (scales.empty()) {
		std::fprintf(stderr, "usage: %s [runs] [largest number of apps >= %d]\n", argv[0],
			     kScales.front());
		return 2;
	}
	printFigures(scales, runs);
	return 0;
}

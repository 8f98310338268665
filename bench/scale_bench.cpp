/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The real service at 100, 1000 and 10 000 apps, each app a daemon with a unit file of its
 * own, on a private bus against a real sandboxed systemd --user, each figure a ratio against a
 * baseline measured in the same run and on the same manager:
 *  - the name owned, against a service with 10 of those apps;
 *  - every state known (the first ListApps answered, which waits for them), against
 *    systemd's own cheapest way to say the same: one ListUnitFilesByPatterns plus one
 *    ListUnitsByNames over the same units;
 *  - resident memory once the states are known, against the service with 10 apps;
 *  - ListApps and GetManagedObjects against a Peer.Ping round trip to the service;
 *  - one app's EnableApp + DisableApp against the same cycle with 10 apps, and against
 *    `systemctl --user enable, start, disable, stop` of its unit;
 *  - DiagnoseAll, per app, against the smallest run's.
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
	void measureBaseline(Scale &scale);
	void measureFew(Scale &scale);
	void measureMany(Scale &scale);

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

void ScaleRun::measureBaseline(Scale &scale)
{
	const auto systemd = sdbus::createSessionBusConnectionWithAddress(sandbox_->busAddress());
	const auto manager = sdbus::createProxy(*systemd, "org.freedesktop.systemd1",
						"/org/freedesktop/systemd1");
	waitUntilIdle(manager_);
	std::vector<sdbus::Struct<std::string, std::string>> files;
	scale.listUnitFiles = timed([&] {
		manager->callMethod("ListUnitFilesByPatterns")
			.onInterface(kManagerInterface)
			.withTimeout(kLongCall)
			.withArguments(std::vector<std::string>(), units_)
			.storeResultsTo(files);
	});
	UnitRows units;
	scale.listUnits = timed([&] {
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
	scale.managerAfterBaseline = waitUntilIdle(manager_);
}

void ScaleRun::measureFew(Scale &scale)
{
	const auto running = serve("few");
	service_->callMethod("ListApps").onInterface(kInterface).withTimeout(kLongCall);
	scale.fewOwned = running->startUp().count();
	scale.fewMiB = static_cast<double>(residentKiB(running->pid())) / 1024;
	scale.fewCycle = cycle();
}

void ScaleRun::measureMany(Scale &scale)
{
	waitUntilIdle(manager_);
	const auto running = serve("many");
	AppRows rows;
	service_->callMethod("ListApps")
		.onInterface(kInterface)
		.withTimeout(kLongCall)
		.storeResultsTo(rows);
	scale.known = running->sinceSpawn().count();
	scale.owned = running->startUp().count();
	scale.serviceCpu = cpuMilliseconds(running->pid());
	scale.mib = static_cast<double>(residentKiB(running->pid())) / 1024;
	if (rows.size() != static_cast<std::size_t>(apps_))
		throw std::runtime_error("the service lists " + std::to_string(rows.size()) +
					 " apps of " + std::to_string(apps_));

	scale.ping = medianOf(runs_, [&] {
		return timed([&] { service_->callMethod("Ping").onInterface(kPeer); });
	});
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

	scale.cycle = cycle();
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

Scale ScaleRun::measure()
{
	Scale scale;
	scale.apps = apps_;
	measureBaseline(scale);
	measureFew(scale);
	measureMany(scale);
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
	std::printf("\nmedian of %d where repeated; every ratio against a baseline of the same run "
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
		    "enable/start/disable/stop | ratio | DiagnoseAll | per app, against %d apps |\n"
		    "|---|---|---|---|---|---|---|---|\n",
		    scales.front().apps);
	const double perAppFirst = scales.front().diagnoseAll / scales.front().apps;
	for (const Scale &s : scales)
		std::printf("| %d | %.0f ms | %.0f ms | %.2f× | %.0f ms | %.2f× | %.0f ms | %.2f× "
			    "|\n",
			    s.apps, s.cycle, s.fewCycle, s.cycle / s.fewCycle, s.systemctlCycle,
			    s.cycle / s.systemctlCycle, s.diagnoseAll,
			    s.diagnoseAll / s.apps / perAppFirst);

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

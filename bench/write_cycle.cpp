/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What one app's EnableApp + DisableApp costs, as wall time and as the systemd manager's CPU
 * time, with 10 apps and with 1000 (each a daemon with a unit file of its own) on the same
 * manager, against `systemctl --user enable, start, disable, stop` of the same unit; once with
 * every bus a dbus-daemon, once with every bus a dbus-broker: build/bench/write-cycle [runs].
 */
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include <sdbus-c++/sdbus-c++.h>

#include "bench_service.h"
#include "bench_support.h"
#include "event_loop.h"
#include "generated_apps.h"
#include "sandbox_bench.h"
#include "systemd_sandbox.h"

using namespace plinth;
using namespace plinth::bench;

namespace {

using Clock = std::chrono::steady_clock;

const std::string kBusName = "org.freedesktop.Plinth.Daemons";
const std::string kObjectPath = "/org/freedesktop/Plinth/Daemons";
const std::string kInterface = "org.freedesktop.Plinth.Daemons";
constexpr int kFewApps = 10;
constexpr int kManyApps = 1000;
constexpr auto kLongCall = std::chrono::seconds(120);

/* utime + stime of a process, in seconds. */
double cpuSeconds(pid_t pid)
{
	std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
	std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
	/* The fields after the command, which may hold spaces, start after its ')'. */
	std::istringstream fields(text.substr(text.rfind(')') + 2));
	std::string field;
	unsigned long long utime = 0, stime = 0;
	for (int i = 3; i <= 15 && fields >> field; i++) {
		if (i == 14)
			utime = std::stoull(field);
		else if (i == 15)
			stime = std::stoull(field);
	}
	return static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

struct Cost {
	double wallMs;
	double managerCpuMs;
};

/* The median wall time and manager CPU time of runs of cycle. */
template<typename Cycle>
Cost measure(int runs, pid_t manager, Cycle cycle)
{
	std::vector<double> walls, cpus;
	for (int i = 0; i < runs; i++) {
		const double cpuBefore = cpuSeconds(manager);
		const Clock::time_point start = Clock::now();
		cycle();
		walls.push_back(
			std::chrono::duration<double, std::milli>(Clock::now() - start).count());
		cpus.push_back((cpuSeconds(manager) - cpuBefore) * 1000);
	}
	return {median(walls), median(cpus)};
}

/* The cycles of one run, every bus of it of one implementation. */
struct Cycles {
	Cost few;
	Cost many;
	Cost systemctl;
};

Cycles measureCycles(const std::filesystem::path &workDir, int runs)
{
	const std::filesystem::path units = workDir / "units";
	std::vector<std::string> unitFiles;
	std::vector<GeneratedApp> apps;
	for (int i = 0; i < kManyApps; i++) {
		const std::string name = "bench-own-" + std::to_string(i);
		unitFiles.push_back(writeServiceUnit(units, name).string());
		apps.push_back({"own-" + std::to_string(i), {name + ".service"}});
	}
	writeAppDefinitions(workDir / "many", apps);
	writeAppDefinitions(workDir / "few", {apps.begin(), apps.begin() + kFewApps});

	test::SystemdSandbox sandbox(unitFiles);
	const pid_t manager = systemdManagerPid(sandbox.busAddress());
	BenchBus bus(workDir);
	const auto connection = sdbus::createSessionBusConnectionWithAddress(bus.address());
	EventLoop loop;
	loop.addConnection(*connection);
	const auto service = sdbus::createProxy(*connection, kBusName, kObjectPath);
	const auto callWithApp = [&](const std::string &method, const std::string &app) {
		service->callMethod(method)
			.onInterface(kInterface)
			.withTimeout(kLongCall)
			.withArguments(app);
	};

	const auto serviceCycle = [&](const std::string &appsSet) {
		ServiceRun running(*connection, loop, bus.address(), sandbox.busAddress(),
				   workDir / appsSet, workDir);
		/* The first answer waits for every unit's state: the cycles start from there. */
		service->callMethod("ListApps").onInterface(kInterface).withTimeout(kLongCall);
		return measure(runs, manager, [&] {
			callWithApp("EnableApp", "own-1");
			callWithApp("DisableApp", "own-1");
		});
	};
	Cycles cycles{};
	cycles.few = serviceCycle("few");
	cycles.many = serviceCycle("many");

	const std::string unit = "bench-own-1.service";
	cycles.systemctl = measure(runs, manager, [&] {
		for (const char *verb : {"enable", "start", "disable", "stop"})
			sandbox.systemctl({verb, unit});
	});
	loop.removeConnection(*connection);
	return cycles;
}

void printCycles(const std::string &bus, const Cycles &c, int runs)
{
	std::printf("%s: EnableApp + DisableApp of one app, median of %d; manager CPU in ms\n",
		    bus.c_str(), runs);
	std::printf("  %4d apps:                 %8.1f ms wall %8.1f ms CPU\n", kFewApps,
		    c.few.wallMs, c.few.managerCpuMs);
	std::printf("  %4d apps:                 %8.1f ms wall %8.1f ms CPU\n", kManyApps,
		    c.many.wallMs, c.many.managerCpuMs);
	std::printf("  systemctl enable/start/disable/stop: %8.1f ms wall %8.1f ms CPU\n",
		    c.systemctl.wallMs, c.systemctl.managerCpuMs);
	std::printf("1000 apps against 10: %.2f× wall (goal ≤ 1.5×)\n",
		    c.many.wallMs / c.few.wallMs);
	std::printf("manager CPU at 1000 apps against systemctl's way: %.2f× (goal ≤ 2×)\n\n",
		    c.many.managerCpuMs / c.systemctl.managerCpuMs);
}

void printBusRow(const char *scenario, double daemon, double broker)
{
	std::printf("| %s | %.1f ms | %.1f ms | %.2f× |\n", scenario, daemon, broker,
		    broker / daemon);
}

} /* namespace */

int main(int argc, char **argv)
{
	const int runs = sandboxBenchRuns(argc, argv, 5);

	/* Every bus of a run, the sandbox's included, is of one implementation. */
	const std::vector<Cycles> cycles = measureOnEachBus(
		"write-cycle",
		[&](const std::filesystem::path &workDir) { return measureCycles(workDir, runs); },
		[&](const std::string &bus, const Cycles &c) { printCycles(bus, c, runs); });
	const Cycles &d = cycles[0], &b = cycles[1];
	std::printf("| one app's EnableApp + DisableApp, median wall | dbus-daemon | dbus-broker | "
		    "broker / daemon |\n");
	std::printf("|---|---|---|---|\n");
	printBusRow("10 apps", d.few.wallMs, b.few.wallMs);
	printBusRow("1000 apps", d.many.wallMs, b.many.wallMs);
	printBusRow("systemctl enable/start/disable/stop (to systemd directly)", d.systemctl.wallMs,
		    b.systemctl.wallMs);
	return 0;
}

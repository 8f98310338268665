/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The object manager of the real service on a private bus against a real sandboxed systemd
 * --user, each figure a ratio against a baseline measured in the same run:
 *  - GetManagedObjects over 100 apps / 150 units against a Peer.Ping round trip to the
 *    service, and against the flat way of getting the same: ListApps, then GetAppComponents
 *    for every app;
 *  - where its time goes (the service's and the bus daemon's CPU a call, the client's parse)
 *    and the floor under it: the same call to a trivial server on the same bus daemon that
 *    answers with as many bytes (RelayFloor), as a byte array and as the very same reply,
 *    and what sd-bus alone takes to marshal the reply's values;
 *  - how much later than systemd's own PropertiesChanged for a unit the service's
 *    PropertiesChanged for the same change arrives, seen by one client subscribed to both.
 *
 * All of it once with every bus (the service's and the sandbox's) a dbus-daemon, then once
 * with every bus a dbus-broker, and the broker's figures as ratios to the daemon's.
 *
 *   objects-bench [runs]
 */
#include <stdlib.h>

#include <cstdio>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <sdbus-c++/sdbus-c++.h>
#include <systemd/sd-bus.h>

#include "bench_service.h"
#include "bench_support.h"
#include "event_loop.h"
#include "generated_apps.h"
#include "relay_floor.h"
#include "sandbox_bench.h"
#include "systemd_sandbox.h"

using namespace plinth;
using namespace plinth::bench;

namespace {

using Clock = std::chrono::steady_clock;
using ComponentRow =
	sdbus::Struct<std::string, std::string, std::string, bool, std::string,
		      std::vector<sdbus::Struct<std::uint16_t, std::string, std::string>>>;
using ManagedObjects =
	std::map<sdbus::ObjectPath, std::map<std::string, std::map<std::string, sdbus::Variant>>>;

const std::string kBusName = "org.freedesktop.Plinth.Daemons";
const std::string kObjectPath = "/org/freedesktop/Plinth/Daemons";
const std::string kInterface = "org.freedesktop.Plinth.Daemons";
const std::string kPeer = "org.freedesktop.DBus.Peer";
const std::string kObjectManager = "org.freedesktop.DBus.ObjectManager";

constexpr int kApps = 100;
constexpr int kUnits = 150;
constexpr auto kPatience = std::chrono::seconds(30);

std::string encodedPath(const std::string &prefix, const std::string &name)
{
	char *path = nullptr;
	if (sd_bus_path_encode(prefix.c_str(), name.c_str(), &path) < 0)
		throw std::runtime_error("cannot encode " + name);
	std::string result(path);
	free(path);
	return result;
}

/* The first ActiveState a PropertiesChanged of one interface on one path announces. */
class ActiveStateWatch
{
public:
	ActiveStateWatch(sdbus::IConnection &connection, const std::string &path,
			 std::string interface)
		: interface_(std::move(interface))
	{
		slot_ = connection.addMatch("type='signal',interface='org.freedesktop.DBus."
					    "Properties',member='PropertiesChanged',path='" +
						    path + "'",
					    [this](sdbus::Message &message) { seen(message); });
	}

	void expect(std::string state)
	{
		expected_ = std::move(state);
		at_.reset();
	}

	const std::optional<Clock::time_point> &at() const { return at_; }

private:
	void seen(sdbus::Message &message)
	{
		const Clock::time_point now = Clock::now();
		std::string interface;
		std::map<std::string, sdbus::Variant> changed;
		message >> interface >> changed;
		const auto state = changed.find("ActiveState");
		if (at_ || interface != interface_ || state == changed.end() ||
		    state->second.get<std::string>() != expected_)
			return;
		at_ = now;
	}

	std::string interface_;
	std::string expected_;
	std::optional<Clock::time_point> at_;
	sdbus::Slot slot_;
};

/* CPU time of every thread of pid, in nanoseconds, from the scheduler's own accounting. */
double cpuNanoseconds(pid_t pid)
{
	double total = 0;
	const std::filesystem::path tasks = "/proc/" + std::to_string(pid) + "/task";
	for (const auto &task : std::filesystem::directory_iterator(tasks)) {
		double onCpu = 0;
		std::ifstream(task.path() / "schedstat") >> onCpu;
		total += onCpu;
	}
	return total;
}

/* The median of runs calls of call, and the CPU each of pids used a call meanwhile, in ms. */
struct Timed {
	double median;
	std::vector<double> cpu;
};

Timed timeCalls(int runs, const std::vector<pid_t> &pids, const std::function<double()> &call)
{
	std::vector<double> before;
	for (pid_t pid : pids)
		before.push_back(cpuNanoseconds(pid));
	Timed timed{medianOf(runs, call), {}};
	for (std::size_t i = 0; i < pids.size(); i++)
		timed.cpu.push_back((cpuNanoseconds(pids[i]) - before[i]) / runs / 1e6);
	return timed;
}

struct Figures {
	double ping;
	double managedObjects;
	/* The same call with its reply received but not parsed into C++ values. */
	double managedObjectsUnparsed;
	std::size_t replyBytes;
	double serviceCpu;
	double busCpu;
	double busCpuPing;
	double floorBlob;
	double floorBlobBusCpu;
	double floorReplay;
	double floorReplayBusCpu;
	/* sd-bus marshalling the reply's values into a message, in this process. */
	double marshal;
	double flat;
	double systemdToOurs;
};

Figures measure(const std::filesystem::path &workDir, int runs)
{
	const std::filesystem::path units = workDir / "units";
	test::SystemdSandbox sandbox({writeTemplateUnit(units, "bench", 0).string()});

	std::vector<std::string> unitNames;
	for (int i = 0; i < kUnits; i++)
		unitNames.push_back(instanceOf("bench", i));
	std::vector<GeneratedApp> apps;
	for (int i = 0; i < kApps; i++) {
		GeneratedApp app{"list-" + std::to_string(i), {unitNames[i]}};
		if (i + kApps < kUnits)
			app.units.push_back(unitNames[i + kApps]);
		apps.push_back(app);
	}
	writeAppDefinitions(workDir / "list", apps);
	std::vector<std::string> start{"start"};
	for (int i = 0; i < kUnits; i += 3)
		start.push_back(unitNames[i]);
	sandbox.systemctl(start);

	EventLoop loop;
	BenchBus bus(workDir);
	auto connection = sdbus::createSessionBusConnectionWithAddress(bus.address());
	auto systemdConnection = sdbus::createSessionBusConnectionWithAddress(sandbox.busAddress());
	loop.addConnection(*connection);
	loop.addConnection(*systemdConnection);
	auto service = sdbus::createProxy(*connection, kBusName, kObjectPath);
	auto manager = sdbus::createProxy(*systemdConnection, "org.freedesktop.systemd1",
					  "/org/freedesktop/systemd1");
	ServiceRun running(*connection, loop, bus.address(), sandbox.busAddress(), workDir / "list",
			   workDir);
	/* ListApps answers once every state is known, and the objects exist from then on. */
	service->callMethod("ListApps").onInterface(kInterface);

	Figures figures{};
	figures.ping = medianOf(runs, [&] {
		const Clock::time_point start = Clock::now();
		service->callMethod("Ping").onInterface(kPeer);
		return millisecondsSince(start);
	});
	ManagedObjects objects;
	figures.managedObjects = medianOf(runs, [&] {
		objects.clear();
		const Clock::time_point start = Clock::now();
		service->callMethod("GetManagedObjects")
			.onInterface(kObjectManager)
			.storeResultsTo(objects);
		return millisecondsSince(start);
	});
	if (objects.size() < kApps + kUnits)
		throw std::runtime_error("GetManagedObjects has " + std::to_string(objects.size()) +
					 " objects, not " + std::to_string(kApps + kUnits));
	const Timed received = timeCalls(runs, {running.pid(), bus.pid()}, [&] {
		const Clock::time_point start = Clock::now();
		service->callMethod("GetManagedObjects").onInterface(kObjectManager);
		return millisecondsSince(start);
	});
	figures.managedObjectsUnparsed = received.median;
	figures.serviceCpu = received.cpu[0];
	figures.busCpu = received.cpu[1];
	figures.busCpuPing = timeCalls(runs, {bus.pid()}, [&] {
				     const Clock::time_point start = Clock::now();
				     service->callMethod("Ping").onInterface(kPeer);
				     return millisecondsSince(start);
			     }).cpu[0];

	RelayFloor floor(bus.address());
	floor.keep(kBusName, kObjectPath, kObjectManager, "GetManagedObjects");
	figures.replyBytes = floor.keptBodyBytes();
	figures.marshal = floor.marshalMilliseconds(runs);
	floor.serve();
	auto floorProxy = sdbus::createProxy(*connection, floor.name(), RelayFloor::kPath);
	const Timed blob = timeCalls(runs, {bus.pid()}, [&] {
		const Clock::time_point start = Clock::now();
		floorProxy->callMethod("Blob")
			.onInterface(RelayFloor::kInterface)
			.withArguments(static_cast<std::uint32_t>(figures.replyBytes - 4));
		return millisecondsSince(start);
	});
	figures.floorBlob = blob.median;
	figures.floorBlobBusCpu = blob.cpu[0];
	const Timed replay = timeCalls(runs, {bus.pid()}, [&] {
		const Clock::time_point start = Clock::now();
		floorProxy->callMethod("Replay").onInterface(RelayFloor::kInterface);
		return millisecondsSince(start);
	});
	figures.floorReplay = replay.median;
	figures.floorReplayBusCpu = replay.cpu[0];
	figures.flat = medianOf(runs, [&] {
		const Clock::time_point start = Clock::now();
		std::vector<sdbus::Struct<std::string, std::string, bool, bool>> rows;
		service->callMethod("ListApps").onInterface(kInterface).storeResultsTo(rows);
		for (const auto &row : rows) {
			std::vector<ComponentRow> components;
			service->callMethod("GetAppComponents")
				.onInterface(kInterface)
				.withArguments(row.get<0>())
				.storeResultsTo(components);
		}
		return millisecondsSince(start);
	});

	/* One unit stopped and started over and over by a client of systemd's own. */
	const std::string unit = unitNames[0];
	ActiveStateWatch theirs(*systemdConnection,
				encodedPath("/org/freedesktop/systemd1/unit", unit),
				"org.freedesktop.systemd1.Unit");
	ActiveStateWatch ours(*connection, encodedPath(kObjectPath + "/unit", unit),
			      "org.freedesktop.Plinth.Daemons.Unit");
	manager->callMethod("Subscribe").onInterface("org.freedesktop.systemd1.Manager");
	std::vector<double> delays;
	for (int i = 0; i < runs; i++) {
		const bool stop = i % 2 == 0;
		const std::string expected = stop ? "inactive" : "active";
		theirs.expect(expected);
		ours.expect(expected);
		manager->callMethodAsync(stop ? "StopUnit" : "StartUnit")
			.onInterface("org.freedesktop.systemd1.Manager")
			.withArguments(unit, std::string("replace"))
			.uponReplyInvoke([](const sdbus::Error *error, const sdbus::ObjectPath &) {
				if (error)
					throw std::runtime_error(error->getMessage());
			});
		if (!loop.runUntil([&] { return theirs.at() && ours.at(); }, kPatience))
			throw std::runtime_error("no PropertiesChanged for " + unit + " " +
						 expected);
		delays.push_back(
			std::chrono::duration<double, std::milli>(*ours.at() - *theirs.at())
				.count());
	}
	figures.systemdToOurs = median(std::move(delays));

	loop.removeConnection(*systemdConnection);
	loop.removeConnection(*connection);
	return figures;
}

/* A row of the table: measured against a baseline of the same run, with no goal. */
void printRatioRow(const std::string &scenario, double measured, const char *baseline,
		   double baselineMs)
{
	std::printf("| %s | %.3f ms | %s %.3f ms | %.2f× %s | — | — |\n", scenario.c_str(),
		    measured, baseline, baselineMs, measured / baselineMs, baseline);
}

/* The figures of one bus, and the table of their ratios to baselines of the same run. */
void printFigures(const std::string &bus, const Figures &f, int runs)
{
	const bool pingGoal = f.managedObjects / f.ping <= 5;
	const bool delayGoal = f.systemdToOurs < 2;
	std::printf("%s: %d apps / %d units, median of %d\n", bus.c_str(), kApps, kUnits, runs);
	std::printf("  Peer.Ping round trip:                     %9.3f ms\n", f.ping);
	std::printf("  GetManagedObjects, parsed:                %9.3f ms\n", f.managedObjects);
	std::printf("  GetManagedObjects, received only:         %9.3f ms\n",
		    f.managedObjectsUnparsed);
	std::printf("    reply body:                             %9zu bytes\n", f.replyBytes);
	std::printf("    service CPU a call:                     %9.3f ms\n", f.serviceCpu);
	std::printf("    bus CPU a call:                         %9.3f ms (Ping: %.3f ms)\n",
		    f.busCpu, f.busCpuPing);
	std::printf("    sd-bus marshalling the same values:     %9.3f ms (in this process)\n",
		    f.marshal);
	std::printf("    client parse (parsed - received):       %9.3f ms\n",
		    f.managedObjects - f.managedObjectsUnparsed);
	std::printf("  floor, trivial server, as many bytes (ay): %8.3f ms, bus CPU %.3f "
		    "ms\n",
		    f.floorBlob, f.floorBlobBusCpu);
	std::printf("  trivial server, the same reply (sd-bus copy): %5.3f ms, bus CPU %.3f "
		    "ms\n",
		    f.floorReplay, f.floorReplayBusCpu);
	std::printf("  ListApps + %d GetAppComponents:          %9.3f ms\n", kApps, f.flat);
	std::printf("  systemd's PropertiesChanged to ours:      %9.3f ms\n", f.systemdToOurs);
	std::printf("\n| scenario | measured | baseline (same run) | ratio | goal | met |\n");
	std::printf("|---|---|---|---|---|---|\n");
	std::printf("| GetManagedObjects, 100 apps / 150 units, parsed | %.3f ms | Ping %.3f ms | "
		    "%.2f× Ping | ≤ 5× Ping | %s |\n",
		    f.managedObjects, f.ping, f.managedObjects / f.ping,
		    pingGoal ? "yes" : "**no**");
	printRatioRow("GetManagedObjects, received only", f.managedObjectsUnparsed, "Ping", f.ping);
	printRatioRow("floor: " + std::to_string(f.replyBytes) +
			      " bytes as ay from a trivial server, same bus",
		      f.floorBlob, "Ping", f.ping);
	printRatioRow("GetManagedObjects, received, against that floor", f.managedObjectsUnparsed,
		      "floor", f.floorBlob);
	printRatioRow("the same reply from a trivial server (sd_bus_message_copy)", f.floorReplay,
		      "Ping", f.ping);
	std::printf("| bus CPU relaying the reply (from the service / the trivial server) "
		    "| %.3f / %.3f ms | its CPU for a Ping %.3f ms | %.1f× / %.1f× | — | — |\n",
		    f.busCpu, f.floorReplayBusCpu, f.busCpuPing, f.busCpu / f.busCpuPing,
		    f.floorReplayBusCpu / f.busCpuPing);
	printRatioRow("bus CPU a GetManagedObjects against Ping's whole round trip", f.busCpu,
		      "Ping", f.ping);
	printRatioRow("service CPU a GetManagedObjects against sd-bus marshalling its values",
		      f.serviceCpu, "marshalling", f.marshal);
	std::printf("| GetManagedObjects against the flat way | %.3f ms | ListApps + 100 "
		    "GetAppComponents: %.3f ms | %.1f× faster | none | — |\n",
		    f.managedObjects, f.flat, f.flat / f.managedObjects);
	std::printf("| PropertiesChanged after systemd's, median | %.3f ms | — | — | < 2 ms | %s "
		    "|\n\n",
		    f.systemdToOurs, delayGoal ? "yes" : "**no**");
}

/* A row of the comparison: one figure on each bus, the broker's as a ratio to the daemon's. */
void printBusRow(const char *scenario, double daemon, double broker)
{
	std::printf("| %s | %.3f ms | %.3f ms | %.2f× |\n", scenario, daemon, broker,
		    broker / daemon);
}

/* The figures of both buses side by side, the dbus-daemon's being the baseline. */
void printComparison(const Figures &d, const Figures &b)
{
	std::printf("\n| %d apps / %d units, median | dbus-daemon | dbus-broker | broker / "
		    "daemon |\n",
		    kApps, kUnits);
	std::printf("|---|---|---|---|\n");
	printBusRow("Peer.Ping round trip", d.ping, b.ping);
	printBusRow("GetManagedObjects, parsed", d.managedObjects, b.managedObjects);
	printBusRow("GetManagedObjects, received only", d.managedObjectsUnparsed,
		    b.managedObjectsUnparsed);
	printBusRow("floor: as many bytes (ay) from a trivial server", d.floorBlob, b.floorBlob);
	printBusRow("the same reply from a trivial server", d.floorReplay, b.floorReplay);
	printBusRow("bus CPU relaying a GetManagedObjects", d.busCpu, b.busCpu);
	printBusRow("ListApps + 100 GetAppComponents", d.flat, b.flat);
	printBusRow("systemd's PropertiesChanged to ours", d.systemdToOurs, b.systemdToOurs);
	std::printf("| GetManagedObjects received against the floor | %.2f× | %.2f× | — |\n",
		    d.managedObjectsUnparsed / d.floorBlob, b.managedObjectsUnparsed / b.floorBlob);
	std::printf("| GetManagedObjects parsed against Ping | %.2f× | %.2f× | — |\n",
		    d.managedObjects / d.ping, b.managedObjects / b.ping);
}

} /* namespace */

int main(int argc, char **argv)
{
	const int runs = sandboxBenchRuns(argc, argv, 101);

	/* Every bus of a run, the sandbox's included, is of one implementation. */
	const std::vector<Figures> figures = measureOnEachBus(
		"objects-bench",
		[&](const std::filesystem::path &workDir) { return measure(workDir, runs); },
		[&](const std::string &bus, const Figures &f) { printFigures(bus, f, runs); });
	printComparison(figures[0], figures[1]);
	return 0;
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * How long a unit-status question takes when the systemd client answers it from its cache,
 * against asking a real systemd --user manager afresh (LoadUnit, then GetAll of the unit's
 * properties, asynchronously on the event loop) for the same unit on the same bus.
 *
 *   cache-latency [runs]
 */
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include <sdbus-c++/sdbus-c++.h>

#include "event_loop.h"
#include "sandbox_bench.h"
#include "signal_gate.h"
#include "systemd_client.h"
#include "systemd_sandbox.h"

using namespace plinth;

namespace {

using Clock = std::chrono::steady_clock;

const std::string kUnit = "plinth-test-http.service";
constexpr auto kPatience = std::chrono::seconds(20);
/* A cached answer is far below the clock's resolution: time it in batches. */
constexpr int kCachedBatch = 1000;

double medianMicroseconds(int runs, const std::function<double()> &measure)
{
	std::vector<double> times;
	for (int i = 0; i < runs; i++)
		times.push_back(measure());
	std::sort(times.begin(), times.end());
	return times[times.size() / 2];
}

double microsecondsSince(Clock::time_point start)
{
	return std::chrono::duration<double, std::micro>(Clock::now() - start).count();
}

} /* namespace */

int main(int argc, char **argv)
{
	const int runs = bench::sandboxBenchRuns(argc, argv, 501);

	test::SystemdSandbox sandbox({kUnit});
	auto connection = sdbus::createSessionBusConnectionWithAddress(sandbox.busAddress());
	EventLoop loop;
	loop.addConnection(*connection);

	SignalGate signals(*connection);
	SystemdClient client(signals, loop, std::chrono::seconds(10));
	bool tracked = false;
	client.track({kUnit}, [&] { tracked = true; });
	if (!loop.runUntil([&] { return tracked; }, kPatience)) {
		std::fprintf(stderr, "the client never filled its cache\n");
		return 1;
	}

	std::size_t answers = 0;
	const double cached = medianMicroseconds(runs, [&] {
		const Clock::time_point start = Clock::now();
		for (int i = 0; i < kCachedBatch; i++)
			answers += client.unitStates().unitState(kUnit).activeState.size();
		return microsecondsSince(start) / kCachedBatch;
	});

	auto manager = sdbus::createProxy(*connection, "org.freedesktop.systemd1",
					  "/org/freedesktop/systemd1");
	std::map<std::string, std::unique_ptr<sdbus::IProxy>> units;
	std::string activeState;
	const double fresh = medianMicroseconds(runs, [&] {
		bool done = false;
		const Clock::time_point start = Clock::now();
		manager->callMethodAsync("LoadUnit")
			.onInterface("org.freedesktop.systemd1.Manager")
			.withArguments(kUnit)
			.uponReplyInvoke([&](const sdbus::Error *, const sdbus::ObjectPath &path) {
				auto &unit = units[path];
				if (!unit)
					unit = sdbus::createProxy(*connection,
								  "org.freedesktop.systemd1", path);
				unit->callMethodAsync("GetAll")
					.onInterface("org.freedesktop.DBus.Properties")
					.withArguments(std::string("org.freedesktop.systemd1.Unit"))
					.uponReplyInvoke(
						[&](const sdbus::Error *,
						    const std::map<std::string, sdbus::Variant>
							    &properties) {
							activeState = properties.at("ActiveState")
									      .get<std::string>();
							done = true;
						});
			});
		loop.runUntil([&] { return done; }, kPatience);
		return microsecondsSince(start);
	});

	if (activeState != client.unitStates().unitState(kUnit).activeState || answers == 0) {
		std::fprintf(stderr, "the cache and systemd disagree\n");
		return 1;
	}

	std::printf("%s, median of %d runs\n", kUnit.c_str(), runs);
	std::printf("cached status (client cache):     %12.3f us\n", cached);
	std::printf("fresh LoadUnit + GetAll (D-Bus):  %12.3f us\n", fresh);
	std::printf("fresh / cached: %.0fx\n", fresh / cached);
	loop.removeConnection(*connection);
	return 0;
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <sdbus-c++/sdbus-c++.h>

#include "child_process.h"
#include "event_loop.h"

namespace plinth::bench {

/* The bus implementations a bench compares: the one it measures first is the baseline. */
inline const std::vector<std::string> kBusImplementations = {"dbus-daemon", "dbus-broker"};

/*
 * Makes every bus started from now on one of kBusImplementations: BenchBus, and the systemd
 * sandbox's own bus through PLINTH_TEST_BUS.
 */
void selectBus(const std::string &implementation);

/* PLINTH_TEST_BUS, the bus selectBus chose: dbus-daemon unless told otherwise. */
std::string selectedBus();

/* A fresh directory under /tmp for one bus's run; short, for the sockets' paths. */
std::filesystem::path makeWorkDir();

/*
 * measure(workDir) once per bus of kBusImplementations, each in a fresh directory removed
 * after it, and print(bus, result) as each is done; the results in that order. A run that
 * throws ends the bench (exit 1) saying why, its files kept, once its bus, service and sandbox
 * have stopped.
 */
template<typename Measure, typename Print>
auto measureOnEachBus(const char *bench, Measure measure, Print print)
{
	std::vector<decltype(measure(std::filesystem::path()))> results;
	for (const std::string &bus : kBusImplementations) {
		const std::filesystem::path workDir = makeWorkDir();
		selectBus(bus);
		try {
			results.push_back(measure(workDir));
		} catch (const std::exception &e) {
			std::fprintf(stderr, "%s on %s: %s (files kept in %s)\n", bench,
				     bus.c_str(), e.what(), workDir.c_str());
			std::exit(1);
		}
		std::filesystem::remove_all(workDir);
		print(bus, results.back());
	}
	return results;
}

/*
 * A private system-type bus of the bench's own (tests/service/system-bus.conf), of the
 * selected implementation.
 */
class BenchBus
{
public:
	explicit BenchBus(const std::filesystem::path &workDir);

	const std::string &address() const { return address_; }
	/* The process that relays the messages: dbus-daemon, or the broker its launcher runs. */
	pid_t pid() const { return relayPid_; }

private:
	std::unique_ptr<ChildProcess> daemon_;
	std::string address_;
	pid_t relayPid_ = -1;
};

/* The process of org.freedesktop.systemd1 on the bus at busAddress. */
pid_t systemdManagerPid(const std::string &busAddress);

/*
 * The real plinth-daemons serving one apps directory on the bench's bus, against the
 * sandbox's systemd. It is up once it owns its name, as clients see it.
 */
class ServiceRun
{
public:
	using Milliseconds = std::chrono::duration<double, std::milli>;

	/* Starts the service and runs loop until the name is owned; watcher is on the same bus. */
	ServiceRun(sdbus::IConnection &watcher, EventLoop &loop, const std::string &busAddress,
		   const std::string &systemdBusAddress, const std::filesystem::path &appsDir,
		   const std::filesystem::path &workDir);
	~ServiceRun();
	ServiceRun(const ServiceRun &) = delete;
	ServiceRun &operator=(const ServiceRun &) = delete;

	/* From the spawn to the NameOwnerChanged giving the name to the service. */
	Milliseconds startUp() const { return startUp_; }
	/* From the spawn to now. */
	Milliseconds sinceSpawn() const { return std::chrono::steady_clock::now() - spawned_; }
	pid_t pid() const { return process_->pid(); }

private:
	std::unique_ptr<ChildProcess> process_;
	std::chrono::steady_clock::time_point spawned_;
	Milliseconds startUp_{};
};

} /* namespace plinth::bench */

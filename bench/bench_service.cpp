/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "bench_service.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <stdexcept>
#include <system_error>
#include <thread>

namespace plinth::bench {

namespace {

constexpr auto kPatience = std::chrono::seconds(30);
const std::string kBusName = "org.freedesktop.Plinth.Daemons";
const char *const kBusVariable = "PLINTH_TEST_BUS";

/* The child of parent running program, or -1. */
pid_t childRunning(pid_t parent, const std::string &program)
{
	const std::string task =
		"/proc/" + std::to_string(parent) + "/task/" + std::to_string(parent);
	std::ifstream children(task + "/children");
	for (pid_t child; children >> child;) {
		std::string name;
		std::getline(std::ifstream("/proc/" + std::to_string(child) + "/comm"), name);
		if (name == program)
			return child;
	}
	return -1;
}

} /* namespace */

void selectBus(const std::string &implementation)
{
	setenv(kBusVariable, implementation.c_str(), 1);
}

std::string selectedBus()
{
	const char *implementation = std::getenv(kBusVariable);
	return implementation ? implementation : kBusImplementations.front();
}

std::filesystem::path makeWorkDir()
{
	std::string pattern = "/tmp/pd-bench-XXXXXX";
	if (!mkdtemp(pattern.data()))
		throw std::system_error(errno, std::generic_category(), "mkdtemp");
	return pattern;
}

BenchBus::BenchBus(const std::filesystem::path &workDir)
{
	static int buses = 0;
	const std::string implementation = selectedBus();
	const std::filesystem::path socket = workDir / ("bus-" + std::to_string(buses++));
	daemon_ = std::make_unique<ChildProcess>(
		std::vector<std::string>{PLINTH_BENCH_PRIVATE_BUS, implementation,
					 PLINTH_BENCH_BUS_CONFIG, socket.string()},
		(workDir / (implementation + ".log")).string());
	address_ = "unix:path=" + socket.string();

	/* The broker's launcher forks the broker once it has bound the socket. */
	const bool launched = implementation == "dbus-broker";
	const auto deadline = std::chrono::steady_clock::now() + kPatience;
	while (!std::filesystem::exists(socket) ||
	       (launched && (relayPid_ = childRunning(daemon_->pid(), "dbus-broker")) < 0)) {
		if (std::chrono::steady_clock::now() > deadline)
			throw std::runtime_error(implementation + " did not start");
		std::this_thread::sleep_for(std::chrono::milliseconds(5));
	}
	if (!launched)
		relayPid_ = daemon_->pid();
}

pid_t systemdManagerPid(const std::string &busAddress)
{
	const auto connection = sdbus::createSessionBusConnectionWithAddress(busAddress);
	const auto bus =
		sdbus::createProxy(*connection, "org.freedesktop.DBus", "/org/freedesktop/DBus");
	std::uint32_t pid = 0;
	bus->callMethod("GetConnectionUnixProcessID")
		.onInterface("org.freedesktop.DBus")
		.withArguments(std::string("org.freedesktop.systemd1"))
		.storeResultsTo(pid);
	return static_cast<pid_t>(pid);
}

ServiceRun::ServiceRun(sdbus::IConnection &watcher, EventLoop &loop, const std::string &busAddress,
		       const std::string &systemdBusAddress, const std::filesystem::path &appsDir,
		       const std::filesystem::path &workDir)
{
	/* An empty configuration, so no file of the host's leaks in. */
	const std::filesystem::path config = workDir / "plinth-daemons.toml";
	std::ofstream(config).flush();
	const std::filesystem::path log = workDir / "service.log";

	std::optional<std::chrono::steady_clock::time_point> owned;
	/* Subscribed before the spawn, so the moment the name is taken cannot be missed. */
	sdbus::Slot match = watcher.addMatch(
		"type='signal',sender='org.freedesktop.DBus',member='NameOwnerChanged',arg0='" +
			kBusName + "'",
		[&](sdbus::Message &message) {
			std::string name, oldOwner, newOwner;
			message >> name >> oldOwner >> newOwner;
			if (!newOwner.empty())
				owned = std::chrono::steady_clock::now();
		});

	spawned_ = std::chrono::steady_clock::now();
	process_ = std::make_unique<ChildProcess>(
		std::vector<std::string>{PLINTH_BENCH_SERVICE, "--bus", busAddress, "--systemd-bus",
					 systemdBusAddress, "--apps-dir", appsDir.string(),
					 "--state-dir", (workDir / "state").string(), "--config",
					 config.string(), "--authorization", "uid0"},
		log.string());
	if (!loop.runUntil([&] { return owned.has_value(); }, kPatience))
		throw std::runtime_error("the service did not own its name; see " + log.string());
	startUp_ = *owned - spawned_;
}

ServiceRun::~ServiceRun()
{
	if (process_->terminate() != 0)
		std::fprintf(stderr, "the service did not exit cleanly\n");
}

} /* namespace plinth::bench */

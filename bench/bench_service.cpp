/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "bench_service.h"

#include <cstdio>
#include <fstream>
#include <optional>
#include <stdexcept>
#include <thread>

namespace plinth::bench {

namespace {

constexpr auto kPatience = std::chrono::seconds(30);
const std::string kBusName = "org.freedesktop.Plinth.Daemons";

std::string firstLine(const std::filesystem::path &file)
{
	std::ifstream in(file);
	std::string line;
	std::getline(in, line);
	return in ? line : std::string();
}

} /* namespace */

BenchBus::BenchBus(const std::filesystem::path &workDir)
{
	const std::filesystem::path addressFile = workDir / "bus-address";
	daemon_ = std::make_unique<ChildProcess>(
		std::vector<std::string>{"/usr/bin/dbus-daemon",
					 "--config-file=" PLINTH_BENCH_BUS_CONFIG, "--nofork",
					 "--nopidfile", "--print-address=1"},
		addressFile.string());

	const auto deadline = std::chrono::steady_clock::now() + kPatience;
	while ((address_ = firstLine(addressFile)).empty()) {
		if (std::chrono::steady_clock::now() > deadline)
			throw std::runtime_error("dbus-daemon printed no address");
		std::this_thread::sleep_for(std::chrono::milliseconds(5));
	}
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

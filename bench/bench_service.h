/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>

#include <sdbus-c++/sdbus-c++.h>

#include "child_process.h"
#include "event_loop.h"

namespace plinth::bench {

/* A private system-type bus of the bench's own (tests/service/system-bus.conf). */
class BenchBus
{
public:
	explicit BenchBus(const std::filesystem::path &workDir);

	const std::string &address() const { return address_; }
	pid_t pid() const { return daemon_->pid(); }

private:
	std::unique_ptr<ChildProcess> daemon_;
	std::string address_;
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

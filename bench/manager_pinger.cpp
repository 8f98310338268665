/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "manager_pinger.h"

#include <algorithm>
#include <chrono>

#include "bench_support.h"

namespace plinth::bench {

ManagerPinger::ManagerPinger(const std::string &address)
	: connection_(sdbus::createSessionBusConnectionWithAddress(address)),
	  manager_(sdbus::createProxy(*connection_, "org.freedesktop.systemd1",
				      "/org/freedesktop/systemd1")),
	  thread_([this] { run(); })
{
}

ManagerPinger::~ManagerPinger()
{
	stop();
}

double ManagerPinger::stop()
{
	if (thread_.joinable()) {
		stopping_ = true;
		thread_.join();
	}
	return longest_;
}

void ManagerPinger::run()
{
	while (!stopping_) {
		const auto start = std::chrono::steady_clock::now();
		manager_->callMethod("Ping")
			.onInterface("org.freedesktop.DBus.Peer")
			.withTimeout(std::chrono::minutes(20));
		longest_ = std::max(longest_, millisecondsSince(start));
		/* A light load: the manager is the one being measured. */
		std::this_thread::sleep_for(std::chrono::milliseconds(1));
	}
}

} /* namespace plinth::bench */

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <thread>

#include <sdbus-c++/sdbus-c++.h>

namespace plinth::bench {

/*
 * Pings systemd on a thread of its own, keeping the longest round trip: how long the manager
 * answered nobody while the service read its states.
 */
class ManagerPinger
{
public:
	explicit ManagerPinger(const std::string &address);
	~ManagerPinger();
	ManagerPinger(const ManagerPinger &) = delete;
	ManagerPinger &operator=(const ManagerPinger &) = delete;

	/* The longest round trip in milliseconds. */
	double stop();

private:
	void run();

	std::unique_ptr<sdbus::IConnection> connection_;
	std::unique_ptr<sdbus::IProxy> manager_;
	std::atomic<bool> stopping_{false};
	double longest_ = 0;
	std::thread thread_;
};

} /* namespace plinth::bench */

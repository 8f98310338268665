/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <string>

#include "app_catalog.h"
#include "app_diagnoses.h"
#include "event_loop.h"

namespace plinth {

/*
 * Diagnoses apps without being asked, so that their health covers ports and connect checks
 * too: an app whose daemons all came to run while it is enabled, once they had settleDelay to
 * open their ports; and every app in one round (DiagnoseAll's path: one socket-table read for
 * all of them) settleDelay after systemd's first answers, then every interval. The results
 * reach the HealthMonitor as every diagnosis does. Loop thread only.
 */
class HealthScheduler
{
public:
	HealthScheduler(AppCatalog &apps, AppDiagnoses &diagnoses, EventLoop &loop,
			std::chrono::seconds interval, std::chrono::seconds settleDelay);
	~HealthScheduler();
	HealthScheduler(const HealthScheduler &) = delete;
	HealthScheduler &operator=(const HealthScheduler &) = delete;

private:
	void scheduleRound(std::chrono::seconds after);
	void runRound();
	void settle(const std::string &app);
	void diagnoseSettled(const std::string &app);

	AppCatalog &apps_;
	AppDiagnoses &diagnoses_;
	EventLoop &loop_;
	const std::chrono::seconds interval_;
	const std::chrono::seconds settleDelay_;
	EventLoop::TimerId roundTimer_ = 0;
	/* Apps waiting for their daemons to settle, each with its timer. */
	std::map<std::string, EventLoop::TimerId> settling_;
	AppCatalog::AppStateListeners::Subscription appStateSubscription_;
	std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

} /* namespace plinth */

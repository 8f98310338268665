/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "health_scheduler.h"

#include <spdlog/spdlog.h>

#include <utility>

#include "error.h"

namespace plinth {

HealthScheduler::HealthScheduler(AppCatalog &apps, AppDiagnoses &diagnoses, EventLoop &loop,
				 std::chrono::seconds interval, std::chrono::seconds settleDelay)
	: apps_(apps), diagnoses_(diagnoses), loop_(loop), interval_(interval),
	  settleDelay_(settleDelay)
{
	/* Announced on every change: both true now means one of them was not before. */
	appStateSubscription_ =
		apps_.onAppStateChanged([this](const std::string &app, bool enabled, bool running) {
			if (enabled && running)
				settle(app);
		});
	apps_.whenStatesKnown([this, alive = std::weak_ptr<bool>(alive_)] {
		if (alive.lock())
			scheduleRound(settleDelay_);
	});
}

HealthScheduler::~HealthScheduler()
{
	loop_.cancelTimer(roundTimer_);
	for (const auto &entry : settling_)
		loop_.cancelTimer(entry.second);
}

void HealthScheduler::scheduleRound(std::chrono::seconds after)
{
	roundTimer_ = loop_.addTimer(after, [this] { runRound(); });
}

void HealthScheduler::runRound()
{
	const auto started = std::chrono::steady_clock::now();
	detach(diagnoses_.diagnoseAll(), [this, started, alive = std::weak_ptr<bool>(alive_)](
						 std::exception_ptr error,
						 const DiagnosisRunner::Results &results) {
		if (!alive.lock())
			return;
		if (error)
			spdlog::warn("the background round of checks could not be made; the next "
				     "comes as planned");
		else
			spdlog::debug("background round of checks over {} apps in {} ms",
				      results.size(),
				      std::chrono::duration_cast<std::chrono::milliseconds>(
					      std::chrono::steady_clock::now() - started)
					      .count());
		scheduleRound(interval_);
	});
}

void HealthScheduler::settle(const std::string &app)
{
	/* A daemon that restarts again meanwhile gets the whole delay again. */
	if (const auto it = settling_.find(app); it != settling_.end())
		loop_.cancelTimer(it->second);
	settling_[app] = loop_.addTimer(settleDelay_, [this, app] { diagnoseSettled(app); });
}

void HealthScheduler::diagnoseSettled(const std::string &app)
{
	settling_.erase(app);
	detach(diagnoses_.diagnoseApp(app),
	       [app](std::exception_ptr error, const std::vector<DiagnosticCheck> &) {
		       /* A reload dropped the app meanwhile, say. */
		       if (error)
			       spdlog::debug("no checks of app '{}' after it settled: {}", app,
					     errorText(error));
	       });
}

} /* namespace plinth */

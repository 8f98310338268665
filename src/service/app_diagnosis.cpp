/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* AppManager's diagnoses and repairs: why an app is not as it should be, and the way back. */
#include <spdlog/spdlog.h>

#include <chrono>
#include <utility>

#include "app_manager.h"
#include "await_callback.h"

namespace plinth {

namespace {

/* "unit files to enable: 1, failed units to reset: 1, units to start: 2", for the log. */
std::string describeRepair(const Plan &plan)
{
	std::string what;
	for (const PlanStep &step : plan) {
		const char *words = step.verb == UnitVerb::Enable	 ? "unit files to enable"
				    : step.verb == UnitVerb::ResetFailed ? "failed units to reset"
									 : "units to start";
		what += (what.empty() ? "" : ", ") + std::string(words) + ": " +
			std::to_string(step.targets.size());
	}
	return what.empty() ? "nothing to do" : what;
}

std::uint64_t microsecondsNow()
{
	return std::chrono::duration_cast<std::chrono::microseconds>(
		       std::chrono::system_clock::now().time_since_epoch())
		.count();
}

} /* namespace */

void AppManager::diagnoseApp(
	std::string_view id,
	std::function<void(std::exception_ptr, std::vector<DiagnosticCheck>)> done)
{
	const std::string key = app(id).id;
	diagnoses_.request(key, [key, done = std::move(done)](std::exception_ptr error,
							      DiagnosisRunner::Results results) {
		done(error, std::move(results[key]));
	});
}

void AppManager::diagnoseAll(DiagnosisRunner::Done done)
{
	diagnoses_.request(kAllApps, std::move(done));
}

void AppManager::startDiagnosis(const std::string &key, DiagnosisRunner::Done finished)
{
	whenStatesKnown([this, key, finished = std::move(finished)] {
		try {
			/* Looked up now: a reload since the request may have dropped the app. */
			std::vector<const App *> apps;
			if (key == kAllApps) {
				for (const App &each : registry_->apps())
					apps.push_back(&each);
			} else {
				apps.push_back(&app(key));
			}
			diagnosis_.diagnose(std::move(apps), status(),
					    [this, alive = std::weak_ptr<bool>(alive_),
					     finished](std::exception_ptr error,
						       DiagnosisRunner::Results results) {
						    if (!error && alive.lock())
							    diagnosisListeners_.notify(
								    results, microsecondsNow());
						    finished(error, std::move(results));
					    });
		} catch (...) {
			finished(std::current_exception(), {});
		}
	});
}

void AppManager::repairApp(
	std::string_view id,
	std::function<void(std::vector<DiagnosticCheck>, std::exception_ptr)> done)
{
	app(id);
	detach(repair(std::string(id)),
	       [done = std::move(done)](std::exception_ptr error,
					std::vector<DiagnosticCheck> checks) {
		       done(std::move(checks), error);
	       });
}

Task<std::vector<DiagnosticCheck>> AppManager::repair(std::string id)
{
	co_await awaitCallback<void>([this](Resumer<void> resume) { whenStatesKnown(resume); });

	/* Looked up again: a reload meanwhile may have dropped the app. */
	const OperationScope scope = appOperationScope(*registry_, app(id));
	OperationQueue::Turn turn = co_await operations_.turn(scope);

	/* Planned now, from the states the operations before it left. */
	Plan plan = planRepairApp(app(id), status());
	spdlog::info("repairing app '{}': {}", id, describeRepair(plan));
	co_await awaitCompletion([&](Completion finish) {
		execute(registry_, std::move(plan), errorOnly(std::move(finish)));
	});

	/* The checks after the repair: a diagnosis asked for before the next operation starts. */
	co_return co_await awaitCallback<std::vector<DiagnosticCheck>>(
		[&](Resumer<std::vector<DiagnosticCheck>> resume) {
			diagnoseApp(id, [resume](std::exception_ptr error,
						 std::vector<DiagnosticCheck> checks) {
				if (error)
					resume.fail(error);
				else
					resume(std::move(checks));
			});
			turn.end();
		});
}

} /* namespace plinth */

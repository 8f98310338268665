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

auto AppManager::diagnosis(const std::string &key)
{
	return awaitCallback<DiagnosisRunner::Results>(
		[this, &key](Resumer<DiagnosisRunner::Results> resume) {
			requestDiagnosis(key, std::move(resume));
		});
}

Task<std::vector<DiagnosticCheck>> AppManager::diagnoseApp(std::string id)
{
	DiagnosisRunner::Results results = co_await diagnosis(id);
	co_return std::move(results[id]);
}

Task<DiagnosisRunner::Results> AppManager::diagnoseAll()
{
	co_return co_await diagnosis(kAllApps);
}

void AppManager::requestDiagnosis(const std::string &key, Resumer<DiagnosisRunner::Results> resume)
{
	diagnoses_.request(key,
			   [resume](std::exception_ptr error, DiagnosisRunner::Results results) {
				   if (error)
					   resume.fail(error);
				   else
					   resume(std::move(results));
			   });
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
				apps.push_back(&current(key));
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

Task<std::vector<DiagnosticCheck>> AppManager::repairApp(std::string id)
{
	co_await statesKnown();

	/* Looked up again: a reload meanwhile may have dropped the app. */
	const OperationScope scope = appOperationScope(*registry_, current(id));
	OperationQueue::Turn turn = co_await operations_.turn(scope);

	/* Planned now, from the states the operations before it left. */
	Plan plan = planRepairApp(current(id), status());
	spdlog::info("repairing app '{}': {}", id, describeRepair(plan));
	const std::exception_ptr error = (co_await execute(std::move(plan))).first;
	if (error)
		std::rethrow_exception(error);

	/* The checks after the repair: a diagnosis asked for before the next operation starts. */
	DiagnosisRunner::Results results = co_await awaitCallback<DiagnosisRunner::Results>(
		[&](Resumer<DiagnosisRunner::Results> resume) {
			requestDiagnosis(id, std::move(resume));
			turn.end();
		});
	co_return std::move(results[id]);
}

} /* namespace plinth */

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "app_changes.h"

#include <spdlog/spdlog.h>

#include <stdexcept>
#include <system_error>

#include "app_catalog.h"
#include "app_diagnoses.h"
#include "await_callback.h"
#include "systemd_units.h"

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

} /* namespace */

AppChanges::AppChanges(AppCatalog &catalog, AppDiagnoses &diagnoses, SystemdUnits &systemd,
		       EnableStateStore &records)
	: catalog_(catalog), diagnoses_(diagnoses), systemd_(systemd), records_(records)
{
}

Task<OperationQueue::Turn> AppChanges::turnOf(ValidApp &app)
{
	/* Disabling and repairing decide from states: they must be known first. */
	co_await catalog_.statesKnown();
	app = catalog_.current(app);
	const OperationScope scope = appOperationScope(*app.registry, *app);
	OperationQueue::Turn turn = co_await operations_.turn(scope);
	/* A reload while it waited may have changed or dropped the app. */
	app = catalog_.current(app);
	co_return std::move(turn);
}

Task<void> AppChanges::changeApp(ValidApp app, bool enable)
{
	OperationQueue::Turn turn = co_await turnOf(app);
	/* Planned now, against what earlier operations left behind. */
	const std::string &id = app->id;
	Plan plan = enable ? planEnableApp(*app) : planDisableApp(*app, catalog_.status());
	++changingApps_[id];
	std::exception_ptr error = (co_await execute(std::move(plan))).first;
	if (!error && !app->hasLeader()) {
		try {
			recordLeaderless(*app, enable);
		} catch (...) {
			error = std::current_exception();
		}
	}
	if (--changingApps_[id] == 0)
		changingApps_.erase(id);
	appChangeListeners_.notify(id);
	if (error)
		std::rethrow_exception(error);
}

Task<std::vector<DiagnosticCheck>> AppChanges::repairApp(ValidApp app)
{
	OperationQueue::Turn turn = co_await turnOf(app);
	/* Planned now, from the states the operations before it left. */
	const std::string &id = app->id;
	Plan plan = planRepairApp(*app, catalog_.status());
	spdlog::info("repairing app '{}': {}", id, describeRepair(plan));
	const std::exception_ptr error = (co_await execute(std::move(plan))).first;
	if (error)
		std::rethrow_exception(error);

	/* The checks after the repair: a diagnosis asked for before the next operation starts. */
	DiagnosisRunner::Results results = co_await awaitCallback<DiagnosisRunner::Results>(
		[&](Resumer<DiagnosisRunner::Results> resume) {
			diagnoses_.requestApp(id, std::move(resume));
			turn.end();
		});
	co_return std::move(results[id]);
}

Task<void> AppChanges::runUnitVerb(UnitVerb verb, std::string unit)
{
	/* A verb reads no state: it need not wait for systemd's first answers. */
	const OperationScope scope = unitOperationScope(*catalog_.registry(), unit);
	OperationQueue::Turn turn = co_await operations_.turn(scope);
	/* A reload while it waited may have dropped the unit. */
	catalog_.requireManaged(unit);
	const std::exception_ptr error = (co_await execute(planUnitVerb(verb, unit))).first;
	if (error)
		std::rethrow_exception(error);
}

void AppChanges::runUnitPlan(std::string_view unit, UnitPlanner planner, PlanDone done)
{
	detach(unitPlan(std::string(unit), std::move(planner), std::move(done)),
	       [](std::exception_ptr) {});
}

Task<void> AppChanges::unitPlan(std::string unit, UnitPlanner planner, PlanDone done)
{
	co_await catalog_.statesKnown();
	const OperationScope scope = unitOperationScope(*catalog_.registry(), unit);
	OperationQueue::Turn turn = co_await operations_.turn(scope);
	Executed executed;
	try {
		/* A reload while it waited may have dropped the unit. */
		catalog_.requireManaged(unit);
		executed = co_await execute(planner(catalog_.status()));
	} catch (...) {
		executed.first = std::current_exception();
	}
	/* Before the next operation on the unit starts. */
	done(executed.first, executed.second);
}

Task<AppChanges::Executed> AppChanges::execute(Plan plan)
{
	if (plan.empty())
		co_return Executed{};
	/* The registry stays alive until the plan is done, even across a reload. */
	const std::shared_ptr<const Registry> registry = catalog_.registry();
	co_return co_await awaitCallback<Executed>([&](Resumer<Executed> resume) {
		systemd_.execute(plan,
				 [resume](std::exception_ptr error, const PlanOutcome &outcome) {
					 resume(error, outcome);
				 });
	});
}

void AppChanges::recordLeaderless(const App &app, bool enabled)
{
	try {
		records_.setEnabled(app.id, enabled);
	} catch (const std::system_error &e) {
		spdlog::error("cannot record app '{}' as {}: {}", app.id,
			      enabled ? "enabled" : "disabled", e.what());
		throw std::runtime_error("The units of app '" + app.id + "' were " +
					 (enabled ? "enabled" : "disabled") +
					 ", but its state could not be recorded in " +
					 records_.file().string() + ": " + e.what() +
					 ". Free space or fix permissions there and try again.");
	}
	catalog_.refreshAppState(app);
}

} /* namespace plinth */

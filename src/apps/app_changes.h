/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <exception>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "app_catalog.h"
#include "check.h"
#include "enable_state_store.h"
#include "listeners.h"
#include "operation_queue.h"
#include "plan.h"
#include "task.h"
#include "unit_operations.h"

namespace plinth {

class AppDiagnoses;
class SystemdUnits;

/*
 * The changes to the apps and units the catalog serves, each of an app or unit name its
 * request validated. Each runs as an operation: after every earlier operation whose units it
 * shares, planned when it starts against the registry and states of that moment, so that it
 * acts on what its predecessors left behind. An app or unit that a reload dropped meanwhile
 * is NoSuchApp or NotManaged then. Knows nothing of D-Bus.
 */
class AppChanges : public UnitOperations
{
public:
	/* app */
	using AppChangeListeners = Listeners<std::string>;

	AppChanges(AppCatalog &catalog, AppDiagnoses &diagnoses, SystemdUnits &systemd,
		   EnableStateStore &records);
	AppChanges(const AppChanges &) = delete;
	AppChanges &operator=(const AppChanges &) = delete;

	Task<void> changeApp(ValidApp app, bool enable);
	/*
	 * Repairs an enabled app as planRepairApp says, then diagnoses it: the checks after the
	 * repair. A disabled app is only diagnosed.
	 */
	Task<std::vector<DiagnosticCheck>> repairApp(ValidApp app);
	Task<void> runUnitVerb(UnitVerb verb, std::string unit);

	void runUnitPlan(std::string_view unit, UnitPlanner planner, PlanDone done) override;

	/*
	 * Whether an EnableApp or DisableApp is carrying the app out now: its units pass
	 * through states (enabled but not started yet) that say nothing of its health.
	 */
	bool isChanging(std::string_view app) const { return changingApps_.contains(app); }
	/* An EnableApp or DisableApp of the app ended, done or failed. */
	AppChangeListeners::Subscription onAppChangeEnded(AppChangeListeners::Handler handler)
	{
		return appChangeListeners_.add(std::move(handler));
	}

private:
	/* A plan's error, and what systemd changed all the same. */
	using Executed = std::pair<std::exception_ptr, PlanOutcome>;

	/*
	 * Awaits systemd's first states and the turn of an operation on app, which it then
	 * updates to the registry served by then.
	 */
	Task<OperationQueue::Turn> turnOf(ValidApp &app);
	/* done runs before the next operation on the unit starts. */
	Task<void> unitPlan(std::string unit, UnitPlanner planner, PlanDone done);
	Task<Executed> execute(Plan plan);
	/* Records the state of an app without a daemon. */
	void recordLeaderless(const App &app, bool enabled);

	AppCatalog &catalog_;
	AppDiagnoses &diagnoses_;
	SystemdUnits &systemd_;
	EnableStateStore &records_;
	OperationQueue operations_;
	AppChangeListeners appChangeListeners_;
	/* App id -> EnableApp and DisableApp operations carrying it out now. */
	std::map<std::string, unsigned, std::less<>> changingApps_;
};

} /* namespace plinth */

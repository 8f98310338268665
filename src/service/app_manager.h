/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <cstdint>
#include <exception>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "app_loader.h"
#include "await_callback.h"
#include "coalesced_diagnoses.h"
#include "diagnosis_runner.h"
#include "enable_state_store.h"
#include "listeners.h"
#include "operation_queue.h"
#include "plan.h"
#include "registry.h"
#include "status.h"
#include "task.h"
#include "unit_operations.h"

namespace plinth {

class SystemdClient;

/*
 * What the requests (requests.h), the objects and the reload use: the registry, the recorded
 * state of apps without a daemon and the systemd client put together. Knows nothing of
 * D-Bus; failures are plinth::Error. Derived app states are watched here so that a change
 * made by anyone becomes one notification.
 */
class AppManager : public UnitOperations
{
public:
	/* app, enabled, running */
	using AppStateListeners = Listeners<std::string, bool, bool>;
	/* unit, its state now */
	using UnitStateListeners = Listeners<std::string, UnitState>;
	using ReloadListeners = Listeners<>;
	/* Every app a diagnosis looked at, with its checks, and when it ended (µs since the epoch).
	 */
	using DiagnosisListeners = Listeners<DiagnosisRunner::Results, std::uint64_t>;
	/* app */
	using AppChangeListeners = Listeners<std::string>;

	AppManager(SystemdClient &systemd, EnableStateStore &records, DiagnosisRunner &diagnosis,
		   std::vector<std::filesystem::path> appsDirs);
	~AppManager() override;
	AppManager(const AppManager &) = delete;
	AppManager &operator=(const AppManager &) = delete;

	/*
	 * Reads every definition again and swaps the registry in once systemd's view of the
	 * new units is cached. Broken files are logged and skipped; done gets the load result.
	 * The first load swaps at once, as no earlier registry is served meanwhile: the
	 * definitions are served from then on, and states once whenStatesKnown says so.
	 * Reloads that finish out of order never swap older definitions in over newer ones:
	 * when done runs, what is served was read no earlier than this reload read it.
	 */
	void reload(std::function<void(const LoadResult &result)> done);

	/*
	 * Runs fn on the loop thread once systemd has answered for every unit of the first
	 * load, at once if it has. Whatever reads or derives unit states goes through here.
	 */
	void whenStatesKnown(std::function<void()> fn);
	/* The same for a coroutine: awaits those answers. */
	auto statesKnown()
	{
		return awaitCallback<void>(
			[this](Resumer<void> resume) { whenStatesKnown(resume); });
	}

	/* The registry now; hold the pointer to keep it alive across a reload. */
	std::shared_ptr<const Registry> registry() const { return registry_; }
	/* Queries over the current registry; valid until the next reload swaps it. */
	StatusQueries status() const;

	/* Throws InvalidArgument for a malformed id, NoSuchApp for an unknown one. */
	const App &app(std::string_view id) const;
	/*
	 * The full name of a unit written as systemctl takes it ("ssh" is "ssh.service").
	 * Throws InvalidUnitName or NotManaged.
	 */
	[[nodiscard]] std::string managedUnitName(std::string_view unit) const;

	/*
	 * The changes, of an app id or a unit name its request validated (app(),
	 * managedUnitName()). Each runs as an operation: after every earlier operation whose
	 * units it shares, planned when it starts against the registry and states of that
	 * moment, so that it acts on what its predecessors left behind. An app or unit that a
	 * reload dropped meanwhile is NoSuchApp or NotManaged then.
	 */
	Task<void> changeApp(std::string id, bool enable);
	/*
	 * Repairs an enabled app as planRepairApp says, then diagnoses it: the checks after the
	 * repair. A disabled app is only diagnosed.
	 */
	Task<std::vector<DiagnosticCheck>> repairApp(std::string id);
	Task<void> runUnitVerb(UnitVerb verb, std::string unit);

	void runUnitPlan(std::string_view unit, UnitPlanner planner, PlanDone done) override;

	/*
	 * The checks of an app (its id validated) or of every app. Requests of the same app (or
	 * of all apps) share one diagnosis started after they came (CoalescedDiagnoses).
	 */
	Task<std::vector<DiagnosticCheck>> diagnoseApp(std::string id);
	Task<DiagnosisRunner::Results> diagnoseAll();

	/* An app's derived enabled or running state changed, whoever changed it. */
	AppStateListeners::Subscription onAppStateChanged(AppStateListeners::Handler handler)
	{
		return appStateListeners_.add(std::move(handler));
	}
	/* A managed unit's state in systemd changed, whoever changed it. */
	UnitStateListeners::Subscription onUnitStateChanged(UnitStateListeners::Handler handler)
	{
		return unitStateListeners_.add(std::move(handler));
	}
	/* A reload swapped the registry in, after the apps' changed states were announced. */
	ReloadListeners::Subscription onReloaded(ReloadListeners::Handler handler)
	{
		return reloadListeners_.add(std::move(handler));
	}

	/* A diagnosis ended, whoever asked for it (DiagnoseApp, DiagnoseAll, RepairApp). */
	DiagnosisListeners::Subscription onDiagnosed(DiagnosisListeners::Handler handler)
	{
		return diagnosisListeners_.add(std::move(handler));
	}

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
	/* The key of DiagnoseAll among the app ids, which are never empty. */
	static constexpr const char *kAllApps = "";

	/* A plan's error, and what systemd changed all the same. */
	using Executed = std::pair<std::exception_ptr, PlanOutcome>;

	/* The app under an id validated earlier: a reload since may have dropped it. */
	const App &current(std::string_view id) const;
	/* Throws NotManaged for a unit that no app of the registry now declares. */
	void requireManaged(const std::string &unit) const;
	/* Asks for a diagnosis of key, an app or kAllApps, shared with those asked meanwhile. */
	void requestDiagnosis(const std::string &key, Resumer<DiagnosisRunner::Results> resume);
	auto diagnosis(const std::string &key);
	void startDiagnosis(const std::string &key, DiagnosisRunner::Done finished);
	void serve(std::shared_ptr<const Registry> registry);
	void trackFirstLoad();
	/* done runs before the next operation on the unit starts. */
	Task<void> unitPlan(std::string unit, UnitPlanner planner, PlanDone done);
	Task<Executed> execute(Plan plan);
	/* Records the state of an app without a daemon. */
	void recordLeaderless(const App &app, bool enabled);
	void unitChanged(const std::string &unit);
	void refreshAppState(const App &app);

	SystemdClient &systemd_;
	EnableStateStore &records_;
	DiagnosisRunner &diagnosis_;
	CoalescedDiagnoses diagnoses_;
	std::vector<std::filesystem::path> appsDirs_;
	std::shared_ptr<const Registry> registry_;
	/* The last (enabled, running) announced for each app. */
	std::map<std::string, std::pair<bool, bool>, std::less<>> appStates_;
	bool statesKnown_ = false;
	/* Loads are numbered as they start; servedLoad_ is the number of the registry served. */
	std::uint64_t loadsStarted_ = 0;
	std::uint64_t servedLoad_ = 0;
	/* Reloads before the first states arrived each track anew; only the latest counts. */
	unsigned firstLoads_ = 0;
	std::vector<std::function<void()>> waitingForStates_;
	OperationQueue operations_;
	AppStateListeners appStateListeners_;
	UnitStateListeners unitStateListeners_;
	ReloadListeners reloadListeners_;
	DiagnosisListeners diagnosisListeners_;
	AppChangeListeners appChangeListeners_;
	/* App id -> EnableApp and DisableApp operations carrying it out now. */
	std::map<std::string, unsigned, std::less<>> changingApps_;
	/* Lets a diagnosis that ends after the manager is gone end quietly. */
	std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

} /* namespace plinth */

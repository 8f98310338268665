/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

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
#include "diagnosis_runner.h"
#include "enable_state_store.h"
#include "plan.h"
#include "registry.h"
#include "status.h"

namespace plinth {

class SystemdClient;

/*
 * What the bus adaptor calls: the registry, the recorded state of apps without a daemon and
 * the systemd client put together. Knows nothing of D-Bus; failures are plinth::Error.
 * Derived app states are watched here so that a change made by anyone becomes one
 * notification.
 */
class AppManager
{
public:
	using Completion = std::function<void(std::exception_ptr error)>;
	using AppStateHandler =
		std::function<void(const std::string &app, bool enabled, bool running)>;
	using UnitStateHandler =
		std::function<void(const std::string &unit, const UnitState &state)>;

	AppManager(SystemdClient &systemd, EnableStateStore &records, DiagnosisRunner &diagnosis,
		   std::vector<std::filesystem::path> appsDirs);
	~AppManager();
	AppManager(const AppManager &) = delete;
	AppManager &operator=(const AppManager &) = delete;

	/*
	 * Reads every definition again and swaps the registry in once systemd's view of the
	 * new units is cached. Broken files are logged and skipped; done gets the load result.
	 * The first load swaps at once, as no earlier registry is served meanwhile: the
	 * definitions are served from then on, and states once whenStatesKnown says so.
	 */
	void reload(std::function<void(const LoadResult &result)> done);

	/*
	 * Runs fn on the loop thread once systemd has answered for every unit of the first
	 * load, at once if it has. Whatever reads or derives unit states goes through here.
	 */
	void whenStatesKnown(std::function<void()> fn);

	/* The registry now; hold the pointer to keep it alive across a reload. */
	std::shared_ptr<const Registry> registry() const { return registry_; }
	/* Queries over the current registry; valid until the next reload swaps it. */
	StatusQueries status() const;

	/* Throws InvalidArgument for a malformed id, NoSuchApp for an unknown one. */
	const App &app(std::string_view id) const;
	/* Throws InvalidUnitName or NotManaged. */
	void checkManaged(std::string_view unit) const;

	void enableApp(std::string_view id, Completion done);
	/*
	 * Repairs an enabled app as planRepairApp says, then diagnoses it; done gets the checks
	 * after the repair, or the error that stopped it. A disabled app is only diagnosed.
	 */
	void repairApp(std::string_view id,
		       std::function<void(std::vector<DiagnosticCheck>, std::exception_ptr)> done);
	void disableApp(std::string_view id, Completion done);
	void runUnitVerb(UnitVerb verb, std::string_view unit, Completion done);

	/* Throws as app(); done runs later on the loop thread with the app's checks. */
	void diagnoseApp(std::string_view id,
			 std::function<void(std::vector<DiagnosticCheck>)> done);
	void diagnoseAll(DiagnosisRunner::Done done);

	void onAppStateChanged(AppStateHandler handler) { appStateHandler_ = std::move(handler); }
	void onUnitStateChanged(UnitStateHandler handler)
	{
		unitStateHandler_ = std::move(handler);
	}

private:
	void serve(std::shared_ptr<const Registry> registry);
	void trackFirstLoad();
	void execute(std::shared_ptr<const Registry> registry, Plan plan, Completion done);
	/* Records the state of an app without a daemon; a failure is returned, not thrown. */
	std::exception_ptr recordLeaderlessSafely(const App &app, bool enabled);
	void unitChanged(const std::string &unit);
	void refreshAppState(const App &app);

	SystemdClient &systemd_;
	EnableStateStore &records_;
	DiagnosisRunner &diagnosis_;
	std::vector<std::filesystem::path> appsDirs_;
	std::shared_ptr<const Registry> registry_;
	/* The last (enabled, running) announced for each app. */
	std::map<std::string, std::pair<bool, bool>, std::less<>> appStates_;
	bool statesKnown_ = false;
	/* Reloads before the first states arrived each track anew; only the latest counts. */
	unsigned firstLoads_ = 0;
	std::vector<std::function<void()>> waitingForStates_;
	AppStateHandler appStateHandler_;
	UnitStateHandler unitStateHandler_;
};

} /* namespace plinth */

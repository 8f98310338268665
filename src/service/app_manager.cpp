/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "app_manager.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <set>

#include "error.h"
#include "identifier.h"
#include "systemd_client.h"
#include "unit_name.h"

namespace plinth {

namespace {

std::vector<std::string> unitsToTrack(const Registry &registry)
{
	std::set<std::string> units;
	for (const ManagedUnit &managed : registry.managedUnits())
		units.insert(managed.unit);
	return {units.begin(), units.end()};
}

/* "unit files to enable: 1, failed units to reset: 1, units to start: 2", for the log. */
std::string describeRepair(const Plan &plan)
{
	std::string what;
	for (const PlanStep &step : plan) {
		const char *words =
			std::holds_alternative<UnitFileChange>(step.action) ? "unit files to enable"
			: std::holds_alternative<UnitCall>(step.action) ? "failed units to reset"
									: "units to start";
		what += (what.empty() ? "" : ", ") + std::string(words) + ": " +
			std::to_string(step.targets.size());
	}
	return what.empty() ? "nothing to do" : what;
}

} /* namespace */

AppManager::AppManager(SystemdClient &systemd, EnableStateStore &records,
		       DiagnosisRunner &diagnosis, std::vector<std::filesystem::path> appsDirs)
	: systemd_(systemd), records_(records), diagnosis_(diagnosis),
	  appsDirs_(std::move(appsDirs)), registry_(std::make_shared<Registry>())
{
	systemd_.onUnitChanged([this](const std::string &unit) { unitChanged(unit); });
}

AppManager::~AppManager()
{
	systemd_.onUnitChanged({});
}

void AppManager::reload(std::function<void(const LoadResult &result)> done)
{
	auto result = std::make_shared<LoadResult>(loadAppDefinitions(appsDirs_));
	for (const LoadError &error : result->errors)
		spdlog::error("{}; the file is skipped", error.toString());
	for (const std::string &warning : result->warnings)
		spdlog::warn("{}", warning);

	std::shared_ptr<const Registry> next = std::move(result->registry);
	if (!statesKnown_) {
		serve(std::move(next));
		trackFirstLoad();
		done(*result);
		return;
	}
	systemd_.track(unitsToTrack(*next), [this, next, result, done = std::move(done)]() {
		serve(next);
		std::map<std::string, std::pair<bool, bool>, std::less<>> previous;
		previous.swap(appStates_);
		for (const App &app : registry_->apps()) {
			const auto it = previous.find(app.id);
			if (it != previous.end())
				appStates_.insert(*it);
			refreshAppState(app);
		}
		done(*result);
	});
}

void AppManager::whenStatesKnown(std::function<void()> fn)
{
	if (statesKnown_)
		fn();
	else
		waitingForStates_.push_back(std::move(fn));
}

void AppManager::serve(std::shared_ptr<const Registry> registry)
{
	registry_ = std::move(registry);
	spdlog::info("serving {} apps and {} managed units", registry_->apps().size(),
		     registry_->managedUnits().size());
}

/*
 * systemd may take seconds to tell the unit-file states of a thousand units, which nobody
 * should wait for to learn an app's definition; state queries wait instead.
 */
void AppManager::trackFirstLoad()
{
	const unsigned load = ++firstLoads_;
	const auto started = std::chrono::steady_clock::now();
	systemd_.track(unitsToTrack(*registry_), [this, load, started] {
		if (load != firstLoads_)
			return;
		statesKnown_ = true;
		spdlog::info("unit states known after {} ms",
			     std::chrono::duration_cast<std::chrono::milliseconds>(
				     std::chrono::steady_clock::now() - started)
				     .count());

		/* Known for the first time is no change: nothing to announce. */
		const StatusQueries queries = status();
		for (const App &app : registry_->apps())
			appStates_[app.id] = {queries.isAppEnabled(app), queries.isAppRunning(app)};

		std::vector<std::function<void()>> waiting;
		waiting.swap(waitingForStates_);
		for (std::function<void()> &fn : waiting)
			fn();
	});
}

StatusQueries AppManager::status() const
{
	return StatusQueries(*registry_, systemd_.unitStates(), records_);
}

const App &AppManager::app(std::string_view id) const
{
	if (!isValidIdentifier(id))
		throw Error(
			ErrorCode::InvalidArgument,
			"'" + std::string(id) +
				"' is not an app id: ids are lowercase letters, digits, '-' and "
				"'_', starting with a letter or digit.");
	const App *app = registry_->findApp(id);
	if (!app)
		throw Error(ErrorCode::NoSuchApp,
			    "No app '" + std::string(id) +
				    "' is defined. ListApps (plinthctl list) shows the apps this "
				    "service knows; definitions are read from apps.d directories.");
	return *app;
}

void AppManager::checkManaged(std::string_view unit) const
{
	const std::string problem = unitNameError(unit);
	if (!problem.empty())
		throw Error(ErrorCode::InvalidUnitName,
			    problem + ". Give a full unit name such as 'apache2.service'.");
	if (!registry_->isManaged(unit))
		throw Error(
			ErrorCode::NotManaged,
			"The unit '" + std::string(unit) +
				"' is not declared by any app, so this service will not "
				"touch it. ListManagedUnits (plinthctl units) shows the units "
				"it manages; declare the unit in an app definition to manage it.");
}

void AppManager::enableApp(std::string_view id, Completion done)
{
	const App &target = app(id);
	whenStatesKnown([this, registry = registry_, &target, done = std::move(done)] {
		execute(registry, planEnableApp(target),
			[this, registry, &target, done](std::exception_ptr error) {
				if (!error && !target.hasLeader())
					error = recordLeaderlessSafely(target, true);
				done(error);
			});
	});
}

void AppManager::repairApp(
	std::string_view id,
	std::function<void(std::vector<DiagnosticCheck>, std::exception_ptr)> done)
{
	const App &target = app(id);
	whenStatesKnown([this, registry = registry_, &target, done = std::move(done)] {
		Plan plan = planRepairApp(target, status());
		spdlog::info("repairing app '{}': {}", target.id, describeRepair(plan));
		execute(registry, std::move(plan),
			[this, registry, &target, done](std::exception_ptr error) {
				if (error) {
					done({}, error);
					return;
				}
				diagnosis_.diagnose({&target}, status(),
						    [registry, id = target.id,
						     done](DiagnosisRunner::Results results) {
							    done(std::move(results[id]), nullptr);
						    });
			});
	});
}

void AppManager::disableApp(std::string_view id, Completion done)
{
	const App &target = app(id);
	whenStatesKnown([this, registry = registry_, &target, done = std::move(done)] {
		execute(registry, planDisableApp(target, status()),
			[this, registry, &target, done](std::exception_ptr error) {
				if (!error && !target.hasLeader())
					error = recordLeaderlessSafely(target, false);
				done(error);
			});
	});
}

void AppManager::runUnitVerb(UnitVerb verb, std::string_view unit, Completion done)
{
	checkManaged(unit);
	execute(registry_, planUnitVerb(verb, unit), std::move(done));
}

void AppManager::diagnoseApp(std::string_view id,
			     std::function<void(std::vector<DiagnosticCheck>)> done)
{
	const App &target = app(id);
	/* The registry holds target until the diagnosis has read it. */
	whenStatesKnown([this, registry = registry_, &target, done = std::move(done)] {
		diagnosis_.diagnose({&target}, status(),
				    [id = target.id, done](DiagnosisRunner::Results results) {
					    done(std::move(results[id]));
				    });
	});
}

void AppManager::diagnoseAll(DiagnosisRunner::Done done)
{
	whenStatesKnown([this, done = std::move(done)] {
		std::vector<const App *> all;
		for (const App &app : registry_->apps())
			all.push_back(&app);
		diagnosis_.diagnose(std::move(all), status(), done);
	});
}

void AppManager::execute(std::shared_ptr<const Registry> registry, Plan plan, Completion done)
{
	if (plan.empty()) {
		done(nullptr);
		return;
	}
	/* The registry stays alive until the plan is done, even across a reload. */
	systemd_.execute(plan, [registry = std::move(registry),
				done = std::move(done)](std::exception_ptr error) { done(error); });
}

std::exception_ptr AppManager::recordLeaderlessSafely(const App &app, bool enabled)
{
	try {
		records_.setEnabled(app.id, enabled);
	} catch (const std::system_error &e) {
		spdlog::error("cannot record app '{}' as {}: {}", app.id,
			      enabled ? "enabled" : "disabled", e.what());
		return std::make_exception_ptr(std::runtime_error(
			"The units of app '" + app.id + "' were " +
			(enabled ? "enabled" : "disabled") +
			", but its state could not be recorded in " + records_.file().string() +
			": " + e.what() + ". Free space or fix permissions there and try again."));
	}
	refreshAppState(app);
	return nullptr;
}

void AppManager::unitChanged(const std::string &unit)
{
	/* The first answers are not changes; trackFirstLoad takes them in at once. */
	if (!statesKnown_)
		return;
	if (unitStateHandler_ && registry_->isManaged(unit))
		unitStateHandler_(unit, systemd_.unitStates().unitState(unit));

	/* Another app's SharedDaemon can only change its own app's derived states. */
	std::set<const App *> affected;
	for (const ComponentRef &ref : registry_->declarersOf(unit))
		affected.insert(ref.app);
	for (const App *app : affected)
		refreshAppState(*app);
}

void AppManager::refreshAppState(const App &app)
{
	const StatusQueries queries = status();
	const std::pair<bool, bool> now{queries.isAppEnabled(app), queries.isAppRunning(app)};
	const auto [it, inserted] = appStates_.try_emplace(app.id, now);
	if (!inserted && it->second == now)
		return;
	it->second = now;
	if (appStateHandler_)
		appStateHandler_(app.id, now.first, now.second);
}

} /* namespace plinth */

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "app_manager.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <set>
#include <utility>

#include "error.h"
#include "identifier.h"
#include "systemd_client.h"
#include "unit_name.h"

namespace plinth {

namespace {

Error noSuchApp(std::string_view id)
{
	return Error(ErrorCode::NoSuchApp,
		     "No app '" + std::string(id) +
			     "' is defined. ListApps (plinthctl list) shows the apps this service "
			     "knows; definitions are read from apps.d directories.");
}

std::vector<std::string> unitsToTrack(const Registry &registry)
{
	std::set<std::string> units;
	for (const ManagedUnit &managed : registry.managedUnits())
		units.insert(managed.unit);
	return {units.begin(), units.end()};
}

} /* namespace */

AppManager::AppManager(SystemdClient &systemd, EnableStateStore &records,
		       DiagnosisRunner &diagnosis, std::vector<std::filesystem::path> appsDirs)
	: systemd_(systemd), records_(records), diagnosis_(diagnosis),
	  diagnoses_([this](const std::string &key, DiagnosisRunner::Done finished) {
		  startDiagnosis(key, std::move(finished));
	  }),
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
	const std::uint64_t generation = ++loadsStarted_;
	spdlog::info("reading the app definitions (load {})", generation);
	auto result = std::make_shared<LoadResult>(loadAppDefinitions(appsDirs_));
	for (const LoadError &error : result->errors)
		spdlog::error("{}; the file is skipped", error.toString());
	for (const std::string &warning : result->warnings)
		spdlog::warn("{}", warning);

	std::shared_ptr<const Registry> next = std::move(result->registry);
	if (!statesKnown_) {
		servedLoad_ = generation;
		serve(std::move(next));
		trackFirstLoad();
		reloadListeners_.notify();
		done(*result);
		return;
	}
	systemd_.track(
		unitsToTrack(*next), [this, generation, next, result, done = std::move(done)]() {
			/*
			 * Two reloads may finish out of order. A later one, which read the
			 * definitions after this one did, is served already: this caller is
			 * answered without going back to older definitions.
			 */
			if (generation < servedLoad_) {
				spdlog::info("load {} is older than the served load {}: not served",
					     generation, servedLoad_);
				done(*result);
				return;
			}
			servedLoad_ = generation;
			serve(next);
			std::map<std::string, std::pair<bool, bool>, std::less<>> previous;
			previous.swap(appStates_);
			for (const App &app : registry_->apps()) {
				const auto it = previous.find(app.id);
				if (it != previous.end())
					appStates_.insert(*it);
				refreshAppState(app);
			}
			reloadListeners_.notify();
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
	return current(id);
}

const App &AppManager::current(std::string_view id) const
{
	const App *app = registry_->findApp(id);
	if (!app)
		throw noSuchApp(id);
	return *app;
}

std::string AppManager::managedUnitName(std::string_view name) const
{
	const std::string problem = unitNameError(name);
	if (!problem.empty())
		throw Error(ErrorCode::InvalidUnitName,
			    problem + ". Give a unit name such as 'apache2' or 'apache2.service'.");
	std::string unit = mangleUnitName(name);
	requireManaged(unit);
	return unit;
}

void AppManager::requireManaged(const std::string &unit) const
{
	if (!registry_->isManaged(unit))
		throw Error(
			ErrorCode::NotManaged,
			"The unit '" + unit +
				"' is not declared by any app, so this service will not "
				"touch it. ListManagedUnits (plinthctl units) shows the units "
				"it manages; declare the unit in an app definition to manage it.");
}

Task<void> AppManager::changeApp(std::string id, bool enable)
{
	/* Disabling decides on shared daemons from states: they must be known first. */
	co_await statesKnown();
	const OperationScope scope = appOperationScope(*registry_, current(id));
	OperationQueue::Turn turn = co_await operations_.turn(scope);

	/* Planned now, against what earlier operations left behind; target lives in registry. */
	const std::shared_ptr<const Registry> registry = registry_;
	const App &target = current(id);
	Plan plan = enable ? planEnableApp(target) : planDisableApp(target, status());
	++changingApps_[id];
	std::exception_ptr error = (co_await execute(std::move(plan))).first;
	if (!error && !target.hasLeader()) {
		try {
			recordLeaderless(target, enable);
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

Task<void> AppManager::runUnitVerb(UnitVerb verb, std::string unit)
{
	/* A verb reads no state: it need not wait for systemd's first answers. */
	const OperationScope scope = unitOperationScope(*registry_, unit);
	OperationQueue::Turn turn = co_await operations_.turn(scope);
	/* A reload while it waited may have dropped the unit. */
	requireManaged(unit);
	const std::exception_ptr error = (co_await execute(planUnitVerb(verb, unit))).first;
	if (error)
		std::rethrow_exception(error);
}

void AppManager::runUnitPlan(std::string_view unit, UnitPlanner planner, PlanDone done)
{
	detach(unitPlan(std::string(unit), std::move(planner), std::move(done)),
	       [](std::exception_ptr) {});
}

Task<void> AppManager::unitPlan(std::string unit, UnitPlanner planner, PlanDone done)
{
	co_await statesKnown();
	const OperationScope scope = unitOperationScope(*registry_, unit);
	OperationQueue::Turn turn = co_await operations_.turn(scope);
	Executed executed;
	try {
		/* A reload while it waited may have dropped the unit. */
		requireManaged(unit);
		executed = co_await execute(planner(status()));
	} catch (...) {
		executed.first = std::current_exception();
	}
	/* Before the next operation on the unit starts. */
	done(executed.first, executed.second);
}

Task<AppManager::Executed> AppManager::execute(Plan plan)
{
	if (plan.empty())
		co_return Executed{};
	/* The registry stays alive until the plan is done, even across a reload. */
	const std::shared_ptr<const Registry> registry = registry_;
	co_return co_await awaitCallback<Executed>([&](Resumer<Executed> resume) {
		systemd_.execute(plan,
				 [resume](std::exception_ptr error, const PlanOutcome &outcome) {
					 resume(error, outcome);
				 });
	});
}

void AppManager::recordLeaderless(const App &app, bool enabled)
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
	refreshAppState(app);
}

void AppManager::unitChanged(const std::string &unit)
{
	/* The first answers are not changes; trackFirstLoad takes them in at once. */
	if (!statesKnown_)
		return;
	if (registry_->isManaged(unit))
		unitStateListeners_.notify(unit, systemd_.unitStates().unitState(unit));

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
	appStateListeners_.notify(app.id, now.first, now.second);
}

} /* namespace plinth */

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "app_catalog.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <set>
#include <utility>

#include "error.h"
#include "identifier.h"
#include "systemd_units.h"
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

AppCatalog::AppCatalog(SystemdUnits &systemd, EnableStateStore &records,
		       std::vector<std::filesystem::path> appsDirs)
	: systemd_(systemd), records_(records), appsDirs_(std::move(appsDirs)),
	  registry_(std::make_shared<Registry>())
{
	systemd_.onUnitChanged([this](const std::string &unit) { unitChanged(unit); });
}

AppCatalog::~AppCatalog()
{
	systemd_.onUnitChanged({});
}

void AppCatalog::reload(std::function<void(const LoadResult &result)> done)
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

void AppCatalog::whenStatesKnown(std::function<void()> fn)
{
	if (statesKnown_)
		fn();
	else
		waitingForStates_.push_back(std::move(fn));
}

void AppCatalog::serve(std::shared_ptr<const Registry> registry)
{
	registry_ = std::move(registry);
	spdlog::info("serving {} apps and {} managed units", registry_->apps().size(),
		     registry_->managedUnits().size());
}

/*
 * systemd may take seconds to tell the unit-file states of a thousand units, which nobody
 * should wait for to learn an app's definition; state queries wait instead.
 */
void AppCatalog::trackFirstLoad()
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

StatusQueries AppCatalog::status() const
{
	return StatusQueries(*registry_, systemd_.unitStates(), records_);
}

const App &AppCatalog::app(std::string_view id) const
{
	if (!isValidIdentifier(id))
		throw Error(
			ErrorCode::InvalidArgument,
			"'" + std::string(id) +
				"' is not an app id: ids are lowercase letters, digits, '-' and "
				"'_', starting with a letter or digit.");
	return current(id);
}

const App &AppCatalog::current(std::string_view id) const
{
	const App *app = registry_->findApp(id);
	if (!app)
		throw noSuchApp(id);
	return *app;
}

std::string AppCatalog::managedUnitName(std::string_view name) const
{
	const std::string problem = unitNameError(name);
	if (!problem.empty())
		throw Error(ErrorCode::InvalidUnitName,
			    problem + ". Give a unit name such as 'apache2' or 'apache2.service'.");
	std::string unit = mangleUnitName(name);
	requireManaged(unit);
	return unit;
}

void AppCatalog::requireManaged(const std::string &unit) const
{
	if (!registry_->isManaged(unit))
		throw Error(
			ErrorCode::NotManaged,
			"The unit '" + unit +
				"' is not declared by any app, so this service will not "
				"touch it. ListManagedUnits (plinthctl units) shows the units "
				"it manages; declare the unit in an app definition to manage it.");
}

void AppCatalog::unitChanged(const std::string &unit)
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

void AppCatalog::refreshAppState(const App &app)
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

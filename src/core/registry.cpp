/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "registry.h"

#include <functional>
#include <queue>
#include <unordered_map>
#include <unordered_set>

namespace plinth {

namespace {

/*
 * Stable topological order: an app comes after the apps it depends on and otherwise keeps its
 * load order, so the result does not depend on hash order.
 */
std::vector<App> dependencyOrder(std::vector<App> apps, std::vector<std::string> &warnings)
{
	std::unordered_set<std::string> known;
	for (const App &app : apps)
		known.insert(app.id);

	for (const App &app : apps) {
		for (const std::string &dep : app.depends) {
			if (!known.contains(dep))
				warnings.push_back(app.sourceFile + ": app '" + app.id +
						   "' depends on unknown app '" + dep +
						   "'; the dependency is ignored");
		}
	}

	/* Each app waits for its known dependencies; the lowest-numbered ready app goes next. */
	std::unordered_map<std::string, std::vector<std::size_t>> dependents;
	std::vector<std::size_t> waiting(apps.size(), 0);
	std::priority_queue<std::size_t, std::vector<std::size_t>, std::greater<>> ready;
	for (std::size_t i = 0; i < apps.size(); ++i) {
		std::unordered_set<std::string> counted;
		for (const std::string &dep : apps[i].depends) {
			if (known.contains(dep) && counted.insert(dep).second) {
				dependents[dep].push_back(i);
				waiting[i]++;
			}
		}
		if (waiting[i] == 0)
			ready.push(i);
	}

	std::vector<App> ordered;
	ordered.reserve(apps.size());
	std::unordered_set<std::string> placed;
	std::vector<bool> done(apps.size(), false);
	while (!ready.empty()) {
		const std::size_t i = ready.top();
		ready.pop();
		if (placed.insert(apps[i].id).second) {
			for (std::size_t dependent : dependents[apps[i].id]) {
				if (--waiting[dependent] == 0)
					ready.push(dependent);
			}
		}
		ordered.push_back(std::move(apps[i]));
		done[i] = true;
	}

	for (std::size_t i = 0; i < apps.size(); ++i) {
		if (done[i])
			continue;
		warnings.push_back(
			apps[i].sourceFile + ": app '" + apps[i].id +
			"' is part of a dependency cycle; it is ordered after the others");
		ordered.push_back(std::move(apps[i]));
	}

	return ordered;
}

} /* namespace */

Registry::Registry(std::vector<App> apps, std::vector<std::string> &warnings)
	: apps_(dependencyOrder(std::move(apps), warnings))
{
	index();
}

void Registry::index()
{
	for (std::size_t i = 0; i < apps_.size(); ++i) {
		const App &app = apps_[i];
		appIndex_.emplace(app.id, i);
		for (const Component &component : app.components) {
			const ComponentRef ref{&app, &component};
			componentIndex_.emplace(component.id, ref);
			unitIndex_[component.unit].push_back(ref);
			if (!component.alias.empty() && component.alias != component.unit)
				unitIndex_[component.alias].push_back(ref);
		}
	}
}

const App *Registry::findApp(std::string_view id) const
{
	const auto it = appIndex_.find(id);
	return it == appIndex_.end() ? nullptr : &apps_[it->second];
}

std::optional<ComponentRef> Registry::findComponent(std::string_view id) const
{
	const auto it = componentIndex_.find(id);
	if (it == componentIndex_.end())
		return std::nullopt;
	return it->second;
}

const std::vector<ComponentRef> &Registry::declarersOf(std::string_view unit) const
{
	static const std::vector<ComponentRef> kNone;
	const auto it = unitIndex_.find(unit);
	return it == unitIndex_.end() ? kNone : it->second;
}

bool Registry::isManaged(std::string_view unit) const
{
	return unitIndex_.contains(unit);
}

const App *Registry::ownerOf(std::string_view unit) const
{
	const App *owner = nullptr;
	for (const ComponentRef &ref : declarersOf(unit)) {
		switch (ref.component->kind) {
		case ComponentKind::RelatedDaemon:
			break;
		case ComponentKind::SharedDaemon:
			return nullptr;
		case ComponentKind::Daemon:
			if (owner && owner != ref.app)
				return nullptr;
			owner = ref.app;
			break;
		}
	}
	return owner;
}

std::vector<ManagedUnit> Registry::managedUnits() const
{
	std::vector<ManagedUnit> units;
	for (const App &app : apps_) {
		for (const Component &component : app.components) {
			units.push_back({component.unit, app.id, component.id});
			if (!component.alias.empty() && component.alias != component.unit)
				units.push_back({component.alias, app.id, component.id});
		}
	}
	return units;
}

} /* namespace plinth */

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "status.h"

#include <algorithm>
#include <array>

namespace plinth {

bool isEnabledUnitFileState(std::string_view unitFileState, bool strictCheck)
{
	if (strictCheck)
		return unitFileState == "enabled";

	static constexpr std::array<std::string_view, 6> kEnabledStates = {
		"enabled", "enabled-runtime", "alias", "static", "indirect", "generated",
	};
	return std::find(kEnabledStates.begin(), kEnabledStates.end(), unitFileState) !=
	       kEnabledStates.end();
}

bool isRunningActiveState(std::string_view activeState)
{
	return activeState == "active" || activeState == "reloading";
}

StatusQueries::StatusQueries(const Registry &registry, const UnitStateView &units,
			     const EnableStateStore &records)
	: registry_(registry), units_(units), records_(records)
{
}

bool StatusQueries::isComponentEnabled(const Component &component) const
{
	if (!component.followsApp())
		return false;

	if (!component.alias.empty() &&
	    isEnabledUnitFileState(units_.unitState(component.alias).unitFileState,
				   component.strictCheck))
		return true;

	return isEnabledUnitFileState(units_.unitState(component.unit).unitFileState,
				      component.strictCheck);
}

bool StatusQueries::isComponentRunning(const Component &component) const
{
	return component.followsApp() && isUnitRunning(daemonUnit(component));
}

const std::string &StatusQueries::daemonUnit(const Component &component) const
{
	if (component.alias.empty() || units_.unitState(component.unit).loadState != "not-found")
		return component.unit;
	const std::string &aliasLoadState = units_.unitState(component.alias).loadState;
	if (aliasLoadState.empty() || aliasLoadState == "not-found")
		return component.unit;
	return component.alias;
}

bool StatusQueries::isAppEnabled(const App &app) const
{
	if (!app.hasLeader())
		return records_.isEnabled(app.id);

	return std::all_of(app.components.begin(), app.components.end(), [&](const Component &c) {
		return !c.isLeader() || isComponentEnabled(c);
	});
}

bool StatusQueries::isAppRunning(const App &app) const
{
	return std::all_of(app.components.begin(), app.components.end(), [&](const Component &c) {
		return !c.followsApp() || isComponentRunning(c);
	});
}

bool StatusQueries::isUnitEnabled(std::string_view unit) const
{
	return isEnabledUnitFileState(units_.unitState(unit).unitFileState, false);
}

bool StatusQueries::isUnitRunning(std::string_view unit) const
{
	return isRunningActiveState(units_.unitState(unit).activeState);
}

bool StatusQueries::isSharedWithOtherEnabledApp(const App &app, std::string_view unit) const
{
	for (const ComponentRef &ref : registry_.declarersOf(unit)) {
		if (ref.app->id == app.id || ref.component->kind != ComponentKind::SharedDaemon ||
		    ref.component->unit != unit)
			continue;
		if (isAppEnabled(*ref.app))
			return true;
	}
	return false;
}

} /* namespace plinth */

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <string>
#include <string_view>

#include "app.h"
#include "enable_state_store.h"
#include "registry.h"
#include "unit_state.h"

namespace plinth {

/* Whether `systemctl is-enabled` would call this unit-file state enabled. */
bool isEnabledUnitFileState(std::string_view unitFileState, bool strictCheck);
/* ActiveState active or reloading. */
bool isRunningActiveState(std::string_view activeState);

/*
 * The derived states of apps and components, computed from what systemd says of the units
 * and from the recorded state of apps without a Daemon. Pure: it reads and never acts.
 */
class StatusQueries
{
public:
	StatusQueries(const Registry &registry, const UnitStateView &units,
		      const EnableStateStore &records);

	/* Daemon, SharedDaemon: the alias or the unit is enabled. RelatedDaemon: never. */
	bool isComponentEnabled(const Component &component) const;
	/* Daemon, SharedDaemon: its daemonUnit() is active or reloading. RelatedDaemon: never. */
	bool isComponentRunning(const Component &component) const;

	/*
	 * The name the component's daemon runs under: its unit, or its alias where systemd knows
	 * no unit of the new name but one of the old (only the old name has a file).
	 */
	const std::string &daemonUnit(const Component &component) const;

	/* All Daemons enabled; without a Daemon, what EnableApp/DisableApp last recorded. */
	bool isAppEnabled(const App &app) const;
	/* Every Daemon and SharedDaemon running. */
	bool isAppRunning(const App &app) const;

	/* The unit methods' view of one name, non-strict as the reference's is-enabled. */
	bool isUnitEnabled(std::string_view unit) const;
	bool isUnitRunning(std::string_view unit) const;

	/* Whether an enabled app other than app has a SharedDaemon on unit. */
	bool isSharedWithOtherEnabledApp(const App &app, std::string_view unit) const;

	/* What systemd last said of the unit; empty when it said nothing. */
	const UnitState &unitState(std::string_view unit) const { return units_.unitState(unit); }

	const Registry &registry() const { return registry_; }

private:
	const Registry &registry_;
	const UnitStateView &units_;
	const EnableStateStore &records_;
};

} /* namespace plinth */

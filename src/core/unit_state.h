/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <string>
#include <string_view>

namespace plinth {

/* What systemd says of one unit name, in systemd's own words. */
struct UnitState {
	/* LoadState: loaded, not-found, masked, bad-setting, error; empty when never asked. */
	std::string loadState;
	/* ActiveState: active, reloading, inactive, failed, activating, deactivating. */
	std::string activeState;
	std::string subState;
	/*
	 * What `systemctl is-enabled NAME` says of this very name (GetUnitFileState): enabled,
	 * enabled-runtime, alias, static, indirect, generated, linked, masked, disabled, ...;
	 * empty when there is no unit file of that name.
	 */
	std::string unitFileState;

	bool operator==(const UnitState &) const = default;
};

/* The decisions read unit states through this; the systemd client's cache implements it. */
class UnitStateView
{
public:
	virtual ~UnitStateView() = default;

	/* The last known state; an empty UnitState for a unit nothing is known of. */
	virtual const UnitState &unitState(std::string_view unit) const = 0;
};

} /* namespace plinth */

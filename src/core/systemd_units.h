/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "plan.h"
#include "unit_state.h"

namespace plinth {

/*
 * What the apps need of systemd: the states of the units they manage, kept current, and their
 * plans carried out. The service's is SystemdClient; the request pipeline's unit tests give
 * their own.
 */
class SystemdUnits
{
public:
	using UnitChangedHandler = std::function<void(const std::string &unit)>;

	virtual ~SystemdUnits() = default;

	/* Tracks exactly these units from now on; done runs once every one is known. */
	virtual void track(const std::vector<std::string> &units, std::function<void()> done) = 0;
	/* The units' states as systemd last told them. */
	virtual const UnitStateView &unitStates() const = 0;
	/* Called on the loop thread whenever a tracked unit's state changed, by anyone. */
	virtual void onUnitChanged(UnitChangedHandler handler) = 0;
	/*
	 * Runs the plan's steps one after another, best effort; done gets nullptr or the error
	 * naming each failed unit, and every unit-file change made. Before done runs, the
	 * targets' states are fresh.
	 */
	virtual void execute(const Plan &plan, PlanDone done) = 0;
};

} /* namespace plinth */

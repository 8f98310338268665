/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <functional>
#include <string_view>

#include "plan.h"
#include "status.h"

namespace plinth {

/*
 * Plans on one managed unit run as operations (AppChanges runs them): all the leases need of
 * the app manager, so that they can be tried against a fake.
 */
class UnitOperations
{
public:
	/* Makes the plan when the operation starts, from the states of that moment. */
	using UnitPlanner = std::function<Plan(const StatusQueries &status)>;

	virtual ~UnitOperations() = default;

	/*
	 * Runs the planner's plan on unit as an operation, once the states are known (an empty
	 * plan does nothing). done gets the plan's error and what systemd reported changing,
	 * and runs before the next operation on the unit starts. Throws InvalidUnitName or
	 * NotManaged.
	 */
	virtual void runUnitPlan(std::string_view unit, UnitPlanner planner, PlanDone done) = 0;
};

} /* namespace plinth */

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "lease_plan.h"

#include <string>

namespace plinth {

namespace {

constexpr std::string_view kRuntimeEnabled = "enabled-runtime";

} /* namespace */

Plan planLeaseStart(std::string_view unitName, const StatusQueries &status)
{
	const std::string unit(unitName);
	Plan plan;
	if (!status.isUnitEnabled(unit))
		plan.push_back({UnitVerb::EnableRuntime, {{unit, false}}});
	plan.push_back({UnitVerb::Start, {{unit, false}}});
	return plan;
}

bool isWantedByEnabledApp(std::string_view unit, const StatusQueries &status, bool ownLinks)
{
	for (const ComponentRef &ref : status.registry().declarersOf(unit)) {
		if (!ref.component->followsApp() || (ownLinks && ref.component->isLeader()))
			continue;
		if (status.isAppEnabled(*ref.app))
			return true;
	}
	return false;
}

Plan planLeaseEnd(std::string_view unitName, const LeaseChanges &changes,
		  const StatusQueries &status)
{
	const std::string unit(unitName);
	const bool ownLinks =
		changes.linked && status.unitState(unit).unitFileState == kRuntimeEnabled;
	const bool claimed = !changes.wantedByApp && isWantedByEnabledApp(unit, status, ownLinks);

	Plan plan;
	if (changes.linked)
		plan.push_back({UnitVerb::DisableRuntime, {{unit, false}}});
	if (changes.started && !claimed) {
		Plan stop = planUnitVerb(UnitVerb::Stop, unit);
		plan.insert(plan.end(), stop.begin(), stop.end());
	}
	return plan;
}

} /* namespace plinth */

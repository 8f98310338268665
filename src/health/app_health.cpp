/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "app_health.h"

namespace plinth {

namespace {

bool countsAgainst(std::string_view result)
{
	return result == "failed" || result == "error" || result == "warning";
}

} /* namespace */

std::string_view healthStateName(HealthState state)
{
	switch (state) {
	case HealthState::Unknown:
		break;
	case HealthState::Ok:
		return "ok";
	case HealthState::Degraded:
		return "degraded";
	case HealthState::Failed:
		return "failed";
	case HealthState::Disabled:
		return "disabled";
	}
	return "unknown";
}

bool isRunningCheck(std::string_view checkId)
{
	return checkId.starts_with("daemon-running-");
}

AppHealth assessHealth(bool enabled, const std::vector<HealthCheck> &runningChecks,
		       const DiagnosisRecord *last,
		       const std::set<std::string, std::less<>> &ignored)
{
	AppHealth health;
	health.lastDiagnosed = last ? last->time : 0;
	if (!enabled) {
		health.state = HealthState::Disabled;
		return health;
	}

	bool runningFailed = false;
	bool otherFailed = false;
	const auto weigh = [&](const HealthCheck &check) {
		if (!countsAgainst(check.result))
			return;
		if (ignored.count(check.checkId)) {
			health.issues.push_back(
				{check.checkId, std::string(kIgnoredResult), check.message});
			return;
		}
		health.issues.push_back(check);
		(isRunningCheck(check.checkId) ? runningFailed : otherFailed) = true;
	};
	for (const HealthCheck &check : runningChecks)
		weigh(check);
	if (last) {
		for (const HealthCheck &check : last->checks)
			if (!isRunningCheck(check.checkId))
				weigh(check);
	}

	if (runningFailed)
		health.state = HealthState::Failed;
	else if (otherFailed)
		health.state = HealthState::Degraded;
	else
		health.state = last ? HealthState::Ok : HealthState::Unknown;
	return health;
}

bool needsAttention(HealthState state)
{
	return state == HealthState::Failed || state == HealthState::Degraded;
}

} /* namespace plinth */

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "plan.h"

#include <algorithm>
#include <array>
#include <utility>

#include "unit_name.h"

namespace plinth {

namespace {

constexpr std::array<std::pair<UnitVerb, std::string_view>, 11> kUnitVerbNames = {{
	{UnitVerb::Start, "start"},
	{UnitVerb::Stop, "stop"},
	{UnitVerb::Restart, "restart"},
	{UnitVerb::TryRestart, "try-restart"},
	{UnitVerb::Reload, "reload"},
	{UnitVerb::TryReloadOrRestart, "try-reload-or-restart"},
	{UnitVerb::Enable, "enable"},
	{UnitVerb::Disable, "disable"},
	{UnitVerb::Mask, "mask"},
	{UnitVerb::Unmask, "unmask"},
	{UnitVerb::ResetFailed, "reset-failed"},
}};

void addTarget(std::vector<PlanTarget> &targets, std::string unit, bool bestEffort,
	       const std::string &alternative = {})
{
	const auto same = [&](const PlanTarget &t) {
		return t.unit == unit;
	};
	const auto it = std::find_if(targets.begin(), targets.end(), same);
	if (it != targets.end()) {
		it->bestEffort = it->bestEffort && bestEffort;
		if (it->alternative.empty())
			it->alternative = alternative;
		return;
	}
	targets.push_back({std::move(unit), bestEffort, alternative});
}

/* The unit and its alias, as the reference acts on both names; either name may do. */
void addUnitAndAlias(std::vector<PlanTarget> &targets, const Component &component)
{
	addTarget(targets, component.unit, false, component.alias);
	if (!component.alias.empty())
		addTarget(targets, component.alias, true);
}

/*
 * Stopping only x.socket would leave x.service running, and it could be socket-activated
 * again by a late connection; systemd orders the two stop jobs itself.
 */
void addStopTargets(std::vector<PlanTarget> &targets, const std::string &unit, bool bestEffort,
		    const std::string &alternative = {})
{
	addTarget(targets, unit, bestEffort, alternative);
	if (std::optional<std::string> service = serviceOfSocket(unit))
		addTarget(targets, std::move(*service), true);
}

void appendStep(Plan &plan, std::variant<UnitFileChange, JobType, UnitCall> action,
		std::vector<PlanTarget> targets)
{
	if (!targets.empty())
		plan.push_back({action, std::move(targets)});
}

} /* namespace */

std::string_view unitFileChangeName(UnitFileChange change)
{
	switch (change) {
	case UnitFileChange::Enable:
		return "enable";
	case UnitFileChange::Disable:
		return "disable";
	case UnitFileChange::Mask:
		return "mask";
	case UnitFileChange::Unmask:
		return "unmask";
	case UnitFileChange::RuntimeEnable:
		return "enable --runtime";
	case UnitFileChange::RuntimeDisable:
		return "disable --runtime";
	}
	return {};
}

std::string_view jobTypeName(JobType type)
{
	switch (type) {
	case JobType::Start:
		return "start";
	case JobType::Stop:
		return "stop";
	case JobType::Restart:
		return "restart";
	case JobType::TryRestart:
		return "try-restart";
	case JobType::Reload:
		return "reload";
	case JobType::TryReloadOrRestart:
		return "try-reload-or-restart";
	}
	return {};
}

std::string_view unitCallName(UnitCall call)
{
	switch (call) {
	case UnitCall::ResetFailed:
		return "reset-failed";
	}
	return {};
}

std::string_view unitVerbName(UnitVerb verb)
{
	for (const auto &[v, name] : kUnitVerbNames) {
		if (v == verb)
			return name;
	}
	return {};
}

std::optional<UnitVerb> parseUnitVerb(std::string_view name)
{
	for (const auto &[verb, n] : kUnitVerbNames) {
		if (n == name)
			return verb;
	}
	return std::nullopt;
}

Plan planEnableApp(const App &app)
{
	std::vector<PlanTarget> targets;
	for (const Component &component : app.components) {
		if (component.followsApp())
			addUnitAndAlias(targets, component);
	}

	Plan plan;
	appendStep(plan, UnitFileChange::Enable, targets);
	appendStep(plan, JobType::Start, std::move(targets));
	return plan;
}

Plan planDisableApp(const App &app, const StatusQueries &status)
{
	std::vector<PlanTarget> files;
	std::vector<PlanTarget> stops;
	/* Reverse iterators rather than std::views::reverse, which clang 14 (the fuzzers'
	 * compiler) cannot compile with libstdc++ 12. */
	for (auto it = app.components.rbegin(); it != app.components.rend(); ++it) {
		const Component &component = *it;
		if (!component.followsApp())
			continue;
		if (component.kind == ComponentKind::SharedDaemon &&
		    status.isSharedWithOtherEnabledApp(app, component.unit))
			continue;

		addUnitAndAlias(files, component);
		addStopTargets(stops, component.unit, false, component.alias);
		if (!component.alias.empty())
			addStopTargets(stops, component.alias, true);
	}

	Plan plan;
	appendStep(plan, UnitFileChange::Disable, std::move(files));
	appendStep(plan, JobType::Stop, std::move(stops));
	return plan;
}

Plan planRepairApp(const App &app, const StatusQueries &status)
{
	Plan plan;
	if (!status.isAppEnabled(app))
		return plan;

	std::vector<PlanTarget> files;
	std::vector<PlanTarget> failed;
	std::vector<PlanTarget> starts;
	for (const Component &component : app.components) {
		if (!component.followsApp())
			continue;
		if (!status.isComponentEnabled(component))
			addUnitAndAlias(files, component);
		if (status.unitState(component.unit).activeState == "failed")
			addTarget(failed, component.unit, false);
		if (!component.alias.empty() &&
		    status.unitState(component.alias).activeState == "failed")
			addTarget(failed, component.alias, true);
		if (!status.isComponentRunning(component))
			addUnitAndAlias(starts, component);
	}

	appendStep(plan, UnitFileChange::Enable, std::move(files));
	appendStep(plan, UnitCall::ResetFailed, std::move(failed));
	appendStep(plan, JobType::Start, std::move(starts));
	return plan;
}

bool PlanOutcome::createdLinks() const
{
	return std::any_of(unitFileEdits.begin(), unitFileEdits.end(),
			   [](const UnitFileEdit &edit) { return edit.type == "symlink"; });
}

Plan planUnitVerb(UnitVerb verb, std::string_view unitName)
{
	const std::string unit(unitName);
	const std::optional<std::string> socketService = serviceOfSocket(unit);

	Plan plan;
	std::vector<PlanTarget> targets;
	switch (verb) {
	case UnitVerb::Start:
		appendStep(plan, JobType::Start, {{unit, false}});
		break;
	case UnitVerb::Stop:
		addStopTargets(targets, unit, false);
		appendStep(plan, JobType::Stop, std::move(targets));
		break;
	case UnitVerb::Restart:
	case UnitVerb::TryRestart:
		/*
		 * As the reference: the listening socket stays as it is and starts its service
		 * again on the next connection, with what changed since.
		 */
		if (socketService)
			appendStep(plan, JobType::Stop, {{*socketService, true}});
		else
			appendStep(plan,
				   verb == UnitVerb::Restart ? JobType::Restart
							     : JobType::TryRestart,
				   {{unit, false}});
		break;
	case UnitVerb::Reload:
	case UnitVerb::TryReloadOrRestart:
		/* A socket has nothing to reload; its service has. */
		appendStep(plan,
			   verb == UnitVerb::Reload ? JobType::Reload : JobType::TryReloadOrRestart,
			   {{socketService.value_or(unit), false}});
		break;
	case UnitVerb::Enable:
		appendStep(plan, UnitFileChange::Enable, {{unit, false}});
		appendStep(plan, JobType::Start, {{unit, false}});
		break;
	case UnitVerb::Disable:
		appendStep(plan, UnitFileChange::Disable, {{unit, false}});
		addStopTargets(targets, unit, false);
		appendStep(plan, JobType::Stop, std::move(targets));
		break;
	case UnitVerb::Mask:
		appendStep(plan, UnitFileChange::Mask, {{unit, false}});
		break;
	case UnitVerb::Unmask:
		appendStep(plan, UnitFileChange::Unmask, {{unit, false}});
		break;
	case UnitVerb::ResetFailed:
		appendStep(plan, UnitCall::ResetFailed, {{unit, false}});
		break;
	}
	return plan;
}

PlanDone errorOnly(std::function<void(std::exception_ptr error)> done)
{
	return [done = std::move(done)](std::exception_ptr error, const PlanOutcome &) {
		done(error);
	};
}

} /* namespace plinth */

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "plan.h"

#include <algorithm>
#include <array>
#include <utility>

#include "unit_name.h"

namespace plinth {

namespace {

constexpr std::array<VerbInfo, 13> kVerbs = {{
	{UnitVerb::Start, "start", VerbKind::Job, "StartUnit"},
	{UnitVerb::Stop, "stop", VerbKind::Job, "StopUnit"},
	{UnitVerb::Restart, "restart", VerbKind::Job, "RestartUnit"},
	{UnitVerb::TryRestart, "try-restart", VerbKind::Job, "TryRestartUnit"},
	{UnitVerb::Reload, "reload", VerbKind::Job, "ReloadUnit"},
	{UnitVerb::TryReloadOrRestart, "try-reload-or-restart", VerbKind::Job,
	 "ReloadOrTryRestartUnit"},
	{UnitVerb::Enable, "enable", VerbKind::UnitFiles, "EnableUnitFiles"},
	{UnitVerb::Disable, "disable", VerbKind::UnitFiles, "DisableUnitFiles"},
	{UnitVerb::Mask, "mask", VerbKind::UnitFiles, "MaskUnitFiles"},
	{UnitVerb::Unmask, "unmask", VerbKind::UnitFiles, "UnmaskUnitFiles"},
	{UnitVerb::ResetFailed, "reset-failed", VerbKind::Call, "ResetFailedUnit"},
	{UnitVerb::EnableRuntime, "enable --runtime", VerbKind::UnitFiles, "EnableUnitFiles", true},
	{UnitVerb::DisableRuntime, "disable --runtime", VerbKind::UnitFiles, "DisableUnitFiles",
	 true},
}};

constexpr bool inEnumOrder()
{
	for (std::size_t i = 0; i < kVerbs.size(); i++) {
		if (static_cast<std::size_t>(kVerbs[i].verb) != i)
			return false;
	}
	return true;
}
static_assert(inEnumOrder(), "verbInfo() indexes the table by the verb");

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

void appendStep(Plan &plan, UnitVerb verb, std::vector<PlanTarget> targets)
{
	if (!targets.empty())
		plan.push_back({verb, std::move(targets)});
}

} /* namespace */

const VerbInfo &verbInfo(UnitVerb verb)
{
	return kVerbs[static_cast<std::size_t>(verb)];
}

std::string_view unitVerbName(UnitVerb verb)
{
	return verbInfo(verb).name;
}

std::optional<UnitVerb> parseUnitVerb(std::string_view name)
{
	for (const VerbInfo &info : kVerbs) {
		if (info.name == name)
			return info.verb;
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
	appendStep(plan, UnitVerb::Enable, targets);
	appendStep(plan, UnitVerb::Start, std::move(targets));
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
	appendStep(plan, UnitVerb::Disable, std::move(files));
	appendStep(plan, UnitVerb::Stop, std::move(stops));
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

	appendStep(plan, UnitVerb::Enable, std::move(files));
	appendStep(plan, UnitVerb::ResetFailed, std::move(failed));
	appendStep(plan, UnitVerb::Start, std::move(starts));
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
		appendStep(plan, UnitVerb::Start, {{unit, false}});
		break;
	case UnitVerb::Stop:
		addStopTargets(targets, unit, false);
		appendStep(plan, UnitVerb::Stop, std::move(targets));
		break;
	case UnitVerb::Restart:
	case UnitVerb::TryRestart:
		/*
		 * As the reference: the listening socket stays as it is and starts its service
		 * again on the next connection, with what changed since.
		 */
		if (socketService)
			appendStep(plan, UnitVerb::Stop, {{*socketService, true}});
		else
			appendStep(plan, verb, {{unit, false}});
		break;
	case UnitVerb::Reload:
	case UnitVerb::TryReloadOrRestart:
		/* A socket has nothing to reload; its service has. */
		appendStep(plan, verb, {{socketService.value_or(unit), false}});
		break;
	case UnitVerb::Enable:
		appendStep(plan, UnitVerb::Enable, {{unit, false}});
		appendStep(plan, UnitVerb::Start, {{unit, false}});
		break;
	case UnitVerb::Disable:
		appendStep(plan, UnitVerb::Disable, {{unit, false}});
		addStopTargets(targets, unit, false);
		appendStep(plan, UnitVerb::Stop, std::move(targets));
		break;
	case UnitVerb::Mask:
	case UnitVerb::Unmask:
	case UnitVerb::ResetFailed:
	case UnitVerb::EnableRuntime:
	case UnitVerb::DisableRuntime:
		appendStep(plan, verb, {{unit, false}});
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

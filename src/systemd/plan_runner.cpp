/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "plan_runner.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <map>
#include <utility>

#include "await_callback.h"
#include "bus_call.h"
#include "plan_failures.h"
#include "unit_reader.h"

namespace plinth {

/* One step under way: its targets, each unit's outcome, what systemd changed. */
struct PlanRunner::Step {
	std::vector<PlanTarget> targets;
	std::map<std::string, std::exception_ptr> outcomes;
	Changes changes;
	/* A failure that belongs to the whole step (the manager's Reload). */
	std::exception_ptr stepError;

	void record(const std::vector<std::string> &units, const std::exception_ptr &error)
	{
		for (const std::string &unit : units)
			outcomes[unit] = error;
	}

	/* A best-effort unit's failure, or one whose other name worked, is only logged. */
	void judge(UnitVerb verb, PlanFailures &failures) const
	{
		for (const PlanTarget &target : targets) {
			const auto it = outcomes.find(target.unit);
			if (it == outcomes.end() || !it->second)
				continue;
			const auto other = outcomes.find(target.alternative);
			const bool otherWorked = other != outcomes.end() && !other->second;
			if (target.bestEffort || otherWorked)
				spdlog::warn("Ignoring the failure to {} {}{}: {}",
					     unitVerbName(verb), target.unit,
					     otherWorked ? " (done as " + target.alternative + ")"
							 : std::string(),
					     errorText(it->second));
			else
				failures.add(target.unit, it->second);
		}
		failures.add({}, stepError);
	}
};

namespace {

std::vector<std::string> unitsOf(const std::vector<PlanTarget> &targets, bool bestEffort)
{
	std::vector<std::string> units;
	for (const PlanTarget &target : targets) {
		if (target.bestEffort == bestEffort)
			units.push_back(target.unit);
	}
	return units;
}

/*
 * Whether the manager must reload to act on what changed. Measured on systemd 252 (the
 * sandbox's systemd --user, over D-Bus): EnableUnitFiles does not reload the manager, and
 * without a Reload a StartUnit right after it worked, through the new alias name too; a
 * `.wants`/`.requires` link only matters to a later transaction of its target. systemctl
 * enable reloads anyway, which costs a manager with 1000 unit files a read of every one of
 * them (docs/BENCHMARKS.md). A unit it holds loaded keeps the load state and the names it was
 * loaded with until a reload, so a mask, an unmask and an alias link that came or went still
 * reload it, as the loaded unit would otherwise go on as unmasked, masked or by its old names.
 */
bool needsReload(UnitVerb verb, const std::vector<std::string> &files)
{
	if (files.empty())
		return false;
	if (verb == UnitVerb::Mask || verb == UnitVerb::Unmask)
		return true;
	return std::any_of(files.begin(), files.end(), [](const std::string &file) {
		const std::string directory = file.substr(0, file.rfind('/'));
		for (const char *suffix : {".wants", ".requires", ".upholds"}) {
			if (directory.ends_with(suffix))
				return false;
		}
		return true;
	});
}

} /* namespace */

PlanRunner::PlanRunner(Manager &manager, UnitMirror &mirror, JobTracker &jobs)
	: manager_(manager), mirror_(mirror), jobs_(jobs)
{
}

Task<PlanReport> PlanRunner::run(Plan plan)
{
	/* Every name the plan was given or resolved to: their states are read at the end. */
	std::vector<std::string> names;
	for (PlanStep &step : plan) {
		for (const PlanTarget &target : step.targets)
			names.push_back(target.unit);
		step.targets = resolved(step.targets);
		for (const PlanTarget &target : step.targets)
			names.push_back(target.unit);
	}

	PlanFailures failures;
	PlanReport report;
	for (const PlanStep &planStep : plan) {
		Step step;
		step.targets = planStep.targets;
		co_await runStep(planStep.verb, step);
		step.judge(planStep.verb, failures);
		for (const auto &change : step.changes)
			report.outcome.unitFileEdits.push_back(
				{change.get<0>(), change.get<1>(), change.get<2>()});
	}

	/* The caller answers from the mirror next: it must already show the outcome. */
	co_await awaitCallback<void>([&](Resumer<void> resume) {
		mirror_.readActiveStates(names, [resume](std::exception_ptr) { resume(); });
	});
	report.error = failures.error();
	co_return report;
}

/*
 * Each name as the manager resolved it when the plan started, as systemctl acts on an alias:
 * disabling and then stopping the alias of a loaded unit acts on that unit throughout (once
 * the disable reloaded the manager, the alias name itself no longer loads). Names that come to
 * the same unit become one target.
 */
std::vector<PlanTarget> PlanRunner::resolved(const std::vector<PlanTarget> &targets) const
{
	std::vector<PlanTarget> result;
	for (const PlanTarget &target : targets) {
		PlanTarget primary = target;
		primary.unit = mirror_.cache().primaryName(target.unit);
		/*
		 * The alternative counts only as a unit of its own (the old name with a file of
		 * its own): resolving to this unit it is no other way, and resolving to another
		 * unit (whose Alias= owns the name) it would hide this unit's failure.
		 */
		if (mirror_.cache().primaryName(primary.alternative) != primary.alternative)
			primary.alternative.clear();

		const auto same = std::find_if(result.begin(), result.end(),
					       [&](auto &t) { return t.unit == primary.unit; });
		if (same == result.end()) {
			result.push_back(std::move(primary));
		} else {
			same->bestEffort = same->bestEffort && primary.bestEffort;
			if (same->alternative.empty())
				same->alternative = primary.alternative;
		}
	}
	return result;
}

Task<void> PlanRunner::runStep(UnitVerb verb, Step &step)
{
	std::vector<Task<void>> each;
	switch (verbInfo(verb).kind) {
	case VerbKind::UnitFiles:
		/* The aliases after their units: enabling a unit is what creates its alias link. */
		co_await changeUnitFiles(verb, unitsOf(step.targets, false), step);
		co_await changeUnitFiles(verb, unitsOf(step.targets, true), step);
		co_await readBack(verb, step);
		co_return;
	case VerbKind::Job:
		for (const PlanTarget &target : step.targets)
			each.push_back(runJob(verb, target.unit, step));
		break;
	case VerbKind::Call:
		for (const PlanTarget &target : step.targets)
			each.push_back(callForUnit(verb, target.unit, step));
		break;
	}
	co_await whenAll(std::move(each));
}

/* In one call; when systemd refuses it as a whole (one name has no file), unit by unit. */
Task<void> PlanRunner::changeUnitFiles(UnitVerb verb, std::vector<std::string> units, Step &step)
{
	if (units.empty())
		co_return;
	std::exception_ptr refused;
	try {
		Changes changes = co_await callUnitFiles(verb, units);
		step.changes.insert(step.changes.end(), changes.begin(), changes.end());
		step.record(units, nullptr);
		co_return;
	} catch (...) {
		refused = std::current_exception();
	}
	if (units.size() == 1) {
		step.record(units, refused);
		co_return;
	}

	spdlog::info("systemd refused to {} {} at once ({}); one at a time", unitVerbName(verb),
		     fmt::join(units, ", "), errorText(refused));
	for (const std::string &unit : units) {
		try {
			Changes changes =
				co_await callUnitFiles(verb, std::vector<std::string>(1, unit));
			step.changes.insert(step.changes.end(), changes.begin(), changes.end());
			step.record({unit}, nullptr);
		} catch (...) {
			step.record({unit}, std::current_exception());
		}
	}
}

Task<PlanRunner::Changes> PlanRunner::callUnitFiles(UnitVerb verb, std::vector<std::string> units)
{
	const VerbInfo &info = verbInfo(verb);
	sdbus::MethodCall call = manager_.proxy().createMethodCall(systemd::kManagerInterface,
								   std::string(info.method));
	/*
	 * Runtime only where the verb says so; else the change lasts. Never forced, as systemctl:
	 * a link another unit owns stays that unit's, and the conflict is this unit's error.
	 */
	const bool enables = verb == UnitVerb::Enable || verb == UnitVerb::EnableRuntime;
	if (enables || verb == UnitVerb::Mask)
		call << units << info.runtime << false;
	else
		call << units << info.runtime;

	mirror_.ownUnitFileCallStarted();
	Changes changes;
	try {
		sdbus::MethodReply reply =
			co_await awaitReply(manager_.proxy(), call, manager_.callTimeout());
		/* EnableUnitFiles says first whether the units had [Install] sections. */
		if (enables) {
			bool carriesInstallInfo;
			reply >> carriesInstallInfo;
		}
		reply >> changes;
	} catch (const sdbus::Error &e) {
		mirror_.ownUnitFileCallEnded(false);
		std::rethrow_exception(manager_.callError(
			e, fmt::format("{} {}", unitVerbName(verb), fmt::join(units, ", "))));
	}
	mirror_.ownUnitFileCallEnded(!changes.empty());
	co_return changes;
}

Task<void> PlanRunner::readBack(UnitVerb verb, Step &step)
{
	std::vector<std::string> files;
	std::vector<std::string> touched;
	for (const auto &change : step.changes) {
		files.push_back(change.get<1>());
		touched.push_back(unitOfFile(change.get<1>()));
	}
	for (const PlanTarget &target : step.targets)
		touched.push_back(target.unit);

	const bool reload = needsReload(verb, files);
	if (reload) {
		sdbus::MethodCall call =
			manager_.proxy().createMethodCall(systemd::kManagerInterface, "Reload");
		try {
			co_await awaitReply(manager_.proxy(), call, manager_.callTimeout());
		} catch (const sdbus::Error &e) {
			step.stepError = manager_.callError(e, "reload systemd's configuration");
		}
	}
	try {
		co_await awaitCompletion(
			[&](Completion done) { mirror_.readTouched(touched, reload, done); });
	} catch (...) {
		spdlog::warn("Some unit states are unknown: {}",
			     errorText(std::current_exception()));
	}
}

Task<void> PlanRunner::runJob(UnitVerb verb, std::string unit, Step &step)
{
	try {
		co_await awaitCompletion([&](Completion done) { jobs_.start(verb, unit, done); });
		step.record({unit}, nullptr);
	} catch (...) {
		step.record({unit}, std::current_exception());
	}
}

/* A call that acts at once and makes no job (ResetFailedUnit). */
Task<void> PlanRunner::callForUnit(UnitVerb verb, std::string unit, Step &step)
{
	sdbus::MethodCall call = manager_.proxy().createMethodCall(
		systemd::kManagerInterface, std::string(verbInfo(verb).method));
	call << unit;
	try {
		co_await awaitReply(manager_.proxy(), call, manager_.callTimeout());
		step.record({unit}, nullptr);
	} catch (const sdbus::Error &e) {
		step.record({unit},
			    manager_.callError(e, fmt::format("{} {}", unitVerbName(verb), unit)));
	}
}

} /* namespace plinth */

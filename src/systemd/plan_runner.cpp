/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "plan_runner.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <utility>

#include "gather.h"
#include "plan_failures.h"
#include "unit_reader.h"

namespace plinth {

/* A plan under way: the step to run next and what failed so far. */
struct PlanRunner::Run {
	/* Its targets resolved when it started, as systemctl resolves a name when called. */
	Plan plan;
	/* Every name the plan was given or resolved to: their states are read at the end. */
	std::vector<std::string> names;
	std::size_t next = 0;
	PlanFailures failures;
	PlanOutcome outcome;
	PlanDone done;
};

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
	void judge(const std::string &action, PlanFailures &failures) const
	{
		for (const PlanTarget &target : targets) {
			const auto it = outcomes.find(target.unit);
			if (it == outcomes.end() || !it->second)
				continue;
			const auto other = outcomes.find(target.alternative);
			const bool otherWorked = other != outcomes.end() && !other->second;
			if (target.bestEffort || otherWorked)
				spdlog::warn("Ignoring the failure to {} {}{}: {}", action,
					     target.unit,
					     otherWorked ? " (done as " + target.alternative + ")"
							 : std::string(),
					     errorText(it->second));
			else
				failures.add(it->second);
		}
		failures.add(stepError);
	}
};

namespace {

std::string unitFileMethod(UnitFileChange change)
{
	switch (change) {
	case UnitFileChange::Enable:
	case UnitFileChange::RuntimeEnable:
		return "EnableUnitFiles";
	case UnitFileChange::Disable:
	case UnitFileChange::RuntimeDisable:
		return "DisableUnitFiles";
	case UnitFileChange::Mask:
		return "MaskUnitFiles";
	case UnitFileChange::Unmask:
		return "UnmaskUnitFiles";
	}
	return {};
}

std::string actionName(const PlanStep &step)
{
	return std::visit(
		[](auto action) {
			using Action = decltype(action);
			if constexpr (std::is_same_v<Action, UnitFileChange>)
				return std::string(unitFileChangeName(action));
			else if constexpr (std::is_same_v<Action, JobType>)
				return std::string(jobTypeName(action));
			else
				return std::string(unitCallName(action));
		},
		step.action);
}

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
bool needsReload(UnitFileChange change, const std::vector<std::string> &files)
{
	if (files.empty())
		return false;
	if (change == UnitFileChange::Mask || change == UnitFileChange::Unmask)
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

void PlanRunner::run(const Plan &plan, PlanDone done)
{
	auto run = std::make_shared<Run>();
	run->plan = plan;
	for (PlanStep &step : run->plan) {
		for (const PlanTarget &target : step.targets)
			run->names.push_back(target.unit);
		step.targets = resolved(step.targets);
		for (const PlanTarget &target : step.targets)
			run->names.push_back(target.unit);
	}
	run->done = std::move(done);
	runNextStep(std::move(run));
}

void PlanRunner::runNextStep(std::shared_ptr<Run> run)
{
	if (run->next == run->plan.size()) {
		/* The caller answers from the mirror next: it must already show the outcome. */
		mirror_.readActiveStates(run->names, [run](std::exception_ptr) {
			run->done(run->failures.error(), run->outcome);
		});
		return;
	}

	const PlanStep &planStep = run->plan[run->next++];
	auto step = std::make_shared<Step>();
	step->targets = planStep.targets;
	Completion stepDone = [this, run, step, action = actionName(planStep)](std::exception_ptr) {
		step->judge(action, run->failures);
		for (const auto &change : step->changes)
			run->outcome.unitFileEdits.push_back(
				{change.get<0>(), change.get<1>(), change.get<2>()});
		runNextStep(run);
	};

	if (const auto *change = std::get_if<UnitFileChange>(&planStep.action))
		runUnitFileStep(*change, step, std::move(stepDone));
	else if (const auto *call = std::get_if<UnitCall>(&planStep.action))
		runUnitCallStep(*call, step, std::move(stepDone));
	else
		runJobStep(std::get<JobType>(planStep.action), step, std::move(stepDone));
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

void PlanRunner::runUnitFileStep(UnitFileChange change, std::shared_ptr<Step> step, Completion done)
{
	/* The aliases after their units: enabling a unit is what creates its alias link. */
	changeUnitFiles(change, unitsOf(step->targets, false), step,
			[this, change, step, done](std::exception_ptr) {
				changeUnitFiles(change, unitsOf(step->targets, true), step,
						[this, change, step, done](std::exception_ptr) {
							readBack(change, step, done);
						});
			});
}

/* In one call; when systemd refuses it as a whole (one name has no file), unit by unit. */
void PlanRunner::changeUnitFiles(UnitFileChange change, std::vector<std::string> units,
				 std::shared_ptr<Step> step, Completion done)
{
	if (units.empty()) {
		done(nullptr);
		return;
	}
	callUnitFiles(change, units,
		      [this, change, units, step, done](std::exception_ptr error, Changes changes) {
			      if (!error || units.size() == 1) {
				      step->record(units, error);
				      step->changes.insert(step->changes.end(), changes.begin(),
							   changes.end());
				      done(nullptr);
				      return;
			      }
			      spdlog::info("systemd refused to {} {} at once ({}); one at a time",
					   unitFileChangeName(change), fmt::join(units, ", "),
					   errorText(error));
			      changeEachInTurn(change, units, 0, step, done);
		      });
}

void PlanRunner::changeEachInTurn(UnitFileChange change, std::vector<std::string> units,
				  std::size_t next, std::shared_ptr<Step> step, Completion done)
{
	if (next == units.size()) {
		done(nullptr);
		return;
	}
	const std::string unit = units[next];
	callUnitFiles(
		change, {unit},
		[this, change, units, next, step, done](std::exception_ptr error, Changes changes) {
			step->record({units[next]}, error);
			step->changes.insert(step->changes.end(), changes.begin(), changes.end());
			changeEachInTurn(change, units, next + 1, step, done);
		});
}

void PlanRunner::callUnitFiles(UnitFileChange change, const std::vector<std::string> &units,
			       ChangesReply reply)
{
	/* sdbus-c++ 1.2's invoker keeps a reference to the method name: it must outlive it. */
	const std::string method = unitFileMethod(change);
	sdbus::AsyncMethodInvoker call(manager_.proxy(), method);
	call.onInterface(systemd::kManagerInterface).withTimeout(manager_.callTimeout());
	/*
	 * Runtime only where the change says so; else the change lasts. Never forced, as
	 * systemctl: a link another unit owns stays that unit's, and the conflict is this unit's
	 * error.
	 */
	const bool runtime =
		change == UnitFileChange::RuntimeEnable || change == UnitFileChange::RuntimeDisable;
	const bool enables =
		change == UnitFileChange::Enable || change == UnitFileChange::RuntimeEnable;
	if (enables || change == UnitFileChange::Mask)
		call.withArguments(units, runtime, false);
	else
		call.withArguments(units, runtime);

	mirror_.ownUnitFileCallStarted();
	const std::string what =
		fmt::format("{} {}", unitFileChangeName(change), fmt::join(units, ", "));
	auto answered = [this, what, reply](const sdbus::Error *e, const Changes &changes) {
		mirror_.ownUnitFileCallEnded(!e && !changes.empty());
		reply(e ? manager_.callError(*e, what) : nullptr, e ? Changes() : changes);
	};
	if (enables)
		call.uponReplyInvoke([answered](const sdbus::Error *e, bool,
						const Changes &changes) { answered(e, changes); });
	else
		call.uponReplyInvoke(answered);
}

void PlanRunner::readBack(UnitFileChange change, std::shared_ptr<Step> step, Completion done)
{
	std::vector<std::string> files;
	std::vector<std::string> touched;
	for (const auto &change : step->changes) {
		files.push_back(change.get<1>());
		touched.push_back(unitOfFile(change.get<1>()));
	}
	for (const PlanTarget &target : step->targets)
		touched.push_back(target.unit);

	const bool reload = needsReload(change, files);
	auto read = [this, touched, reload, done](std::exception_ptr) {
		mirror_.readTouched(touched, reload, [done](std::exception_ptr error) {
			if (error)
				spdlog::warn("Some unit states are unknown: {}", errorText(error));
			done(nullptr);
		});
	};
	if (reload)
		reloadManager(step, std::move(read));
	else
		read(nullptr);
}

void PlanRunner::reloadManager(std::shared_ptr<Step> step, Completion done)
{
	manager_.proxy()
		.callMethodAsync("Reload")
		.onInterface(systemd::kManagerInterface)
		.withTimeout(manager_.callTimeout())
		.uponReplyInvoke([this, step, done](const sdbus::Error *e) {
			if (e)
				step->stepError =
					manager_.callError(*e, "reload systemd's configuration");
			done(nullptr);
		});
}

void PlanRunner::runJobStep(JobType type, std::shared_ptr<Step> step, Completion done)
{
	auto gather = Gather::create(std::move(done));
	for (const PlanTarget &target : step->targets) {
		jobs_.start(
			type, target.unit,
			[step, unit = target.unit, part = gather->part()](std::exception_ptr e) {
				step->record({unit}, e);
				part(nullptr);
			});
	}
	gather->arm();
}

void PlanRunner::runUnitCallStep(UnitCall call, std::shared_ptr<Step> step, Completion done)
{
	auto gather = Gather::create(std::move(done));
	for (const PlanTarget &target : step->targets) {
		const std::string what = fmt::format("{} {}", unitCallName(call), target.unit);
		/* ResetFailedUnit is the only call so far; it acts at once and makes no job. */
		manager_.proxy()
			.callMethodAsync("ResetFailedUnit")
			.onInterface(systemd::kManagerInterface)
			.withArguments(target.unit)
			.withTimeout(manager_.callTimeout())
			.uponReplyInvoke([this, step, what, unit = target.unit,
					  part = gather->part()](const sdbus::Error *e) {
				step->record({unit}, e ? manager_.callError(*e, what) : nullptr);
				part(nullptr);
			});
	}
	gather->arm();
}

} /* namespace plinth */

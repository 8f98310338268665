/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <exception>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app.h"
#include "status.h"

namespace plinth {

/* The verbs of the unit methods (StartUnit, ..., UnmaskUnit), and the actions of plans. */
enum class UnitVerb {
	Start,
	Stop,
	Restart,
	TryRestart,
	Reload,
	TryReloadOrRestart,
	Enable,
	Disable,
	Mask,
	Unmask,
	ResetFailed,
	/* Links under /run only, which the next boot drops: a lease's enable. No unit method. */
	EnableRuntime,
	/* Removes only the links under /run: an enable for good stays. No unit method. */
	DisableRuntime,
};

/* How systemd does a verb. */
enum class VerbKind {
	/* A change to unit files, batched; a reload of the manager follows only where needed. */
	UnitFiles,
	/* A job; those of one step may run in parallel. */
	Job,
	/* A call on the manager that acts at once, without a job. */
	Call,
};

/* One row of the verb table. */
struct VerbInfo {
	UnitVerb verb;
	/* The name polkit rules see as the `verb` detail, and the logs: try-reload-or-restart. */
	std::string_view name;
	VerbKind kind;
	/* The method of systemd's manager that does it for a unit. */
	std::string_view method;
	/* A unit-file change under /run only. */
	bool runtime = false;
};

const VerbInfo &verbInfo(UnitVerb verb);
std::string_view unitVerbName(UnitVerb verb);
std::optional<UnitVerb> parseUnitVerb(std::string_view name);

struct PlanTarget {
	std::string unit;
	/* An alias: its failure is logged, never reported (the reference does the same). */
	bool bestEffort = false;
	/*
	 * Another name of the same daemon (its alias), a target of the same step: when the action
	 * worked on that name, this one's failure is only logged. Where only the old name has a
	 * unit file, the daemon is managed through it.
	 */
	std::string alternative = {};

	bool operator==(const PlanTarget &) const = default;
};

/* One action on several units, done as one batch; steps run strictly one after another. */
struct PlanStep {
	UnitVerb verb;
	std::vector<PlanTarget> targets;

	bool operator==(const PlanStep &) const = default;
};

using Plan = std::vector<PlanStep>;

/* One change systemd reported making to the unit files, an entry of its `changes` array. */
struct UnitFileEdit {
	/* "symlink" for a link systemd created, "unlink" for one it removed, ... */
	std::string type;
	std::string file;
	/* What a link points to. */
	std::string destination;

	bool operator==(const UnitFileEdit &) const = default;
};

/* What a plan changed on disk, as systemd reported it: all of it and nothing else. */
struct PlanOutcome {
	std::vector<UnitFileEdit> unitFileEdits;

	/* An enable that found every link in place created none. */
	bool createdLinks() const;
};

/* A plan ran: error is nullptr or names what failed; outcome holds what changed either way. */
using PlanDone = std::function<void(std::exception_ptr error, const PlanOutcome &outcome)>;

/* For a caller whose answer is only whether the plan worked. */
PlanDone errorOnly(std::function<void(std::exception_ptr error)> done);

/* Enable every Daemon and SharedDaemon unit file (alias too) in order, then start them. */
Plan planEnableApp(const App &app);

/*
 * Disable and then stop the app's Daemons and SharedDaemons in reverse order, keeping any
 * SharedDaemon that another enabled app still has, and stopping a socket's service with it.
 */
Plan planDisableApp(const App &app, const StatusQueries &status);

/*
 * What RepairApp does for an enabled app, in EnableApp's bounds (its Daemons and
 * SharedDaemons, aliases best effort): enable the unit files that are not, reset the failed
 * units, start what does not run. Nothing for a disabled app, whose units are left alone.
 */
Plan planRepairApp(const App &app, const StatusQueries &status);

/* What one unit method does, socket-unit rules applied. */
Plan planUnitVerb(UnitVerb verb, std::string_view unit);

} /* namespace plinth */

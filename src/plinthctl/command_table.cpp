/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "command_table.h"

#include <array>

namespace plinth {

namespace {

constexpr std::array kCommands = {
	CommandSpec{"list", "", "List the apps with their states", 0, 0},
	CommandSpec{"status", "[APP|UNIT...]",
		    "Show apps and the states of their units, or a unit's status", 0, kAnyNumber},
	CommandSpec{"show", "APP", "Show an app's components and ports", 1, 1},
	CommandSpec{"enable", "APP...", "Enable and start an app's daemons", 1, kAnyNumber},
	CommandSpec{"disable", "APP...", "Disable and stop an app's daemons", 1, kAnyNumber},
	CommandSpec{"diagnose", "[APP...|--all]", "Check that apps' daemons run and listen", 0,
		    kAnyNumber},
	CommandSpec{"repair", "APP...",
		    "Reset failed daemons of enabled apps, start them, diagnose again", 1,
		    kAnyNumber},
	CommandSpec{"health", "[APP...]",
		    "Show apps' health; exit 0 if none is failed or degraded, 3 if one is", 0,
		    kAnyNumber},
	CommandSpec{"ignore", "APP CHECK", "Stop counting a check against an app's health", 2, 2},
	CommandSpec{"unignore", "APP CHECK", "Count an ignored check again", 2, 2},
	CommandSpec{"logs", "APP|UNIT", "Show the journal lines of an app or unit", 1, 1},
	CommandSpec{"units", "", "List the units the apps declare", 0, 0},
	CommandSpec{"start", "UNIT...", "Start units", 1, kAnyNumber},
	CommandSpec{"stop", "UNIT...", "Stop units", 1, kAnyNumber},
	CommandSpec{"restart", "UNIT...", "Restart units", 1, kAnyNumber},
	CommandSpec{"try-restart", "UNIT...", "Restart units that run", 1, kAnyNumber},
	CommandSpec{"reload", "[UNIT...]",
		    "Reload units; without a unit, re-read the app definitions", 0, kAnyNumber},
	CommandSpec{"try-reload-or-restart", "UNIT...",
		    "Reload units that run, or restart them if they cannot reload", 1, kAnyNumber},
	CommandSpec{"enable-unit", "UNIT...", "Enable and start units", 1, kAnyNumber},
	CommandSpec{"disable-unit", "UNIT...", "Disable and stop units", 1, kAnyNumber},
	CommandSpec{"mask", "UNIT...", "Mask units", 1, kAnyNumber},
	CommandSpec{"unmask", "UNIT...", "Unmask units", 1, kAnyNumber},
	CommandSpec{"reset-failed", "UNIT...", "Reset units' failed state", 1, kAnyNumber},
	CommandSpec{"ensure-running", "UNIT -- COMMAND...",
		    "Run a command while the unit is held running", 2, kAnyNumber},
	CommandSpec{"is-enabled", "APP|UNIT...", "Exit 0 if every one is enabled, 3 if not", 1,
		    kAnyNumber},
	CommandSpec{"is-running", "APP|UNIT...", "Exit 0 if every one runs, 3 if not", 1,
		    kAnyNumber},
	CommandSpec{"watch", "", "Print app and unit state changes as they happen", 0, 0},
	CommandSpec{"version", "", "Show the versions of plinthctl and the service", 0, 0},
	CommandSpec{"__complete", "commands|apps|units", "", 1, 1, true},
};

} /* namespace */

std::span<const CommandSpec> commandSpecs()
{
	return kCommands;
}

const CommandSpec *findCommand(std::string_view name)
{
	for (const CommandSpec &spec : kCommands) {
		if (spec.name == name)
			return &spec;
	}
	return nullptr;
}

} /* namespace plinth */

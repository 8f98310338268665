/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <array>
#include <ostream>
#include <utility>

#include "commands.h"
#include "exit_code.h"
#include "lookup.h"
#include "progress_line.h"
#include "unit_name.h"
#include "unit_output.h"

namespace plinth {

namespace {

using UnitMethod = void (org::freedesktop::Plinth::Daemons_proxy::*)(const std::string &);

constexpr std::array<std::pair<std::string_view, UnitMethod>, 11> kUnitMethods = {{
	{"start", &org::freedesktop::Plinth::Daemons_proxy::StartUnit},
	{"stop", &org::freedesktop::Plinth::Daemons_proxy::StopUnit},
	{"restart", &org::freedesktop::Plinth::Daemons_proxy::RestartUnit},
	{"try-restart", &org::freedesktop::Plinth::Daemons_proxy::TryRestartUnit},
	{"reload", &org::freedesktop::Plinth::Daemons_proxy::ReloadUnit},
	{"try-reload-or-restart", &org::freedesktop::Plinth::Daemons_proxy::TryReloadOrRestartUnit},
	{"enable-unit", &org::freedesktop::Plinth::Daemons_proxy::EnableUnit},
	{"disable-unit", &org::freedesktop::Plinth::Daemons_proxy::DisableUnit},
	{"mask", &org::freedesktop::Plinth::Daemons_proxy::MaskUnit},
	{"unmask", &org::freedesktop::Plinth::Daemons_proxy::UnmaskUnit},
	{"reset-failed", &org::freedesktop::Plinth::Daemons_proxy::ResetFailedUnit},
}};

} /* namespace */

int runUnits(CommandContext &context)
{
	const std::vector<ManagedUnit> units = context.service.managedUnits();
	if (context.invocation.json)
		context.out << managedUnitsJson(units) << "\n";
	else
		context.out << managedUnitsText(units, context.style);
	return ExitSuccess;
}

/* Like systemctl, silent on success; with --json, each unit's state afterwards. */
int runUnitVerb(CommandContext &context)
{
	const UnitMethod method = lookup(kUnitMethods, context.invocation.command, UnitMethod{});
	std::vector<UnitState> states;
	for (const std::string &name : context.invocation.arguments) {
		/*
		 * The service takes "ssh" as "ssh.service", as systemctl does, and explains a
		 * name it refuses as written; the output names the unit meant.
		 */
		const std::string unit = mangleUnitName(name);
		{
			ProgressLine progress(context.invocation.command + " " + unit + "...",
					      context.interactive);
			(context.service.*method)(name);
		}
		states.push_back(context.service.unitState(unit));
	}
	if (context.invocation.json)
		context.out << unitStatesJson(states) << "\n";
	return ExitSuccess;
}

} /* namespace plinth */

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <array>
#include <utility>

#include "commands.h"
#include "lookup.h"

namespace plinth {

namespace {

constexpr std::array<std::pair<std::string_view, CommandHandler>, 29> kHandlers = {{
	{"list", runList},
	{"status", runStatus},
	{"show", runShow},
	{"enable", runEnable},
	{"disable", runDisable},
	{"diagnose", runDiagnose},
	{"repair", runRepair},
	{"health", runHealth},
	{"ignore", runIgnore},
	{"unignore", runUnignore},
	{"logs", runLogs},
	{"units", runUnits},
	{"start", runUnitVerb},
	{"stop", runUnitVerb},
	{"restart", runUnitVerb},
	{"try-restart", runUnitVerb},
	{"reload", runReload},
	{"try-reload-or-restart", runUnitVerb},
	{"enable-unit", runUnitVerb},
	{"disable-unit", runUnitVerb},
	{"mask", runUnitVerb},
	{"unmask", runUnitVerb},
	{"reset-failed", runUnitVerb},
	{"ensure-running", runEnsureRunning},
	{"is-enabled", runIsEnabled},
	{"is-running", runIsRunning},
	{"watch", runWatch},
	{"version", runVersion},
	{"__complete", runComplete},
}};

} /* namespace */

CommandHandler handlerFor(std::string_view command)
{
	return lookup(kHandlers, command, CommandHandler{nullptr});
}

} /* namespace plinth */

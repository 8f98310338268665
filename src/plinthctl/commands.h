/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <iosfwd>

#include <sdbus-c++/IConnection.h>

#include "arguments.h"
#include "service_proxy.h"
#include "style.h"

namespace plinth {

/* What every command runs with; each returns plinthctl's exit status. */
struct CommandContext {
	const Invocation &invocation;
	sdbus::IConnection &connection;
	ServiceProxy &service;
	const Style &style;
	/* Whether a person watches stderr, for the progress line. */
	bool interactive;
	std::ostream &out;
};

using CommandHandler = int (*)(CommandContext &context);

/* The handler of a command of the table; nullptr for none. */
CommandHandler handlerFor(std::string_view command);

/* app_commands.cpp */
/* The apps named, or every app when none is, as systemctl status lists every unit. */
std::vector<std::string> appsNamedOrAll(CommandContext &context);
int runList(CommandContext &context);
int runStatus(CommandContext &context);
int runShow(CommandContext &context);
int runEnable(CommandContext &context);
int runDisable(CommandContext &context);

/* log_commands.cpp */
int runLogs(CommandContext &context);
int runRepair(CommandContext &context);
int runUnitStatus(CommandContext &context, const std::string &unit);

/* unit_commands.cpp */
int runUnits(CommandContext &context);
int runUnitVerb(CommandContext &context);

/* ensure_running_command.cpp */
int runEnsureRunning(CommandContext &context);

/* state_commands.cpp */
int runIsEnabled(CommandContext &context);
int runIsRunning(CommandContext &context);

/* diagnose_command.cpp */
int runDiagnose(CommandContext &context);
/* The checks as diagnose prints them; ExitFailure unless every one passed. */
int printDiagnosis(CommandContext &context, const std::vector<AppDiagnosis> &apps);

/* health_commands.cpp */
int runHealth(CommandContext &context);
int runIgnore(CommandContext &context);
int runUnignore(CommandContext &context);

/* watch_command.cpp */
int runWatch(CommandContext &context);

/* service_commands.cpp */
int runReload(CommandContext &context);
int runVersion(CommandContext &context);
int runComplete(CommandContext &context);

} /* namespace plinth */

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <algorithm>
#include <ostream>

#include "commands.h"
#include "exit_code.h"
#include "health_output.h"
#include "terminal_text.h"

namespace plinth {

namespace {

int setIgnored(CommandContext &context, bool ignored)
{
	const std::string &app = context.invocation.arguments[0];
	const std::string &check = context.invocation.arguments[1];
	if (ignored)
		context.service.IgnoreCheck(app, check);
	else
		context.service.UnignoreCheck(app, check);
	if (!context.invocation.json)
		context.out << "Check " << terminalLine(check) << " of app " << terminalLine(app)
			    << (ignored ? " is ignored.\n" : " counts again.\n");
	return ExitSuccess;
}

} /* namespace */

int runHealth(CommandContext &context)
{
	std::vector<AppHealthInfo> apps;
	for (const std::string &id : appsNamedOrAll(context))
		apps.push_back(context.service.health(id));
	if (context.invocation.json)
		context.out << healthJson(apps) << "\n";
	else
		context.out << healthText(apps, context.style);
	const bool attention = std::any_of(apps.begin(), apps.end(), [](const AppHealthInfo &app) {
		return needsAttention(app);
	});
	return attention ? ExitNotInState : ExitSuccess;
}

int runIgnore(CommandContext &context)
{
	return setIgnored(context, true);
}

int runUnignore(CommandContext &context)
{
	return setIgnored(context, false);
}

} /* namespace plinth */

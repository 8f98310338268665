/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <ostream>

#include "app_or_unit.h"
#include "app_output.h"
#include "commands.h"
#include "exit_code.h"
#include "progress_line.h"

namespace plinth {

namespace {

std::vector<AppDetails> detailsOf(CommandContext &context, const std::vector<std::string> &ids,
				  bool withUnitStates)
{
	std::vector<AppDetails> apps;
	for (const std::string &id : ids) {
		AppDetails details{context.service.app(id), context.service.components(id), {}, {}};
		if (withUnitStates) {
			details.health = context.service.health(id);
			for (const ComponentInfo &component : details.components)
				details.unitStates.push_back(
					context.service.unitState(component.unit));
		}
		apps.push_back(std::move(details));
	}
	return apps;
}

void printApps(CommandContext &context, const std::vector<AppState> &apps)
{
	if (context.invocation.json)
		context.out << appListJson(apps) << "\n";
	else
		context.out << appListText(apps, context.style);
}

/* enable and disable: one app after the other, then their states as list shows them. */
template<typename Action>
int changeApps(CommandContext &context, const char *doing, Action action)
{
	std::vector<AppState> states;
	for (const std::string &id : context.invocation.arguments) {
		{
			ProgressLine progress(std::string(doing) + " " + id + "...",
					      context.interactive);
			action(id);
		}
		states.push_back(context.service.app(id));
	}
	printApps(context, states);
	return ExitSuccess;
}

} /* namespace */

/* Every app when none is named, as systemctl status lists every unit. */
std::vector<std::string> appsNamedOrAll(CommandContext &context)
{
	if (!context.invocation.arguments.empty())
		return context.invocation.arguments;
	std::vector<std::string> ids;
	for (const AppState &app : context.service.apps())
		ids.push_back(app.id);
	return ids;
}

int runList(CommandContext &context)
{
	printApps(context, context.service.apps());
	return ExitSuccess;
}

int runStatus(CommandContext &context)
{
	const std::vector<std::string> &names = context.invocation.arguments;
	std::vector<AppDetails> apps;
	if (names.size() == 1) {
		bool unit = false;
		apps = askAppOrUnit(
			context.service, names.front(), unit,
			[&](const std::string &app) { return detailsOf(context, {app}, true); },
			[](const std::string &) { return std::vector<AppDetails>(); });
		if (unit)
			return runUnitStatus(context, names.front());
	} else {
		apps = detailsOf(context, appsNamedOrAll(context), true);
	}
	if (context.invocation.json)
		context.out << appDetailsJson(apps) << "\n";
	else
		context.out << appDetailsText(apps, context.style);
	return ExitSuccess;
}

int runShow(CommandContext &context)
{
	const std::vector<AppDetails> apps =
		detailsOf(context, context.invocation.arguments, false);
	if (context.invocation.json)
		context.out << appJson(apps.front()) << "\n";
	else
		context.out << appDetailsText(apps, context.style);
	return ExitSuccess;
}

int runEnable(CommandContext &context)
{
	return changeApps(context, "Enabling",
			  [&](const std::string &id) { context.service.EnableApp(id); });
}

int runDisable(CommandContext &context)
{
	return changeApps(context, "Disabling",
			  [&](const std::string &id) { context.service.DisableApp(id); });
}

} /* namespace plinth */

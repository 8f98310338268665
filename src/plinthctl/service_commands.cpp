/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <ostream>

#include "app_output.h"
#include "commands.h"
#include "config.h"
#include "exit_code.h"
#include "json_writer.h"

namespace plinth {

/* Without a unit, the service re-reads the app definitions; with units, they reload. */
int runReload(CommandContext &context)
{
	if (!context.invocation.arguments.empty())
		return runUnitVerb(context);

	context.service.Reload();
	const std::vector<AppState> apps = context.service.apps();
	if (context.invocation.json)
		context.out << appListJson(apps) << "\n";
	else
		context.out << appListText(apps, context.style);
	return ExitSuccess;
}

int runVersion(CommandContext &context)
{
	const std::string service = context.service.Version();
	if (context.invocation.json) {
		JsonWriter json;
		json.beginObject();
		json.key("plinthctl").value(PLINTH_VERSION);
		json.key("service").value(service);
		json.endObject();
		context.out << json.str() << "\n";
	} else {
		context.out << "plinthctl " PLINTH_VERSION "\n"
			    << "plinth-daemons " << service << "\n";
	}
	return ExitSuccess;
}

/*
 * For the shell completion: the service's app ids or units, one a line, with no error when the
 * service is not there. main() answers "commands" without a bus.
 */
int runComplete(CommandContext &context)
{
	const std::string &what = context.invocation.arguments.front();
	try {
		if (what == "apps") {
			for (const AppState &app : context.service.apps())
				context.out << app.id << "\n";
		} else if (what == "units") {
			for (const auto &managed : context.service.ListManagedUnits())
				context.out << managed.get<0>() << "\n";
		} else {
			return ExitUsage;
		}
	} catch (const sdbus::Error &) {
		return ExitFailure;
	}
	return ExitSuccess;
}

} /* namespace plinth */

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <ostream>

#include "commands.h"
#include "exit_code.h"
#include "watch_output.h"

namespace plinth {

/* Runs until interrupted; every line is flushed at once so a pipe sees it as it happens. */
int runWatch(CommandContext &context)
{
	const bool json = context.invocation.json;
	std::ostream &out = context.out;
	const Style &style = context.style;

	context.service.watch({
		.appStateChanged =
			[&](const std::string &app, bool enabled, bool running) {
				out << appStateChangedLine(app, enabled, running, json, style)
				    << std::flush;
			},
		.unitStateChanged =
			[&](const std::string &unit, const std::string &activeState,
			    const std::string &subState) {
				out << unitStateChangedLine(unit, activeState, subState, json,
							    style)
				    << std::flush;
			},
		.appsReloaded = [&] { out << appsReloadedLine(json) << std::flush; },
	});
	context.connection.enterEventLoop();
	return ExitSuccess;
}

} /* namespace plinth */

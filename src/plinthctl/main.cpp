/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <libintl.h>
#include <unistd.h>

#include <clocale>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <optional>

#include "arguments.h"
#include "bus_connection.h"
#include "command_table.h"
#include "commands.h"
#include "config.h"
#include "exit_code.h"
#include "polkit_agent.h"
#include "service_proxy.h"
#include "style.h"
#include "terminal_text.h"

namespace {

int run(const plinth::Invocation &invocation)
{
	const plinth::Style style(plinth::Style::wantsColour(
		isatty(STDOUT_FILENO), std::getenv("NO_COLOR"), std::getenv("TERM")));

	std::unique_ptr<sdbus::IConnection> connection = plinth::connectTo(invocation.bus);
	plinth::ServiceProxy service(*connection);

	/* Only a person at a terminal can answer a password prompt; an agent asks it locally. */
	std::optional<plinth::PolkitAgent> agent;
	if (invocation.askPassword && isatty(STDIN_FILENO)) {
		service.allowInteractiveAuthorization();
		if (invocation.bus.type != plinth::BusTarget::Type::Host)
			agent.emplace();
	}

	plinth::CommandContext context{
		.invocation = invocation,
		.connection = *connection,
		.service = service,
		.style = style,
		.interactive = isatty(STDERR_FILENO) && !invocation.json,
		.out = std::cout,
	};
	return plinth::handlerFor(invocation.command)(context);
}

} /* namespace */

int main(int argc, char *argv[])
{
	std::setlocale(LC_ALL, "");
	bindtextdomain(PLINTH_GETTEXT_PACKAGE, PLINTH_LOCALEDIR);
	bind_textdomain_codeset(PLINTH_GETTEXT_PACKAGE, "UTF-8");

	plinth::Invocation invocation;
	try {
		invocation =
			plinth::parseArguments(std::vector<std::string>(argv + 1, argv + argc));
	} catch (const plinth::UsageError &e) {
		std::cerr << "plinthctl: " << e.what()
			  << "\nTry 'plinthctl --help' for more information.\n";
		return plinth::ExitUsage;
	}
	if (invocation.help) {
		std::cout << plinth::usage();
		return plinth::ExitSuccess;
	}
	if (invocation.version) {
		std::cout << "plinthctl " PLINTH_VERSION "\n";
		return plinth::ExitSuccess;
	}

	/* Completing a command name must work where no bus is. */
	if (invocation.command == "__complete" && invocation.arguments.front() == "commands") {
		for (const plinth::CommandSpec &spec : plinth::commandSpecs()) {
			if (!spec.hidden)
				std::cout << spec.name << "\n";
		}
		return plinth::ExitSuccess;
	}

	try {
		return run(invocation);
	} catch (const sdbus::Error &e) {
		/* The service's message is written for people; its error name is for programs. */
		/* It may quote journal lines (JobFailed): no escape sequence of theirs may reach
		 * the terminal. */
		const std::string &message = e.getMessage().empty() ? e.getName() : e.getMessage();
		std::cerr << "plinthctl: " << plinth::terminalText(message) << "\n";
		return plinth::exitCodeForError(e.getName());
	}
}

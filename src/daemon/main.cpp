/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <iostream>

#include "app_loader.h"
#include "config.h"
#include "config_file.h"
#include "fd_limit.h"
#include "logging.h"
#include "options.h"
#include "registry_printer.h"
#include "service.h"

namespace {

/* Like `nginx -t`: the apps on stdout, problems on stderr, 0 only if every file loaded. */
int validate(const plinth::Options &options)
{
	const plinth::LoadResult result = plinth::loadAppDefinitions(options.appsDirs);
	for (const plinth::LoadError &error : result.errors)
		std::cerr << "error: " << error.toString() << "\n";
	for (const std::string &warning : result.warnings)
		std::cerr << "warning: " << warning << "\n";
	if (!result.errors.empty()) {
		std::cerr << "plinth-daemons: " << result.errors.size()
			  << " definition file(s) rejected\n";
		return 1;
	}
	plinth::printRegistry(std::cout, *result.registry);
	return 0;
}

} /* namespace */

int main(int argc, char *argv[])
{
	plinth::CommandLine commandLine;
	try {
		commandLine = plinth::parseCommandLine(argc, argv);
	} catch (const plinth::UsageError &e) {
		std::cerr << "plinth-daemons: " << e.what()
			  << "\nTry 'plinth-daemons --help' for more information.\n";
		return 2;
	}
	if (commandLine.help) {
		std::cout << plinth::usage();
		return 0;
	}
	if (commandLine.version) {
		std::cout << "plinth-daemons " PLINTH_VERSION "\n";
		return 0;
	}

	plinth::Options options;
	try {
		options = plinth::resolveOptions(commandLine);
	} catch (const plinth::ConfigFileError &e) {
		std::cerr << "error: " << e.what() << "\n";
		return 1;
	}
	if (options.validate)
		return validate(options);

	plinth::setUpLogging(options.logLevel);
	plinth::raiseFdLimit();
	return plinth::runService(options);
}

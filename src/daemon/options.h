/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <spdlog/common.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "settings.h"

namespace plinth {

/* Everything the service runs with: the defaults, then the configuration file, then argv. */
struct Options {
	std::filesystem::path configFile;
	BusChoice bus;
	BusChoice systemdBus;
	/* Read in order; a file replaces the same-named file of an earlier directory. */
	std::vector<std::filesystem::path> appsDirs;
	std::filesystem::path stateDir;
	/* Empty: the local system journal. */
	std::filesystem::path journalDir;
	Authorization authorization = Authorization::Polkit;
	spdlog::level::level_enum logLevel = spdlog::level::info;
	std::chrono::seconds jobTimeout{90};
	/* Empty: the environment's. */
	std::string locale;
	std::chrono::seconds healthInterval{std::chrono::hours(24)};
	std::chrono::seconds healthSettleDelay{10};
	/* Check the app definitions and exit instead of serving. */
	bool validate = false;
};

/* The command line as given, before the configuration file is read. */
struct CommandLine {
	/* Unset: the default file, which may be missing. */
	std::optional<std::filesystem::path> configFile;
	Settings settings;
	bool validate = false;
	bool help = false;
	bool version = false;
};

/* A command line the service cannot run with; the process exits with status 2. */
class UsageError : public std::runtime_error
{
public:
	using std::runtime_error::runtime_error;
};

/* Parses argv with getopt_long; throws UsageError. */
CommandLine parseCommandLine(int argc, char *const argv[]);

/*
 * Reads the configuration file (the default one only if it exists) and lays the command line
 * over it; throws ConfigFileError.
 */
Options resolveOptions(const CommandLine &commandLine);

/* The --help text. */
std::string usage();

} /* namespace plinth */

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "options.h"

#include <getopt.h>

#include <array>
#include <cctype>

#include "config.h"
#include "config_file.h"

namespace plinth {

namespace fs = std::filesystem;

namespace {

/* Long options only; their codes stay clear of any character getopt could return. */
enum OptionCode {
	OptConfig = 256,
	OptBus,
	OptSystemdBus,
	OptAppsDir,
	OptStateDir,
	OptJournalDir,
	OptAuthorization,
	OptLogLevel,
	OptValidate,
	OptHelp,
	OptVersion,
};

constexpr std::array<option, 12> kLongOptions = {{
	{"config", required_argument, nullptr, OptConfig},
	{"bus", required_argument, nullptr, OptBus},
	{"systemd-bus", required_argument, nullptr, OptSystemdBus},
	{"apps-dir", required_argument, nullptr, OptAppsDir},
	{"state-dir", required_argument, nullptr, OptStateDir},
	{"journal-dir", required_argument, nullptr, OptJournalDir},
	{"authorization", required_argument, nullptr, OptAuthorization},
	{"log-level", required_argument, nullptr, OptLogLevel},
	{"validate", no_argument, nullptr, OptValidate},
	{"help", no_argument, nullptr, OptHelp},
	{"version", no_argument, nullptr, OptVersion},
	{nullptr, 0, nullptr, 0},
}};

const char *optionName(int code)
{
	for (const option &o : kLongOptions) {
		if (o.val == code)
			return o.name;
	}
	return "?";
}

template<typename Parser>
auto parseArgument(int code, Parser parse)
{
	try {
		return parse(optarg);
	} catch (const std::invalid_argument &e) {
		throw UsageError("--" + std::string(optionName(code)) + " " + e.what());
	}
}

fs::path pathArgument(int code)
{
	if (*optarg == '\0')
		throw UsageError("--" + std::string(optionName(code)) + " needs a non-empty path");
	return optarg;
}

[[noreturn]] void unknownOption(char *const argv[])
{
	if (optopt >= OptConfig)
		throw UsageError("option '--" + std::string(optionName(optopt)) +
				 "' takes no argument");
	if (optopt != 0 && std::isprint(optopt))
		throw UsageError(std::string("unknown option '-") + static_cast<char>(optopt) +
				 "'");
	throw UsageError("unknown option '" + std::string(argv[optind - 1]) + "'");
}

template<typename T>
void overlay(T &value, const std::optional<T> &setting)
{
	if (setting)
		value = *setting;
}

void overlay(Options &options, const Settings &settings)
{
	overlay(options.bus, settings.bus);
	overlay(options.systemdBus, settings.systemdBus);
	overlay(options.appsDirs, settings.appsDirs);
	overlay(options.stateDir, settings.stateDir);
	overlay(options.journalDir, settings.journalDir);
	overlay(options.authorization, settings.authorization);
	overlay(options.logLevel, settings.logLevel);
	overlay(options.jobTimeout, settings.jobTimeout);
	overlay(options.locale, settings.locale);
	overlay(options.healthInterval, settings.healthInterval);
	overlay(options.healthSettleDelay, settings.healthSettleDelay);
}

} /* namespace */

CommandLine parseCommandLine(int argc, char *const argv[])
{
	CommandLine commandLine;
	Settings &settings = commandLine.settings;

	/* 0 makes glibc start over, so the parser can run more than once (tests do). */
	optind = 0;
	opterr = 0;
	int code;
	/* '+': stop at the first non-option; ':': report a missing argument as ':'. */
	while ((code = getopt_long(argc, argv, "+:h", kLongOptions.data(), nullptr)) != -1) {
		switch (code) {
		case OptConfig:
			commandLine.configFile = pathArgument(code);
			break;
		case OptBus:
			settings.bus = parseArgument(code, parseBus);
			break;
		case OptSystemdBus:
			settings.systemdBus = parseArgument(code, parseSystemdBus);
			break;
		case OptAppsDir:
			/* The first --apps-dir replaces the default list; the others add to it. */
			if (!settings.appsDirs)
				settings.appsDirs.emplace();
			settings.appsDirs->push_back(pathArgument(code));
			break;
		case OptStateDir:
			settings.stateDir = pathArgument(code);
			break;
		case OptJournalDir:
			settings.journalDir = pathArgument(code);
			break;
		case OptAuthorization:
			settings.authorization = parseArgument(code, parseAuthorization);
			break;
		case OptLogLevel:
			settings.logLevel = parseArgument(code, parseLogLevel);
			break;
		case OptValidate:
			commandLine.validate = true;
			break;
		case 'h':
		case OptHelp:
			commandLine.help = true;
			break;
		case OptVersion:
			commandLine.version = true;
			break;
		case ':':
			throw UsageError("option '" + std::string(argv[optind - 1]) +
					 "' needs an argument");
		default:
			unknownOption(argv);
		}
	}
	if (optind < argc)
		throw UsageError("unexpected argument '" + std::string(argv[optind]) + "'");
	return commandLine;
}

Options resolveOptions(const CommandLine &commandLine)
{
	Options options;
	options.configFile = commandLine.configFile.value_or(PLINTH_CONFIG_FILE);
	options.appsDirs = {PLINTH_VENDOR_APPS_DIR, PLINTH_ADMIN_APPS_DIR};
	options.stateDir = PLINTH_STATE_DIR;

	std::error_code ec;
	if (commandLine.configFile || fs::exists(options.configFile, ec))
		overlay(options, readConfigFile(options.configFile));
	overlay(options, commandLine.settings);

	options.validate = commandLine.validate;
	return options;
}

std::string usage()
{
	return "Usage: plinth-daemons [OPTION]...\n"
	       "Manage the systemd units of apps over D-Bus (org.freedesktop.Plinth.Daemons).\n"
	       "\n"
	       "  --config FILE             read settings from FILE\n"
	       "                            (default " PLINTH_CONFIG_FILE ", if it exists)\n"
	       "  --bus system|session|ADDRESS\n"
	       "                            bus to own our name on (default system)\n"
	       "  --systemd-bus system|user|ADDRESS\n"
	       "                            bus of the systemd manager to drive (default system)\n"
	       "  --apps-dir DIR            read app definitions from DIR; repeat for more, later\n"
	       "                            ones replace same-named files (default\n"
	       "                            " PLINTH_VENDOR_APPS_DIR "\n"
	       "                            then " PLINTH_ADMIN_APPS_DIR ")\n"
	       "  --state-dir DIR           where enable states are recorded\n"
	       "                            (default " PLINTH_STATE_DIR ")\n"
	       "  --journal-dir DIR         read unit logs from the journal files in DIR\n"
	       "                            (default: the system journal)\n"
	       "  --authorization polkit|uid0|none\n"
	       "                            who may change things: polkit decides (default),\n"
	       "                            only root, or anyone (tests only)\n"
	       "  --log-level trace|debug|info|warn|error\n"
	       "                            least important message to log (default info)\n"
	       "  --validate                check the configuration and app definitions, print\n"
	       "                            the apps and exit: 0 if all load, 1 if not\n"
	       "  -h, --help                show this help and exit\n"
	       "  --version                 show the version and exit\n"
	       "\n"
	       "Options given here win over the configuration file.\n";
}

} /* namespace plinth */

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <gtest/gtest.h>

#include <initializer_list>
#include <string>
#include <vector>

#include "config.h"
#include "config_file.h"
#include "options.h"
#include "temp_dir.h"

namespace plinth {
namespace {

namespace fs = std::filesystem;

CommandLine parse(std::initializer_list<std::string> args)
{
	std::vector<std::string> strings{"plinth-daemons"};
	strings.insert(strings.end(), args);
	std::vector<char *> argv;
	for (std::string &s : strings)
		argv.push_back(s.data());
	argv.push_back(nullptr);
	return parseCommandLine(static_cast<int>(strings.size()), argv.data());
}

std::string usageError(std::initializer_list<std::string> args)
{
	try {
		parse(args);
	} catch (const UsageError &e) {
		return e.what();
	}
	return "(accepted)";
}

TEST(OptionsTest, DefaultsComeFromTheBuild)
{
	const test::TempDir dir;
	const fs::path config = dir.write("empty.toml", "");
	CommandLine commandLine = parse({});
	commandLine.configFile = config;

	const Options options = resolveOptions(commandLine);
	EXPECT_EQ(options.bus, (BusChoice{BusChoice::Type::System, ""}));
	EXPECT_EQ(options.systemdBus, (BusChoice{BusChoice::Type::System, ""}));
	EXPECT_EQ(options.appsDirs,
		  (std::vector<fs::path>{PLINTH_VENDOR_APPS_DIR, PLINTH_ADMIN_APPS_DIR}));
	EXPECT_EQ(options.stateDir, PLINTH_STATE_DIR);
	EXPECT_EQ(options.authorization, Authorization::Polkit);
	EXPECT_EQ(options.logLevel, spdlog::level::info);
	EXPECT_EQ(options.jobTimeout, std::chrono::seconds(90));
	EXPECT_EQ(options.locale, "");
	EXPECT_FALSE(options.validate);
}

TEST(OptionsTest, EveryOptionIsParsed)
{
	const CommandLine commandLine =
		parse({"--config", "/tmp/p.toml", "--bus", "session", "--systemd-bus",
		       "unix:path=/run/user/0/systemd/private", "--apps-dir", "/a", "--apps-dir=/b",
		       "--state-dir", "/s", "--authorization", "uid0", "--log-level", "debug",
		       "--validate"});
	EXPECT_EQ(commandLine.configFile, fs::path("/tmp/p.toml"));
	const Settings &s = commandLine.settings;
	EXPECT_EQ(s.bus, (BusChoice{BusChoice::Type::User, ""}));
	EXPECT_EQ(s.systemdBus,
		  (BusChoice{BusChoice::Type::Address, "unix:path=/run/user/0/systemd/private"}));
	EXPECT_EQ(s.appsDirs, (std::vector<fs::path>{"/a", "/b"}));
	EXPECT_EQ(s.stateDir, fs::path("/s"));
	EXPECT_EQ(s.authorization, Authorization::Uid0);
	EXPECT_EQ(s.logLevel, spdlog::level::debug);
	EXPECT_TRUE(commandLine.validate);
	EXPECT_FALSE(commandLine.help);
	EXPECT_FALSE(commandLine.version);

	EXPECT_EQ(parse({"--systemd-bus", "user"}).settings.systemdBus,
		  (BusChoice{BusChoice::Type::User, ""}));
	EXPECT_EQ(parse({"--authorization", "none"}).settings.authorization, Authorization::None);
	EXPECT_TRUE(parse({"-h"}).help);
	EXPECT_TRUE(parse({"--help"}).help);
	EXPECT_TRUE(parse({"--version"}).version);
}

TEST(OptionsTest, BadCommandLinesSayWhatIsWrong)
{
	EXPECT_EQ(usageError({"--frobnicate"}), "unknown option '--frobnicate'");
	EXPECT_EQ(usageError({"-q"}), "unknown option '-q'");
	EXPECT_EQ(usageError({"--state-dir"}), "option '--state-dir' needs an argument");
	EXPECT_EQ(usageError({"--validate=yes"}), "option '--validate' takes no argument");
	EXPECT_EQ(usageError({"--validate", "extra"}), "unexpected argument 'extra'");
	EXPECT_EQ(usageError({"--bus", "user"}),
		  "--bus must be system, session or a D-Bus address such as "
		  "unix:path=/run/dbus/system_bus_socket, not 'user'");
	EXPECT_EQ(usageError({"--systemd-bus", "session"}),
		  "--systemd-bus must be system, user or a D-Bus address such as "
		  "unix:path=/run/dbus/system_bus_socket, not 'session'");
	EXPECT_EQ(usageError({"--authorization", "root"}),
		  "--authorization must be polkit, uid0 or none, not 'root'");
	EXPECT_EQ(usageError({"--log-level", "warning"}),
		  "--log-level must be trace, debug, info, warn or error, not 'warning'");
	EXPECT_EQ(usageError({"--apps-dir", ""}), "--apps-dir needs a non-empty path");
}

TEST(OptionsTest, CommandLineWinsOverTheConfigurationFile)
{
	const test::TempDir dir;
	const fs::path config = dir.write("plinth-daemons.toml", R"(
bus = "unix:path=/run/test-bus"
systemd-bus = "user"
apps-dirs = ["/etc/one", "/etc/two"]
state-dir = "/var/lib/test"
journal-dir = "/var/log/other-journal"
authorization = "uid0"
log-level = "warn"
job-timeout-seconds = 5
locale = "de_DE.UTF-8"
)");

	CommandLine commandLine = parse({"--config", config.string()});
	Options options = resolveOptions(commandLine);
	EXPECT_EQ(options.configFile, config);
	EXPECT_EQ(options.bus, (BusChoice{BusChoice::Type::Address, "unix:path=/run/test-bus"}));
	EXPECT_EQ(options.systemdBus, (BusChoice{BusChoice::Type::User, ""}));
	EXPECT_EQ(options.appsDirs, (std::vector<fs::path>{"/etc/one", "/etc/two"}));
	EXPECT_EQ(options.stateDir, "/var/lib/test");
	EXPECT_EQ(options.journalDir, "/var/log/other-journal");
	EXPECT_EQ(options.authorization, Authorization::Uid0);
	EXPECT_EQ(options.logLevel, spdlog::level::warn);
	EXPECT_EQ(options.jobTimeout, std::chrono::seconds(5));
	EXPECT_EQ(options.locale, "de_DE.UTF-8");

	commandLine = parse({"--config", config.string(), "--bus", "system", "--apps-dir", "/cli",
			     "--authorization", "polkit", "--log-level", "trace", "--journal-dir",
			     "/cli-journal"});
	options = resolveOptions(commandLine);
	EXPECT_EQ(options.bus, (BusChoice{BusChoice::Type::System, ""}));
	EXPECT_EQ(options.systemdBus, (BusChoice{BusChoice::Type::User, ""}));
	EXPECT_EQ(options.appsDirs, std::vector<fs::path>{"/cli"});
	EXPECT_EQ(options.journalDir, "/cli-journal");
	EXPECT_EQ(options.stateDir, "/var/lib/test");
	EXPECT_EQ(options.authorization, Authorization::Polkit);
	EXPECT_EQ(options.logLevel, spdlog::level::trace);
}

TEST(OptionsTest, MissingExplicitConfigurationFileIsAnError)
{
	const test::TempDir dir;
	CommandLine commandLine = parse({"--config", (dir.path() / "absent.toml").string()});
	try {
		resolveOptions(commandLine);
		FAIL() << "accepted a missing --config file";
	} catch (const ConfigFileError &e) {
		EXPECT_EQ(e.error().toString(), (dir.path() / "absent.toml").string() +
							": cannot open: No such file or directory");
	}
}

} /* namespace */
} /* namespace plinth */

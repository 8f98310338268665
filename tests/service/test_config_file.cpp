/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <gtest/gtest.h>

#include <string>

#include "config_file.h"
#include "temp_dir.h"

namespace plinth {
namespace {

struct BadConfig {
	std::string name;
	std::string content;
	/* The error with the file path shortened to its name. */
	std::string error;
};

std::ostream &operator<<(std::ostream &os, const BadConfig &c)
{
	return os << c.name;
}

class BadConfigTest : public testing::TestWithParam<BadConfig>
{
};

TEST_P(BadConfigTest, IsRejectedWithPositionAndReason)
{
	const test::TempDir dir;
	const std::filesystem::path file = dir.write("config.toml", GetParam().content);
	try {
		readConfigFile(file);
		FAIL() << "accepted";
	} catch (const ConfigFileError &e) {
		LoadError shown = e.error();
		EXPECT_EQ(shown.file, file.string());
		shown.file = "config.toml";
		EXPECT_EQ(shown.toString(), GetParam().error);
	}
}

INSTANTIATE_TEST_SUITE_P(
	Table, BadConfigTest,
	testing::Values(
		BadConfig{"Syntax", "bus = system\n",
			  "config.toml:1:7: Error while parsing value: could not determine value "
			  "type"},
		BadConfig{"KeyTypo", "log_level = \"debug\"\n",
			  "config.toml:1:1: unknown key 'log_level' in the configuration; did you "
			  "mean 'log-level'?"},
		BadConfig{
			"UnknownKey", "\n\n[polkit]\nenabled = true\n",
			"config.toml:3:2: unknown key 'polkit' in the configuration; allowed "
			"keys: bus, systemd-bus, apps-dirs, state-dir, journal-dir, authorization, "
			"log-level, job-timeout-seconds, locale, health"},
		BadConfig{"BusWord", "bus = \"user\"\n",
			  "config.toml:1:7: 'bus' must be system, session or a D-Bus address such "
			  "as unix:path=/run/dbus/system_bus_socket, not 'user'"},
		BadConfig{"SystemdBusType", "systemd-bus = 1\n",
			  "config.toml:1:15: 'systemd-bus' must be a string, not an integer"},
		BadConfig{"AuthorizationWord", "authorization = \"root\"\n",
			  "config.toml:1:17: 'authorization' must be polkit, uid0 or none, not "
			  "'root'"},
		BadConfig{"LogLevelWord", "log-level = \"verbose\"\n",
			  "config.toml:1:13: 'log-level' must be trace, debug, info, warn or "
			  "error, not 'verbose'"},
		BadConfig{"AppsDirsString", "apps-dirs = \"/etc/apps.d\"\n",
			  "config.toml:1:13: 'apps-dirs' must be an array, not a string"},
		BadConfig{"AppsDirsEmpty", "apps-dirs = []\n",
			  "config.toml:1:13: 'apps-dirs' is empty, so no app would load"},
		BadConfig{"AppsDirsRelative", "apps-dirs = [\"/usr/share/x\", \"apps.d\"]\n",
			  "config.toml:1:30: each entry of 'apps-dirs' must be an absolute path, "
			  "not 'apps.d'"},
		BadConfig{"StateDirEmpty", "state-dir = \"\"\n",
			  "config.toml:1:13: 'state-dir' is empty"},
		BadConfig{"JobTimeoutZero", "job-timeout-seconds = 0\n",
			  "config.toml:1:23: 'job-timeout-seconds' must be between 1 and 86400, "
			  "not 0"},
		BadConfig{"JobTimeoutString", "job-timeout-seconds = \"90s\"\n",
			  "config.toml:1:23: 'job-timeout-seconds' must be an integer, not a "
			  "string"},
		BadConfig{"HealthNotTable", "health = 3600\n",
			  "config.toml:1:10: 'health' must be a table, not an integer"},
		BadConfig{"HealthKeyTypo", "[health]\nintervall = 3600\n",
			  "config.toml:2:1: unknown key 'intervall' in [health]; did you mean "
			  "'interval'?"},
		BadConfig{
			"HealthIntervalZero", "[health]\ninterval = 0\n",
			"config.toml:2:12: 'interval' must be between 1 and 604800 seconds, not 0"},
		BadConfig{"SettleDelayString", "[health]\nsettle-delay = \"10s\"\n",
			  "config.toml:2:16: 'settle-delay' must be an integer, not a string"},
		BadConfig{"LocaleType", "locale = [\"de\"]\n",
			  "config.toml:1:10: 'locale' must be a string, not an array"}),
	[](const testing::TestParamInfo<BadConfig> &info) { return info.param.name; });

TEST(ConfigFileTest, UnsetKeysStayUnset)
{
	const test::TempDir dir;
	const Settings settings = readConfigFile(
		dir.write("config.toml", "# nothing but\n\nlog-level = \"error\"\n"));
	EXPECT_EQ(settings.logLevel, spdlog::level::err);
	EXPECT_FALSE(settings.bus);
	EXPECT_FALSE(settings.systemdBus);
	EXPECT_FALSE(settings.appsDirs);
	EXPECT_FALSE(settings.stateDir);
	EXPECT_FALSE(settings.authorization);
	EXPECT_FALSE(settings.jobTimeout);
	EXPECT_FALSE(settings.locale);
	EXPECT_FALSE(settings.healthInterval);
	EXPECT_FALSE(settings.healthSettleDelay);
}

TEST(ConfigFileTest, HealthTableSetsTheSchedule)
{
	const test::TempDir dir;
	const Settings settings = readConfigFile(dir.write(
		"config.toml", "locale = \"C\"\n[health]\ninterval = 3600\nsettle-delay = 0\n"));
	EXPECT_EQ(settings.healthInterval, std::chrono::seconds(3600));
	EXPECT_EQ(settings.healthSettleDelay, std::chrono::seconds(0));
}

} /* namespace */
} /* namespace plinth */

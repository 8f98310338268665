/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <gtest/gtest.h>

#include "arguments.h"
#include "command_table.h"

namespace plinth {
namespace {

TEST(Arguments, NoCommandListsTheApps)
{
	const Invocation invocation = parseArguments({});
	EXPECT_EQ(invocation.command, "list");
	EXPECT_EQ(invocation.bus.type, BusTarget::Type::System);
	EXPECT_TRUE(invocation.askPassword);
	EXPECT_FALSE(invocation.json);
}

TEST(Arguments, OptionsMayFollowTheCommand)
{
	const Invocation invocation =
		parseArguments({"status", "wiki", "--json", "--no-ask-password", "dns"});
	EXPECT_EQ(invocation.command, "status");
	EXPECT_EQ(invocation.arguments, (std::vector<std::string>{"wiki", "dns"}));
	EXPECT_TRUE(invocation.json);
	EXPECT_FALSE(invocation.askPassword);
}

TEST(Arguments, AddressAndHostTakeTheirValueEitherWay)
{
	EXPECT_EQ(parseArguments({"--address=unix:path=/b", "list"}).bus.where, "unix:path=/b");
	EXPECT_EQ(parseArguments({"--address", "unix:path=/b", "list"}).bus.where, "unix:path=/b");

	const Invocation shortHost = parseArguments({"-Hroot@box", "list"});
	EXPECT_EQ(shortHost.bus.type, BusTarget::Type::Host);
	EXPECT_EQ(shortHost.bus.where, "root@box");
	EXPECT_EQ(parseArguments({"-H", "box", "list"}).bus.where, "box");
	EXPECT_EQ(parseArguments({"--host=box", "list"}).bus.where, "box");
	EXPECT_EQ(parseArguments({"--session"}).bus.type, BusTarget::Type::Session);
}

TEST(Arguments, OneBusOnly)
{
	EXPECT_THROW(parseArguments({"--session", "--address=unix:path=/b"}), UsageError);
	EXPECT_THROW(parseArguments({"-H", "a", "--system"}), UsageError);
}

TEST(Arguments, MissingOrEmptyValuesAreUsageErrors)
{
	EXPECT_THROW(parseArguments({"list", "--address"}), UsageError);
	EXPECT_THROW(parseArguments({"--address=", "list"}), UsageError);
	EXPECT_THROW(parseArguments({"--json=yes", "list"}), UsageError);
}

TEST(Arguments, UnknownCommandsAndOptionsAreUsageErrors)
{
	EXPECT_THROW(parseArguments({"lst"}), UsageError);
	EXPECT_THROW(parseArguments({"list", "--colour"}), UsageError);
}

TEST(Arguments, EachCommandTakesItsNumberOfArguments)
{
	EXPECT_THROW(parseArguments({"show"}), UsageError);
	EXPECT_THROW(parseArguments({"show", "a", "b"}), UsageError);
	EXPECT_THROW(parseArguments({"enable"}), UsageError);
	EXPECT_THROW(parseArguments({"list", "extra"}), UsageError);
	EXPECT_NO_THROW(parseArguments({"enable", "a", "b"}));
	EXPECT_NO_THROW(parseArguments({"reload"}));
	EXPECT_NO_THROW(parseArguments({"reload", "a.service"}));
}

TEST(Arguments, AllBelongsToDiagnoseWithoutApps)
{
	EXPECT_TRUE(parseArguments({"diagnose", "--all"}).all);
	EXPECT_THROW(parseArguments({"list", "--all"}), UsageError);
	EXPECT_THROW(parseArguments({"diagnose", "--all", "wiki"}), UsageError);
}

TEST(Arguments, LogOptionsBelongToLogs)
{
	const Invocation logs = parseArguments({"logs", "-n", "50", "wiki", "-f", "--since=-1h"});
	EXPECT_EQ(logs.lines, 50u);
	EXPECT_TRUE(logs.follow);
	EXPECT_EQ(logs.since, "-1h");
	EXPECT_EQ(logs.arguments, std::vector<std::string>{"wiki"});
	EXPECT_EQ(parseArguments({"logs", "-n5", "wiki"}).lines, 5u);
	EXPECT_EQ(parseArguments({"logs", "--lines", "10000", "wiki"}).lines, 10000u);

	EXPECT_THROW(parseArguments({"logs", "-n", "0", "wiki"}), UsageError);
	EXPECT_THROW(parseArguments({"logs", "-n", "10001", "wiki"}), UsageError);
	EXPECT_THROW(parseArguments({"logs", "-n", "many", "wiki"}), UsageError);
	EXPECT_THROW(parseArguments({"status", "-f", "wiki"}), UsageError);
	EXPECT_THROW(parseArguments({"logs", "wiki", "web"}), UsageError);
}

TEST(Arguments, DoubleDashEndsTheOptions)
{
	const Invocation invocation = parseArguments({"status", "--", "--json"});
	EXPECT_FALSE(invocation.json);
	EXPECT_EQ(invocation.arguments, (std::vector<std::string>{"--json"}));
}

TEST(Arguments, HelpAndVersionNeedNoCommand)
{
	EXPECT_TRUE(parseArguments({"--help"}).help);
	EXPECT_TRUE(parseArguments({"lst", "-h"}).help);
	EXPECT_TRUE(parseArguments({"--version"}).version);
}

TEST(Arguments, UnitsAreTheNamesWithADot)
{
	EXPECT_TRUE(namesUnit("plinth-example-wiki.service"));
	EXPECT_TRUE(namesUnit("getty@tty1.service"));
	EXPECT_TRUE(namesUnit("tor@plinth"));
	EXPECT_FALSE(namesUnit("wiki"));
	EXPECT_FALSE(namesUnit("backup-client"));
}

TEST(Arguments, HelpListsEveryVisibleCommand)
{
	const std::string text = usage();
	for (const CommandSpec &spec : commandSpecs()) {
		const bool listed =
			text.find("  " + std::string(spec.name) + " ") != std::string::npos;
		EXPECT_EQ(listed, !spec.hidden) << spec.name;
	}
}

} /* namespace */
} /* namespace plinth */

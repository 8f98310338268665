/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <gtest/gtest.h>

#include "style.h"
#include "table.h"

namespace plinth {
namespace {

TEST(Table, AlignsColumnsToTheWidestCell)
{
	Table table({"APP", "ENABLED"});
	table.addRow({{"wiki"}, {"yes"}});
	table.addRow({{"backup-client"}, {"no"}});
	EXPECT_EQ(table.render(Style(false)), "APP            ENABLED\n"
					      "wiki           yes\n"
					      "backup-client  no\n");
}

TEST(Table, CountsCharactersNotBytes)
{
	Table table({"A", "B"});
	table.addRow({{"äöü"}, {"x"}});
	table.addRow({{"abc"}, {"y"}});
	EXPECT_EQ(table.render(Style(false)), "A    B\n"
					      "äöü  x\n"
					      "abc  y\n");
}

TEST(Table, ColourDoesNotMoveTheColumns)
{
	Table table({"A", "B"});
	table.addRow({{"yes", Colour::Good}, {"x"}});
	const std::string text = table.render(Style(true), "  ");
	EXPECT_NE(text.find("  \033[32myes\033[0m  x\n"), std::string::npos) << text;
}

TEST(Table, ShortRowsAreFilled)
{
	Table table({"A", "B", "C"});
	table.addRow({{"1"}});
	EXPECT_EQ(table.render(Style(false)), "A  B  C\n1     \n");
}

TEST(Style, ColourOnlyOnATerminalWithoutNoColor)
{
	EXPECT_TRUE(Style::wantsColour(true, nullptr, "xterm"));
	EXPECT_TRUE(Style::wantsColour(true, "", "xterm"));
	EXPECT_FALSE(Style::wantsColour(false, nullptr, "xterm"));
	EXPECT_FALSE(Style::wantsColour(true, "1", "xterm"));
	EXPECT_FALSE(Style::wantsColour(true, nullptr, "dumb"));
	EXPECT_EQ(Style(false).paint("x", Colour::Bad), "x");
}

} /* namespace */
} /* namespace plinth */

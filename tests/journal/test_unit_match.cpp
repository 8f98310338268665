/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <gtest/gtest.h>

#include "unit_match.h"

namespace plinth {
namespace {

const std::vector<std::string> kUnits = {"web.service", "db.service"};

TEST(UnitMatch, AUnitsOwnLinesAndPid1sWordsAboutItMatch)
{
	EXPECT_EQ(matchedUnit({.systemdUnit = "db.service"}, kUnits, std::nullopt), "db.service");
	EXPECT_EQ(matchedUnit({.unit = "web.service", .pid = "1"}, kUnits, std::nullopt),
		  "web.service");
	EXPECT_EQ(matchedUnit({.systemdUnit = "other.service"}, kUnits, std::nullopt), "");
}

TEST(UnitMatch, AUnitFieldFromAnyoneButPid1DoesNot)
{
	/* Any program may log UNIT=; journalctl -u trusts it only from PID 1. */
	EXPECT_EQ(matchedUnit({.unit = "web.service", .pid = "4242"}, kUnits, std::nullopt), "");
}

TEST(UnitMatch, ACoreDumpMatchesOnlyFromRoot)
{
	EXPECT_EQ(matchedUnit({.coredumpUnit = "web.service",
			       .messageId = kCoredumpMessageId,
			       .uid = "0"},
			      kUnits, std::nullopt),
		  "web.service");
	EXPECT_EQ(matchedUnit({.coredumpUnit = "web.service",
			       .messageId = kCoredumpMessageId,
			       .uid = "1000"},
			      kUnits, std::nullopt),
		  "");
}

TEST(UnitMatch, UserUnitsMatchOnlyForTheManagersUid)
{
	const EntryOrigin mine = {.systemdUserUnit = "web.service", .uid = "1000"};
	const EntryOrigin theirs = {.systemdUserUnit = "web.service", .uid = "1001"};
	EXPECT_EQ(matchedUnit(mine, kUnits, 1000), "web.service");
	EXPECT_EQ(matchedUnit(theirs, kUnits, 1000), "");
	EXPECT_EQ(matchedUnit(mine, kUnits, std::nullopt), "");
	EXPECT_EQ(matchedUnit({.userUnit = "db.service", .uid = "1000"}, kUnits, 1000),
		  "db.service");
}

} /* namespace */
} /* namespace plinth */

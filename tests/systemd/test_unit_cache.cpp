/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <gtest/gtest.h>

#include "unit_cache.h"

namespace plinth {
namespace {

TEST(UnitCacheTest, AnAliasResolvesToTheUnitItsObjectIsNamedAfter)
{
	UnitCache cache;
	cache.setTracked({"old-name.service", "new-name.service", "tor@plinth.service"});
	cache.setObjectPath("old-name.service",
			    "/org/freedesktop/systemd1/unit/new_2dname_2eservice");
	cache.setObjectPath("tor@plinth.service",
			    "/org/freedesktop/systemd1/unit/tor_40plinth_2eservice");

	EXPECT_EQ(cache.primaryName("old-name.service"), "new-name.service");
	EXPECT_EQ(cache.primaryName("tor@plinth.service"), "tor@plinth.service");
}

TEST(UnitCacheTest, ANameNeverReadOrNotTrackedIsItsOwn)
{
	UnitCache cache;
	cache.setTracked({"new-name.service"});
	EXPECT_EQ(cache.primaryName("new-name.service"), "new-name.service");
	EXPECT_EQ(cache.primaryName("other.service"), "other.service");
}

TEST(UnitCacheTest, SignalsOfAnObjectReachTheNamesThatResolvedToItLast)
{
	const std::string newName = "/org/freedesktop/systemd1/unit/new_2dname_2eservice";
	const std::string oldName = "/org/freedesktop/systemd1/unit/old_2dname_2eservice";
	UnitCache cache;
	cache.setTracked({"old-name.service", "new-name.service", "other.service"});
	cache.setObjectPath("new-name.service", newName);
	cache.setObjectPath("old-name.service", oldName);
	cache.setObjectPath("old-name.service", newName);

	EXPECT_EQ(cache.unitsAt(newName),
		  (std::vector<std::string>{"new-name.service", "old-name.service"}));
	EXPECT_TRUE(cache.unitsAt(oldName).empty());

	cache.setTracked({"old-name.service", "other.service"});
	EXPECT_EQ(cache.unitsAt(newName), std::vector<std::string>{"old-name.service"});
}

} /* namespace */
} /* namespace plinth */

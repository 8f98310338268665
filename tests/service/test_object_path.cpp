/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <gtest/gtest.h>

#include "object_path.h"

namespace plinth {
namespace {

/* The expected paths are written out by hand from sd-bus's rules, as clients compute them. */
TEST(ObjectPathTest, LettersAndLaterDigitsStayAsTheyAre)
{
	EXPECT_EQ(appObjectPath("wiki2"), "/org/freedesktop/Plinth/Daemons/app/wiki2");
}

TEST(ObjectPathTest, EveryOtherByteBecomesUnderscoreAndLowercaseHex)
{
	EXPECT_EQ(appObjectPath("web-site_1"),
		  "/org/freedesktop/Plinth/Daemons/app/web_2dsite_5f1");
	EXPECT_EQ(unitObjectPath("plinth-test-http.service"),
		  "/org/freedesktop/Plinth/Daemons/unit/plinth_2dtest_2dhttp_2eservice");
	EXPECT_EQ(unitObjectPath("tor@plinth.service"),
		  "/org/freedesktop/Plinth/Daemons/unit/tor_40plinth_2eservice");
	EXPECT_EQ(unitObjectPath("a\\x2db:c.mount"),
		  "/org/freedesktop/Plinth/Daemons/unit/a_5cx2db_3ac_2emount");
}

TEST(ObjectPathTest, ALeadingDigitIsEscaped)
{
	/* An element may not start with a digit in sd-bus's escaping, as in systemd's paths. */
	EXPECT_EQ(appObjectPath("0ad"), "/org/freedesktop/Plinth/Daemons/app/_30ad");
}

TEST(ObjectPathTest, NamesThatDifferStayDistinct)
{
	EXPECT_NE(appObjectPath("a-b"), appObjectPath("a_b"));
	EXPECT_NE(unitObjectPath("a-b.service"), unitObjectPath("a_2db.service"));
}

} /* namespace */
} /* namespace plinth */

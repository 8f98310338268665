/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "caller_quota.h"

namespace plinth {
namespace {

TEST(CallerQuota, RefusesACallerPastItsLimitWhileOthersStillGetSlots)
{
	CallerQuota quota(3);
	std::vector<CallerQuota::Ticket> held;
	for (int i = 0; i < 3; ++i) {
		held.push_back(quota.take(":1.7"));
		ASSERT_TRUE(held.back());
	}
	EXPECT_FALSE(quota.take(":1.7"));
	EXPECT_EQ(quota.held(":1.7"), 3u);
	EXPECT_TRUE(quota.take(":1.8"));
}

TEST(CallerQuota, ASlotIsFreeAgainOnceItsLastTicketCopyIsGone)
{
	CallerQuota quota(1);
	CallerQuota::Ticket ticket = quota.take(":1.7");
	ASSERT_TRUE(ticket);
	CallerQuota::Ticket copy = ticket;
	ticket.reset();
	EXPECT_FALSE(quota.take(":1.7"));
	copy.reset();
	EXPECT_EQ(quota.held(":1.7"), 0u);
	EXPECT_TRUE(quota.take(":1.7"));
}

TEST(CallerQuota, RefusesEveryCallerOnceAllTogetherHoldTheTotal)
{
	CallerQuota quota(2, 3);
	std::vector<CallerQuota::Ticket> held = {quota.take(":1.7"), quota.take(":1.7"),
						 quota.take(":1.8")};
	for (const CallerQuota::Ticket &ticket : held)
		ASSERT_TRUE(ticket);
	EXPECT_EQ(quota.total(), 3u);
	EXPECT_FALSE(quota.take(":1.9"));
	EXPECT_FALSE(quota.take(":1.8"));
	/* A refusal takes nothing. */
	EXPECT_EQ(quota.held(":1.9"), 0u);
	EXPECT_EQ(quota.total(), 3u);

	held.erase(held.begin());
	EXPECT_EQ(quota.total(), 2u);
	EXPECT_EQ(quota.held(":1.7"), 1u);
	EXPECT_TRUE(quota.take(":1.9"));
}

TEST(CallerQuota, ACallerWhoseTicketsAreAllGoneHoldsNothing)
{
	CallerQuota quota(2, 2);
	{
		CallerQuota::Ticket first = quota.take(":1.7");
		CallerQuota::Ticket second = quota.take(":1.7");
		EXPECT_FALSE(quota.take(":1.7"));
	}
	EXPECT_EQ(quota.held(":1.7"), 0u);
	EXPECT_EQ(quota.total(), 0u);
	EXPECT_TRUE(quota.take(":1.8"));
}

TEST(CallerQuota, ATicketMayOutliveItsQuota)
{
	CallerQuota::Ticket ticket;
	{
		CallerQuota quota(1);
		ticket = quota.take(":1.7");
	}
	ticket.reset();
}

} /* namespace */
} /* namespace plinth */

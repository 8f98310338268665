/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "operation_queue.h"

namespace plinth {
namespace {

using testing::ElementsAre;

/* Submits named operations and keeps each one's Finished until the test ends it. */
class OperationQueueTest : public testing::Test
{
protected:
	void submit(const std::string &name, OperationScope scope)
	{
		queue_.submit(std::move(scope), [this, name](OperationQueue::Finished finished) {
			started_.push_back(name);
			finished_[name] = std::move(finished);
		});
	}

	void finish(const std::string &name) { finished_.at(name)(); }

	OperationQueue queue_;
	std::vector<std::string> started_;
	std::map<std::string, OperationQueue::Finished> finished_;
};

TEST_F(OperationQueueTest, IndependentOperationsRunSideBySide)
{
	submit("a", {"a.service"});
	submit("b", {"b.service"});
	EXPECT_THAT(started_, ElementsAre("a", "b"));
	EXPECT_EQ(queue_.running(), 2u);
}

TEST_F(OperationQueueTest, AnOverlappingOperationWaitsForTheEarlierOne)
{
	submit("disable-a", {"app:a", "db.service"});
	submit("enable-b", {"app:b", "db.service"});
	EXPECT_THAT(started_, ElementsAre("disable-a"));
	EXPECT_EQ(queue_.waiting(), 1u);

	finish("disable-a");
	EXPECT_THAT(started_, ElementsAre("disable-a", "enable-b"));
	EXPECT_EQ(queue_.waiting(), 0u);
}

TEST_F(OperationQueueTest, ALaterOperationNeverOvertakesAnEarlierWaitingOneItOverlaps)
{
	submit("first", {"x.service"});
	submit("second", {"x.service", "y.service"});
	/* Free to run beside "first", but "second" came before it and wants y too. */
	submit("third", {"y.service"});
	EXPECT_THAT(started_, ElementsAre("first"));

	finish("first");
	EXPECT_THAT(started_, ElementsAre("first", "second"));
	finish("second");
	EXPECT_THAT(started_, ElementsAre("first", "second", "third"));
}

TEST_F(OperationQueueTest, OnlyTheOverlappingOnesWait)
{
	submit("a", {"a.service"});
	submit("a-again", {"a.service"});
	submit("b", {"b.service"});
	EXPECT_THAT(started_, ElementsAre("a", "b"));
}

TEST_F(OperationQueueTest, AnOperationThatFinishesAsItStartsLetsTheNextOneRun)
{
	queue_.submit({"x.service"}, [](OperationQueue::Finished finished) { finished(); });
	submit("next", {"x.service"});
	EXPECT_THAT(started_, ElementsAre("next"));
	EXPECT_EQ(queue_.running(), 1u);
}

TEST_F(OperationQueueTest, FinishingTwiceOrAfterTheQueueIsGoneDoesNothing)
{
	OperationQueue::Finished late;
	{
		OperationQueue queue;
		queue.submit({"x.service"},
			     [&late](OperationQueue::Finished finished) { late = finished; });
		late();
		late();
		EXPECT_EQ(queue.running(), 0u);
	}
	late();
}

} /* namespace */
} /* namespace plinth */

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <stdexcept>
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

/* A coroutine's turn ends when it ends it or when the turn goes out of scope, as on an error. */
TEST_F(OperationQueueTest, ATurnEndsExplicitlyOrWithItsScope)
{
	std::vector<std::string> steps;
	auto operation = [&](std::string name, bool fails) -> Task<void> {
		const OperationScope scope{"a.service"};
		OperationQueue::Turn turn = co_await queue_.turn(scope);
		steps.push_back(name + " runs");
		if (fails)
			throw std::runtime_error(name + " failed");
		turn.end();
		steps.push_back(name + " ended its turn");
	};
	submit("waiting", {"a.service"});
	std::exception_ptr failure;
	detach(operation("first", true), [&](std::exception_ptr error) { failure = error; });
	detach(operation("second", false), [](std::exception_ptr) {});
	EXPECT_TRUE(steps.empty());

	finish("waiting");
	EXPECT_THAT(steps, ElementsAre("first runs", "second runs", "second ended its turn"));
	EXPECT_TRUE(failure);
	EXPECT_EQ(queue_.running(), 0u);
}

} /* namespace */
} /* namespace plinth */

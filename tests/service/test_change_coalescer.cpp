/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "change_coalescer.h"

namespace plinth {
namespace {

/* Stands in for the event loop: posted functions run when the test says so. */
class ChangeCoalescerTest : public ::testing::Test
{
protected:
	ChangeCoalescer::Post post()
	{
		return [this](std::function<void()> fn) {
			posted_.push_back(std::move(fn));
		};
	}

	void runPosted()
	{
		std::vector<std::function<void()>> now;
		now.swap(posted_);
		for (auto &fn : now)
			fn();
	}

	std::vector<std::function<void()>> posted_;
	std::vector<std::set<std::string>> flushes_;
	ChangeCoalescer::Flush record_ = [this](const std::set<std::string> &keys) {
		flushes_.push_back(keys);
	};
};

TEST_F(ChangeCoalescerTest, ManyMarksInOneIterationFlushEachKeyOnce)
{
	ChangeCoalescer changes(post(), record_);
	changes.mark("unit");
	changes.mark("app");
	changes.mark("unit");
	changes.mark("unit");
	EXPECT_EQ(posted_.size(), 1u);
	EXPECT_TRUE(flushes_.empty()) << "nothing is flushed before the loop runs the flush";

	runPosted();
	ASSERT_EQ(flushes_.size(), 1u);
	EXPECT_EQ(flushes_[0], (std::set<std::string>{"app", "unit"}));
}

TEST_F(ChangeCoalescerTest, MarksAfterAFlushMakeAnotherOne)
{
	ChangeCoalescer changes(post(), record_);
	changes.mark("unit");
	runPosted();
	changes.mark("unit");
	runPosted();
	runPosted();
	ASSERT_EQ(flushes_.size(), 2u);
	EXPECT_EQ(flushes_[1], std::set<std::string>{"unit"});
}

TEST_F(ChangeCoalescerTest, AMarkDuringAFlushWaitsForTheNextOne)
{
	std::unique_ptr<ChangeCoalescer> changes;
	changes = std::make_unique<ChangeCoalescer>(post(), [&](const std::set<std::string> &keys) {
		flushes_.push_back(keys);
		if (flushes_.size() == 1)
			changes->mark("again");
	});
	changes->mark("first");
	runPosted();
	ASSERT_EQ(flushes_.size(), 1u);
	runPosted();
	ASSERT_EQ(flushes_.size(), 2u);
	EXPECT_EQ(flushes_[1], std::set<std::string>{"again"});
}

TEST_F(ChangeCoalescerTest, ManyKeysAreFlushedAFewAtATimeInTurnsOfTheLoop)
{
	ChangeCoalescer changes(post(), record_);
	const std::size_t count = 2 * ChangeCoalescer::kMaxKeysPerFlush + 1;
	std::set<std::string> marked;
	for (std::size_t i = 0; i < count; i++) {
		marked.insert("app" + std::to_string(i));
		changes.mark("app" + std::to_string(i));
	}
	runPosted();
	ASSERT_EQ(flushes_.size(), 1u);
	EXPECT_EQ(flushes_[0].size(), ChangeCoalescer::kMaxKeysPerFlush);
	/* A key marked again between two turns is flushed once, with the others left. */
	changes.mark("app" + std::to_string(count - 1));
	runPosted();
	runPosted();
	runPosted();
	ASSERT_EQ(flushes_.size(), 3u);
	EXPECT_EQ(flushes_[2].size(), 1u);
	std::set<std::string> flushed;
	for (const auto &keys : flushes_)
		flushed.insert(keys.begin(), keys.end());
	EXPECT_EQ(flushed, marked);
}

TEST_F(ChangeCoalescerTest, KeysPickedFirstGoBeforeAllOthersAcrossTurns)
{
	ChangeCoalescer changes(post(), record_,
				[](const std::string &key) { return key.starts_with("unit"); });
	const std::size_t count = ChangeCoalescer::kMaxKeysPerFlush;
	for (std::size_t i = 0; i < count; i++) {
		changes.mark("app" + std::to_string(i));
		changes.mark("unit" + std::to_string(i));
	}
	runPosted();
	ASSERT_EQ(flushes_.size(), 1u);
	for (const std::string &key : flushes_[0])
		EXPECT_TRUE(key.starts_with("unit")) << key;
	/* One marked between two turns still goes before the apps left. */
	changes.mark("unit-late");
	runPosted();
	ASSERT_EQ(flushes_.size(), 2u);
	EXPECT_TRUE(flushes_[1].contains("unit-late"));
	runPosted();
	ASSERT_EQ(flushes_.size(), 3u);
	EXPECT_TRUE(posted_.empty());
}

TEST_F(ChangeCoalescerTest, NothingIsFlushedOnceTheCoalescerIsGone)
{
	auto changes = std::make_unique<ChangeCoalescer>(post(), record_);
	changes->mark("unit");
	changes.reset();
	runPosted();
	EXPECT_TRUE(flushes_.empty());
}

} /* namespace */
} /* namespace plinth */

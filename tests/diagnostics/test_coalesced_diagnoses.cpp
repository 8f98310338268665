/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "coalesced_diagnoses.h"
#include "error.h"

namespace plinth {
namespace {

/* Starts nothing real: each started diagnosis waits until the test finishes it. */
class CoalescedDiagnosesTest : public testing::Test
{
protected:
	struct Started {
		std::string key;
		CoalescedDiagnoses::Done finished;
	};

	/* Finishes the oldest diagnosis still running with a result naming its number. */
	void finishOldest()
	{
		ASSERT_LT(finished_, started_.size());
		const std::size_t run = finished_++;
		DiagnosisRunner::Results results;
		DiagnosticCheck check;
		check.checkId = "run-" + std::to_string(run);
		results[started_[run].key].push_back(check);
		started_[run].finished(nullptr, std::move(results));
	}

	/* Asks for key; the answer lands in answers_ as the run number that served it. */
	void request(const std::string &key)
	{
		diagnoses_.request(key, [this, key](std::exception_ptr error,
						    DiagnosisRunner::Results results) {
			answers_.push_back(error ? "error" : results.at(key).front().checkId);
		});
	}

	std::vector<Started> started_;
	std::size_t finished_ = 0;
	std::vector<std::string> answers_;
	CoalescedDiagnoses diagnoses_{
		[this](const std::string &key, CoalescedDiagnoses::Done done) {
			started_.push_back({key, std::move(done)});
		}};
};

TEST_F(CoalescedDiagnosesTest, RequestsDuringARunShareTheNextRunNotTheRunningOne)
{
	request("wiki");
	for (int i = 0; i < 100; ++i)
		request("wiki");
	ASSERT_EQ(started_.size(), 1u);
	EXPECT_EQ(diagnoses_.running(), 1u);

	finishOldest();
	/* The first request has its answer; the hundred that came later wait for run 1. */
	EXPECT_EQ(answers_, std::vector<std::string>{"run-0"});
	ASSERT_EQ(started_.size(), 2u);

	finishOldest();
	ASSERT_EQ(answers_.size(), 101u);
	for (std::size_t i = 1; i < answers_.size(); ++i)
		EXPECT_EQ(answers_[i], "run-1");
	EXPECT_EQ(started_.size(), 2u);
	EXPECT_EQ(diagnoses_.running(), 0u);
}

TEST_F(CoalescedDiagnosesTest, EachKeyRunsOnItsOwn)
{
	request("wiki");
	request("");
	request("wiki");
	request("dns");
	ASSERT_EQ(started_.size(), 3u);
	EXPECT_EQ(started_[0].key, "wiki");
	EXPECT_EQ(started_[1].key, "");
	EXPECT_EQ(started_[2].key, "dns");
	EXPECT_EQ(diagnoses_.running(), 3u);

	finishOldest();
	finishOldest();
	finishOldest();
	EXPECT_EQ(answers_, (std::vector<std::string>{"run-0", "run-1", "run-2"}));
	/* The second wiki request came while run 0 ran: it has a run of its own. */
	ASSERT_EQ(started_.size(), 4u);
	EXPECT_EQ(started_[3].key, "wiki");
	finishOldest();
	EXPECT_EQ(answers_.back(), "run-3");
	EXPECT_EQ(diagnoses_.running(), 0u);
}

TEST_F(CoalescedDiagnosesTest, AFailedRunAnswersEveryoneItServedWithTheError)
{
	request("wiki");
	request("wiki");
	started_[0].finished(std::make_exception_ptr(std::runtime_error("netlink")), {});
	++finished_;
	EXPECT_EQ(answers_, std::vector<std::string>{"error"});
	/* The next run is not spoilt by the failure before it. */
	finishOldest();
	EXPECT_EQ(answers_, (std::vector<std::string>{"error", "run-1"}));
}

TEST_F(CoalescedDiagnosesTest, AStartThatThrowsAnswersItsWaitersAndLeavesNothingRunning)
{
	std::vector<std::exception_ptr> errors;
	CoalescedDiagnoses failing([](const std::string &, CoalescedDiagnoses::Done) {
		throw Error(ErrorCode::NoSuchApp, "gone");
	});
	failing.request("wiki", [&](std::exception_ptr error, auto) { errors.push_back(error); });
	ASSERT_EQ(errors.size(), 1u);
	EXPECT_TRUE(errors[0]);
	EXPECT_EQ(failing.running(), 0u);
}

TEST_F(CoalescedDiagnosesTest, AWaiterThatThrowsCostsTheOthersNothing)
{
	request("wiki");
	/* Both wait for run 1; the first of them fails to take its answer. */
	diagnoses_.request("wiki", [](auto, auto) { throw std::runtime_error("bus gone"); });
	request("wiki");
	finishOldest();
	finishOldest();
	EXPECT_EQ(answers_, (std::vector<std::string>{"run-0", "run-1"}));
}

} /* namespace */
} /* namespace plinth */

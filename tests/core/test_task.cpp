/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "await_callback.h"
#include "error.h"

namespace plinth {
namespace {

/* A callback API: it keeps the callbacks it is given until told to call or drop them. */
class FakeSource
{
public:
	void call(std::function<void(int)> callback) { waiting_.push_back(std::move(callback)); }

	std::size_t waiting() const { return waiting_.size(); }

	void answer(int value)
	{
		auto callback = std::move(waiting_.front());
		waiting_.erase(waiting_.begin());
		callback(value);
	}

	void dropAll() { waiting_.clear(); }

private:
	std::vector<std::function<void(int)>> waiting_;
};

/* Counts the destructions of a coroutine's locals. */
struct Guard {
	explicit Guard(int &count) : count_(count) {}
	Guard(const Guard &) = delete;
	~Guard() { count_++; }
	int &count_;
};

/* What detach() handed the handler. */
template<typename T>
struct Outcome {
	bool called = false;
	std::exception_ptr error;
	T value{};

	auto handler()
	{
		return [this](std::exception_ptr e, T v) {
			called = true;
			error = e;
			value = std::move(v);
		};
	}
};

struct VoidOutcome {
	bool called = false;
	std::exception_ptr error;

	auto handler()
	{
		return [this](std::exception_ptr e) {
			called = true;
			error = e;
		};
	}
};

std::string messageOf(const std::exception_ptr &error)
{
	return errorText(error);
}

Task<int> fortyTwo()
{
	co_return 42;
}

Task<int> fromSource(FakeSource &source)
{
	const int value = co_await awaitCallback<int>(
		[&](Resumer<int> resume) { source.call([resume](int v) { resume(v); }); });
	co_return value;
}

Task<void> throwing()
{
	throw Error(ErrorCode::JobFailed, "the job failed");
	co_return;
}

TEST(TaskTest, AValueTaskGivesItsValueToTheHandler)
{
	Outcome<int> outcome;
	detach(fortyTwo(), outcome.handler());
	ASSERT_TRUE(outcome.called);
	EXPECT_EQ(outcome.error, nullptr);
	EXPECT_EQ(outcome.value, 42);
}

TEST(TaskTest, AVoidTaskRunsToItsEnd)
{
	bool ran = false;
	auto body = [&]() -> Task<void> {
		ran = true;
		co_return;
	};
	VoidOutcome outcome;
	detach(body(), outcome.handler());
	EXPECT_TRUE(ran);
	ASSERT_TRUE(outcome.called);
	EXPECT_EQ(outcome.error, nullptr);
}

TEST(TaskTest, ATaskIsLazyUntilStarted)
{
	bool ran = false;
	auto body = [&]() -> Task<void> {
		ran = true;
		co_return;
	};
	{
		Task<void> task = body();
		EXPECT_FALSE(ran);
	}
	EXPECT_FALSE(ran);
}

TEST(TaskTest, AnExceptionTravelsToTheAwaiter)
{
	auto outer = []() -> Task<std::string> {
		try {
			co_await throwing();
		} catch (const Error &e) {
			co_return std::string("caught: ") + e.what();
		}
		co_return "not thrown";
	};
	Outcome<std::string> outcome;
	detach(outer(), outcome.handler());
	EXPECT_EQ(outcome.value, "caught: the job failed");
}

TEST(TaskTest, AnUncaughtExceptionReachesTheHandler)
{
	auto outer = []() -> Task<int> {
		co_await throwing();
		co_return 1;
	};
	Outcome<int> outcome;
	detach(outer(), outcome.handler());
	ASSERT_TRUE(outcome.called);
	EXPECT_EQ(messageOf(outcome.error), "the job failed");
	EXPECT_EQ(outcome.value, 0);
}

TEST(TaskTest, NestedAwaitsResumeInTheCallbackInOrder)
{
	FakeSource source;
	std::vector<std::string> steps;
	auto middle = [&]() -> Task<int> {
		steps.push_back("middle starts");
		const int a = co_await fromSource(source);
		steps.push_back("middle got " + std::to_string(a));
		const int b = co_await fromSource(source);
		co_return a + b;
	};
	auto outer = [&]() -> Task<int> {
		const int sum = co_await middle();
		co_return sum + co_await fortyTwo();
	};

	Outcome<int> outcome;
	detach(outer(), outcome.handler());
	EXPECT_FALSE(outcome.called);
	ASSERT_EQ(source.waiting(), 1u);

	source.answer(1);
	EXPECT_FALSE(outcome.called);
	ASSERT_EQ(source.waiting(), 1u);

	source.answer(2);
	ASSERT_TRUE(outcome.called);
	EXPECT_EQ(outcome.value, 45);
	EXPECT_EQ(steps, (std::vector<std::string>{"middle starts", "middle got 1"}));
}

TEST(TaskTest, AFailedCallbackThrowsAtTheAwait)
{
	std::function<void(std::exception_ptr)> fail;
	auto body = [&]() -> Task<void> {
		co_await awaitCallback<void>([&](Resumer<void> resume) {
			fail = [resume](std::exception_ptr e) {
				resume.fail(e);
			};
		});
	};
	VoidOutcome outcome;
	detach(body(), outcome.handler());
	EXPECT_FALSE(outcome.called);
	fail(std::make_exception_ptr(std::runtime_error("no reply")));
	ASSERT_TRUE(outcome.called);
	EXPECT_EQ(messageOf(outcome.error), "no reply");
}

TEST(TaskTest, OnlyTheFirstCallResumes)
{
	std::function<void(int)> callback;
	int resumed = 0;
	auto body = [&]() -> Task<int> {
		const int value = co_await awaitCallback<int>([&](Resumer<int> resume) {
			callback = [resume](int v) {
				resume(v);
			};
		});
		resumed++;
		co_return value;
	};
	Outcome<int> outcome;
	detach(body(), outcome.handler());
	callback(7);
	callback(8);
	EXPECT_EQ(resumed, 1);
	EXPECT_EQ(outcome.value, 7);
}

/* Each await completes before its start returns: the loop must not grow the stack. */
TEST(TaskTest, ManySynchronousCallbacksRunInConstantStack)
{
	constexpr int kAwaits = 1'000'000;
	auto body = []() -> Task<long> {
		long sum = 0;
		for (int i = 0; i < kAwaits; i++)
			sum += co_await awaitCallback<int>([](Resumer<int> resume) { resume(1); });
		co_return sum;
	};
	Outcome<long> outcome;
	detach(body(), outcome.handler());
	EXPECT_EQ(outcome.value, kAwaits);
}

TEST(TaskTest, ManySynchronousTasksRunInConstantStack)
{
	constexpr int kAwaits = 1'000'000;
	auto body = []() -> Task<long> {
		long sum = 0;
		for (int i = 0; i < kAwaits; i++)
			sum += co_await fortyTwo();
		co_return sum;
	};
	Outcome<long> outcome;
	detach(body(), outcome.handler());
	EXPECT_EQ(outcome.value, 42L * kAwaits);
}

/* The source goes away with the callback uncalled, as a proxy takes its pending calls along. */
TEST(TaskTest, ADroppedCallbackDestroysTheWholeChainAndNeverCallsTheHandler)
{
	FakeSource source;
	int destroyed = 0;
	bool resumedAfterDrop = false;
	auto inner = [&]() -> Task<int> {
		Guard guard(destroyed);
		const int value = co_await fromSource(source);
		resumedAfterDrop = true;
		co_return value;
	};
	auto outer = [&]() -> Task<int> {
		Guard guard(destroyed);
		co_return co_await inner();
	};

	auto kept = std::make_shared<int>(0);
	std::weak_ptr<int> handlerState = kept;
	bool handled = false;
	detach(outer(),
	       [&handled, kept = std::move(kept)](std::exception_ptr, int) { handled = true; });
	EXPECT_FALSE(handlerState.expired());
	ASSERT_EQ(source.waiting(), 1u);

	source.dropAll();
	EXPECT_EQ(destroyed, 2);
	EXPECT_FALSE(resumedAfterDrop);
	EXPECT_FALSE(handled);
	/* The handler went with its chain, and what it held with it. */
	EXPECT_TRUE(handlerState.expired());
}

/* The chain is running then, so it cannot be abandoned: the await throws. */
TEST(TaskTest, ACallbackDroppedBeforeTheCallReturnsIsAnError)
{
	bool resumed = false;
	auto body = [&]() -> Task<void> {
		co_await awaitCallback<void>([](Resumer<void>) {});
		resumed = true;
	};
	VoidOutcome outcome;
	detach(body(), outcome.handler());
	EXPECT_FALSE(resumed);
	ASSERT_TRUE(outcome.called);
	EXPECT_EQ(messageOf(outcome.error), "a callback was dropped before it could be called");
}

TEST(TaskTest, AnExceptionFromStartingTheCallThrowsAtTheAwait)
{
	auto body = []() -> Task<void> {
		co_await awaitCallback<void>(
			[](Resumer<void>) { throw std::runtime_error("cannot send"); });
	};
	VoidOutcome outcome;
	detach(body(), outcome.handler());
	ASSERT_TRUE(outcome.called);
	EXPECT_EQ(messageOf(outcome.error), "cannot send");
}

TEST(TaskTest, AnUnfinishedTaskNeverStartedIsDestroyedWithItsArguments)
{
	auto held = std::make_shared<int>(0);
	std::weak_ptr<int> watch = held;
	bool ran = false;
	auto body = [&ran](std::shared_ptr<int>) -> Task<void> {
		ran = true;
		co_return;
	};
	std::optional<Task<void>> task(body(std::move(held)));
	EXPECT_FALSE(watch.expired());
	task.reset();
	EXPECT_TRUE(watch.expired());
	EXPECT_FALSE(ran);
}

TEST(TaskTest, AThrowingHandlerIsContained)
{
	EXPECT_NO_THROW(detach(fortyTwo(), [](std::exception_ptr, int) {
		throw std::runtime_error("the handler failed");
	}));
}

TEST(TaskTest, WhenAllRunsSideBySideAndEndsWithTheLast)
{
	FakeSource source;
	std::vector<int> got;
	auto one = [&]() -> Task<void> {
		got.push_back(co_await fromSource(source));
	};
	auto body = [&]() -> Task<void> {
		std::vector<Task<void>> tasks;
		tasks.push_back(one());
		tasks.push_back(one());
		tasks.push_back(one());
		co_await whenAll(std::move(tasks));
	};
	VoidOutcome outcome;
	detach(body(), outcome.handler());
	/* All three started before any ended. */
	ASSERT_EQ(source.waiting(), 3u);
	source.answer(1);
	source.answer(2);
	EXPECT_FALSE(outcome.called);
	source.answer(3);
	ASSERT_TRUE(outcome.called);
	EXPECT_EQ(outcome.error, nullptr);
	EXPECT_EQ(got, (std::vector<int>{1, 2, 3}));
}

TEST(TaskTest, WhenAllThrowsTheFirstFailureOnceAllEnded)
{
	FakeSource source;
	int ended = 0;
	auto failing = [&]() -> Task<void> {
		co_await fromSource(source);
		ended++;
		throw std::runtime_error("first");
	};
	auto body = [&]() -> Task<void> {
		std::vector<Task<void>> tasks;
		tasks.push_back(failing());
		tasks.push_back(failing());
		co_await whenAll(std::move(tasks));
	};
	VoidOutcome outcome;
	detach(body(), outcome.handler());
	source.answer(0);
	EXPECT_FALSE(outcome.called);
	source.answer(0);
	EXPECT_EQ(ended, 2);
	EXPECT_EQ(messageOf(outcome.error), "first");
}

TEST(TaskTest, AwaitCompletionThrowsTheCompletionsError)
{
	std::function<void(std::exception_ptr)> done;
	auto body = [&]() -> Task<void> {
		co_await awaitCompletion([&](std::function<void(std::exception_ptr)> completion) {
			done = std::move(completion);
		});
	};
	VoidOutcome outcome;
	detach(body(), outcome.handler());
	done(std::make_exception_ptr(Error(ErrorCode::Timeout, "too slow")));
	EXPECT_EQ(messageOf(outcome.error), "too slow");
}

TEST(TaskTest, AwaitResultGivesTheValueOrThrowsTheError)
{
	std::function<void(std::string, std::exception_ptr)> done;
	auto body = [&]() -> Task<std::string> {
		std::string first = co_await awaitResult<std::string>(
			[&](std::function<void(std::string, std::exception_ptr)> d) {
				done = std::move(d);
			});
		try {
			co_await awaitResult<std::string>(
				[&](std::function<void(std::string, std::exception_ptr)> d) {
					done = std::move(d);
				});
		} catch (const std::exception &e) {
			co_return first + ", then " + e.what();
		}
		co_return first;
	};
	Outcome<std::string> outcome;
	detach(body(), outcome.handler());
	done("read", nullptr);
	done("", std::make_exception_ptr(std::runtime_error("unreadable")));
	EXPECT_EQ(outcome.value, "read, then unreadable");
}

} /* namespace */
} /* namespace plinth */

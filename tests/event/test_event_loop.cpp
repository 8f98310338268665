/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <sdbus-c++/sdbus-c++.h>

#include "event_loop.h"

extern char **environ;

namespace plinth {
namespace {

using namespace std::chrono_literals;

/* Generous: only a broken loop gets near it. */
constexpr auto kPatience = 10s;

/* A real dbus-daemon of the test's own, on an address it picks. */
class PrivateBus
{
public:
	PrivateBus()
	{
		std::array<int, 2> pipe;
		if (pipe2(pipe.data(), O_CLOEXEC) < 0)
			throw std::runtime_error("pipe2 failed");

		posix_spawn_file_actions_t actions;
		posix_spawn_file_actions_init(&actions);
		posix_spawn_file_actions_adddup2(&actions, pipe[1], 3);
		const char *argv[] = {"dbus-daemon", "--session", "--nofork", "--print-address=3",
				      nullptr};
		const int error = posix_spawnp(&pid_, "dbus-daemon", &actions, nullptr,
					       const_cast<char **>(argv), environ);
		posix_spawn_file_actions_destroy(&actions);
		close(pipe[1]);
		if (error) {
			close(pipe[0]);
			throw std::runtime_error("cannot run dbus-daemon");
		}

		char c;
		while (read(pipe[0], &c, 1) == 1 && c != '\n')
			address_ += c;
		close(pipe[0]);
	}

	~PrivateBus() { stop(); }

	const std::string &address() const { return address_; }

	void stop()
	{
		if (pid_ <= 0)
			return;
		kill(pid_, SIGTERM);
		waitpid(pid_, nullptr, 0);
		pid_ = 0;
	}

private:
	pid_t pid_ = 0;
	std::string address_;
};

TEST(EventLoop, TimersFireInDeadlineOrder)
{
	EventLoop loop;
	std::vector<int> fired;
	loop.addTimer(30ms, [&] { fired.push_back(2); });
	loop.addTimer(10ms, [&] { fired.push_back(1); });

	EXPECT_TRUE(loop.runUntil([&] { return fired.size() == 2; }, kPatience));
	EXPECT_EQ(fired, (std::vector<int>{1, 2}));
}

TEST(EventLoop, TimersDueTogetherFireInDeadlineOrderNotInTheOrderAdded)
{
	EventLoop loop;
	std::vector<int> fired;
	/* Each timer added has an earlier deadline than the one before it. */
	for (int i = 5; i >= 1; --i)
		loop.addTimer(i * 10ms, [&fired, i] { fired.push_back(i); });
	/* All of them are due by the time the loop first looks. */
	std::this_thread::sleep_for(80ms);

	EXPECT_TRUE(loop.runUntil([&] { return fired.size() == 5; }, kPatience));
	EXPECT_EQ(fired, (std::vector<int>{1, 2, 3, 4, 5}));
}

TEST(EventLoop, AFailingHandlerIsLoggedAndTheRestStillRuns)
{
	std::array<int, 2> pipe;
	ASSERT_EQ(pipe2(pipe.data(), O_CLOEXEC | O_NONBLOCK), 0);

	EventLoop loop;
	std::vector<std::string> ran;
	loop.addTimer(0ms, [] { throw std::runtime_error("timer"); });
	loop.addTimer(0ms, [&] { ran.push_back("timer"); });
	loop.post([] { throw std::runtime_error("posted"); });
	loop.post([&] { ran.push_back("posted"); });
	loop.watchFd(pipe[0], POLLIN, [&](short) {
		loop.unwatchFd(pipe[0]);
		ran.push_back("fd");
		throw 42;
	});
	loop.afterEachTurn([] { throw std::runtime_error("after the turn"); });
	ASSERT_EQ(write(pipe[1], "x", 1), 1);

	EXPECT_TRUE(loop.runUntil([&] { return ran.size() == 3; }, kPatience));
	loop.addTimer(1ms, [&] { ran.push_back("after"); });
	EXPECT_TRUE(loop.runUntil([&] { return ran.size() == 4; }, kPatience));
	close(pipe[0]);
	close(pipe[1]);
}

TEST(EventLoop, CancelledTimerNeverFires)
{
	EventLoop loop;
	bool cancelledFired = false;
	bool laterFired = false;
	const EventLoop::TimerId id = loop.addTimer(10ms, [&] { cancelledFired = true; });
	loop.addTimer(50ms, [&] { laterFired = true; });
	loop.cancelTimer(id);

	EXPECT_TRUE(loop.runUntil([&] { return laterFired; }, kPatience));
	EXPECT_FALSE(cancelledFired);
}

TEST(EventLoop, PostFromAnotherThreadRunsOnTheLoopThread)
{
	EventLoop loop;
	std::thread::id ranOn;
	std::thread poster([&] { loop.post([&] { ranOn = std::this_thread::get_id(); }); });

	EXPECT_TRUE(loop.runUntil([&] { return ranOn != std::thread::id(); }, kPatience));
	poster.join();
	EXPECT_EQ(ranOn, std::this_thread::get_id());
}

TEST(EventLoop, ABlockedSignalRunsItsHandlerOnTheLoop)
{
	sigset_t usr1, before;
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	ASSERT_EQ(pthread_sigmask(SIG_BLOCK, &usr1, &before), 0);

	EventLoop loop;
	int received = 0;
	loop.watchSignal(SIGUSR1, [&] { received++; });
	ASSERT_EQ(kill(getpid(), SIGUSR1), 0);

	EXPECT_TRUE(loop.runUntil([&] { return received == 1; }, kPatience));
	/* Taken here if the loop did not: unblocked and pending, it would end the tests. */
	const timespec none{};
	sigtimedwait(&usr1, nullptr, &none);
	pthread_sigmask(SIG_SETMASK, &before, nullptr);
}

TEST(EventLoop, AfterEachTurnSeesWhatTheTurnsHandlerDid)
{
	EventLoop loop;
	bool answered = false;
	bool seenAnswered = false;
	loop.afterEachTurn([&] { seenAnswered = answered; });
	loop.addTimer(10ms, [&] { answered = true; });

	EXPECT_TRUE(loop.runUntil([&] { return seenAnswered; }, kPatience));
}

TEST(EventLoop, QuitEndsRunWithItsExitCode)
{
	EventLoop loop;
	loop.addTimer(1ms, [&] { loop.quit(3); });
	EXPECT_EQ(loop.run(), 3);
}

TEST(EventLoop, WatchedFdHandlerGetsReadinessUntilUnwatched)
{
	std::array<int, 2> pipe;
	ASSERT_EQ(pipe2(pipe.data(), O_CLOEXEC | O_NONBLOCK), 0);

	EventLoop loop;
	std::string received;
	loop.watchFd(pipe[0], POLLIN, [&](short revents) {
		ASSERT_TRUE(revents & POLLIN);
		char buffer[16];
		const ssize_t n = read(pipe[0], buffer, sizeof(buffer));
		if (n > 0)
			received.append(buffer, n);
	});

	ASSERT_EQ(write(pipe[1], "ping", 4), 4);
	EXPECT_TRUE(loop.runUntil([&] { return received == "ping"; }, kPatience));

	loop.unwatchFd(pipe[0]);
	ASSERT_EQ(write(pipe[1], "more", 4), 4);
	EXPECT_FALSE(loop.runUntil([&] { return received != "ping"; }, 50ms));

	close(pipe[0]);
	close(pipe[1]);
}

TEST(EventLoop, DispatchesAsyncRepliesOfAConnection)
{
	PrivateBus bus;
	auto connection = sdbus::createSessionBusConnectionWithAddress(bus.address());
	EventLoop loop;
	loop.addConnection(*connection);

	auto proxy =
		sdbus::createProxy(*connection, "org.freedesktop.DBus", "/org/freedesktop/DBus");
	std::vector<std::string> names;
	bool replied = false;
	proxy->callMethodAsync("ListNames")
		.onInterface("org.freedesktop.DBus")
		.uponReplyInvoke([&](const sdbus::Error *error, std::vector<std::string> reply) {
			EXPECT_EQ(error, nullptr);
			names = std::move(reply);
			replied = true;
		});

	EXPECT_TRUE(loop.runUntil([&] { return replied; }, kPatience));
	EXPECT_NE(std::find(names.begin(), names.end(), connection->getUniqueName()), names.end());
	loop.removeConnection(*connection);
}

TEST(EventLoop, CallsOnLostWhenTheBusGoesAway)
{
	PrivateBus bus;
	auto connection = sdbus::createSessionBusConnectionWithAddress(bus.address());
	EventLoop loop;
	bool lost = false;
	loop.addConnection(*connection, [&] { lost = true; });

	bus.stop();
	EXPECT_TRUE(loop.runUntil([&] { return lost; }, kPatience));
}

} /* namespace */
} /* namespace plinth */

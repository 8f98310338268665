/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>

namespace sdbus {
class IConnection;
}

namespace plinth {

/*
 * The one thread everything runs on, an sd-event loop: it dispatches the messages of every
 * registered sdbus-c++ connection (through their poll data), watches file descriptors and
 * signals and fires timers. Handlers run on the loop's thread and must never block; one that
 * throws is logged and the loop goes on.
 */
class EventLoop
{
public:
	using TimerId = std::uint64_t;
	/* CLOCK_MONOTONIC, sd-event's clock. */
	using Clock = std::chrono::steady_clock;

	EventLoop();
	~EventLoop();
	EventLoop(const EventLoop &) = delete;
	EventLoop &operator=(const EventLoop &) = delete;

	/* The connection must outlive the loop or be removed first. */
	void addConnection(sdbus::IConnection &connection);
	/*
	 * As above; when the connection breaks (its bus went away), the loop drops it and calls
	 * onLost on its thread.
	 */
	void addConnection(sdbus::IConnection &connection, std::function<void()> onLost);
	void removeConnection(sdbus::IConnection &connection);

	/* events as for poll(2); the handler gets revents. Watching a watched fd replaces both. */
	void watchFd(int fd, short events, std::function<void(short revents)> handler);
	void unwatchFd(int fd);

	/* Timers due together fire in the order of their deadlines. */
	TimerId addTimer(Clock::duration after, std::function<void()> handler);
	/* Cancelling a timer that already fired or was cancelled does nothing. */
	void cancelTimer(TimerId id);

	/* Runs handler on the loop thread soon; the only call that is safe from other threads. */
	void post(std::function<void()> handler);

	/* The signal must be blocked in every thread of the process before any thread starts. */
	void watchSignal(int signal, std::function<void()> handler);
	/* Runs handler after every turn of the loop that ran another handler. */
	void afterEachTurn(std::function<void()> handler);
	/*
	 * Tells systemd the loop is alive at the interval its WatchdogSec= asks for; returns
	 * whether it asks for one.
	 */
	bool enableWatchdog();

	/* Runs until quit(); returns quit's exit code. */
	int run();
	/* Runs until done() is true or timeout passes; returns done(). For tests and clients. */
	bool runUntil(const std::function<bool()> &done, Clock::duration timeout);
	void quit(int exitCode = 0);

private:
	class Private;
	std::unique_ptr<Private> d_;
};

} /* namespace plinth */

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "event_loop.h"

#include <errno.h>
#include <poll.h>
#include <spdlog/spdlog.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <map>
#include <mutex>
#include <system_error>
#include <utility>
#include <vector>

#include <sdbus-c++/sdbus-c++.h>

namespace plinth {

namespace {

struct Connection {
	sdbus::IConnection *connection;
	std::function<void()> onLost;
};

struct FdWatch {
	short events;
	std::function<void(short)> handler;
};

struct Timer {
	EventLoop::Clock::time_point deadline;
	std::function<void()> handler;
};

/* poll(2) counts in whole milliseconds: round up so a timer is never polled for too early. */
int pollMilliseconds(EventLoop::Clock::duration remaining)
{
	if (remaining <= EventLoop::Clock::duration::zero())
		return 0;
	const auto ms = std::chrono::ceil<std::chrono::milliseconds>(remaining).count();
	return static_cast<int>(std::min<decltype(ms)>(ms, 60'000));
}

/*
 * Runs one handler of the loop. A failing handler must not take the loop, and with it every
 * other caller, down: its exception is logged and the loop goes on with the rest.
 */
template<typename Fn>
void runGuarded(const char *what, Fn &&fn)
{
	try {
		fn();
	} catch (const std::exception &e) {
		spdlog::error("a {} failed: {}", what, e.what());
	} catch (...) {
		spdlog::error("a {} failed with an exception of unknown type", what);
	}
}

/* -1 (no timeout) loses against any other value. */
int earlierPollTimeout(int a, int b)
{
	if (a < 0)
		return b;
	if (b < 0)
		return a;
	return std::min(a, b);
}

} /* namespace */

class EventLoop::Private
{
public:
	Private();
	~Private();

	void dispatchReady();
	void waitForEvents(Clock::time_point until);
	void processConnections();
	void fireDueTimers();
	void runPosted();
	void dropConnection(sdbus::IConnection *connection, const char *why);

	int wakeFd_;
	std::vector<Connection> connections_;
	std::map<int, FdWatch> fdWatches_;
	std::map<TimerId, Timer> timers_;
	TimerId nextTimerId_ = 1;

	std::mutex postedLock_;
	std::vector<std::function<void()>> posted_;

	bool quitting_ = false;
	int exitCode_ = 0;
};

EventLoop::Private::Private() : wakeFd_(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK))
{
	if (wakeFd_ < 0)
		throw std::system_error(errno, std::system_category(), "eventfd");
}

EventLoop::Private::~Private()
{
	close(wakeFd_);
}

void EventLoop::Private::dropConnection(sdbus::IConnection *connection, const char *why)
{
	const auto it =
		std::find_if(connections_.begin(), connections_.end(),
			     [&](const Connection &c) { return c.connection == connection; });
	if (it == connections_.end())
		return;

	std::function<void()> onLost = std::move(it->onLost);
	connections_.erase(it);
	spdlog::warn("D-Bus connection lost: {}", why);
	if (onLost)
		runGuarded("connection-lost handler", onLost);
}

void EventLoop::Private::processConnections()
{
	/* A handler may add or remove connections: walk a copy and skip the removed ones. */
	std::vector<sdbus::IConnection *> current;
	for (const Connection &c : connections_)
		current.push_back(c.connection);

	for (sdbus::IConnection *connection : current) {
		const auto stillThere = [&] {
			return std::any_of(
				connections_.begin(), connections_.end(),
				[&](const Connection &c) { return c.connection == connection; });
		};
		try {
			while (stillThere() && connection->processPendingRequest()) {
			}
		} catch (const sdbus::Error &e) {
			dropConnection(connection, e.what());
		} catch (const std::exception &e) {
			/* A message handler failed; the connection itself is fine. */
			spdlog::error("a D-Bus message handler failed: {}", e.what());
		}
	}
}

void EventLoop::Private::fireDueTimers()
{
	const Clock::time_point now = Clock::now();
	std::vector<std::pair<Clock::time_point, TimerId>> due;
	for (const auto &[id, timer] : timers_) {
		if (timer.deadline <= now)
			due.emplace_back(timer.deadline, id);
	}
	/* Ids count additions, not deadlines: a later timer may be due first. */
	std::sort(due.begin(), due.end());

	/* A handler may cancel a later due timer: look each one up again. */
	for (const auto &[deadline, id] : due) {
		const auto it = timers_.find(id);
		if (it == timers_.end())
			continue;
		std::function<void()> handler = std::move(it->second.handler);
		timers_.erase(it);
		runGuarded("timer", handler);
	}
}

void EventLoop::Private::runPosted()
{
	std::uint64_t count;
	while (read(wakeFd_, &count, sizeof(count)) > 0) {
	}

	std::vector<std::function<void()>> handlers;
	{
		std::lock_guard<std::mutex> lock(postedLock_);
		handlers.swap(posted_);
	}
	for (auto &handler : handlers)
		runGuarded("posted task", handler);
}

void EventLoop::Private::dispatchReady()
{
	processConnections();
	fireDueTimers();
	runPosted();
}

/* Sleeps in poll(2) until something is ready, running the handlers of ready watched fds. */
void EventLoop::Private::waitForEvents(Clock::time_point until)
{
	std::vector<pollfd> fds;
	fds.push_back({wakeFd_, POLLIN, 0});

	int timeout =
		until == Clock::time_point::max() ? -1 : pollMilliseconds(until - Clock::now());
	for (const Connection &c : std::vector<Connection>(connections_)) {
		try {
			const sdbus::IConnection::PollData data =
				c.connection->getEventLoopPollData();
			fds.push_back({data.fd, data.events, 0});
			timeout = earlierPollTimeout(timeout, data.getPollTimeout());
		} catch (const sdbus::Error &e) {
			dropConnection(c.connection, e.what());
			return;
		}
	}

	const std::size_t firstWatch = fds.size();
	std::vector<int> watched;
	for (const auto &[fd, watch] : fdWatches_) {
		fds.push_back({fd, watch.events, 0});
		watched.push_back(fd);
	}

	for (const auto &[id, timer] : timers_)
		timeout = earlierPollTimeout(timeout,
					     pollMilliseconds(timer.deadline - Clock::now()));

	if (poll(fds.data(), fds.size(), timeout) < 0) {
		if (errno == EINTR)
			return;
		throw std::system_error(errno, std::system_category(), "poll");
	}

	for (std::size_t i = 0; i < watched.size(); i++) {
		const short revents = fds[firstWatch + i].revents;
		if (!revents)
			continue;
		/* An earlier handler may have unwatched this fd. */
		const auto it = fdWatches_.find(watched[i]);
		if (it == fdWatches_.end())
			continue;
		std::function<void(short)> handler = it->second.handler;
		runGuarded("file descriptor handler", [&] { handler(revents); });
	}
}

EventLoop::EventLoop() : d_(std::make_unique<Private>())
{
}

EventLoop::~EventLoop() = default;

void EventLoop::addConnection(sdbus::IConnection &connection)
{
	addConnection(connection, {});
}

void EventLoop::addConnection(sdbus::IConnection &connection, std::function<void()> onLost)
{
	d_->connections_.push_back({&connection, std::move(onLost)});
}

void EventLoop::removeConnection(sdbus::IConnection &connection)
{
	std::erase_if(d_->connections_,
		      [&](const Connection &c) { return c.connection == &connection; });
}

void EventLoop::watchFd(int fd, short events, std::function<void(short revents)> handler)
{
	d_->fdWatches_[fd] = {events, std::move(handler)};
}

void EventLoop::unwatchFd(int fd)
{
	d_->fdWatches_.erase(fd);
}

EventLoop::TimerId EventLoop::addTimer(Clock::duration after, std::function<void()> handler)
{
	const TimerId id = d_->nextTimerId_++;
	d_->timers_[id] = {Clock::now() + after, std::move(handler)};
	return id;
}

void EventLoop::cancelTimer(TimerId id)
{
	d_->timers_.erase(id);
}

void EventLoop::post(std::function<void()> handler)
{
	{
		std::lock_guard<std::mutex> lock(d_->postedLock_);
		d_->posted_.push_back(std::move(handler));
	}
	const std::uint64_t one = 1;
	if (write(d_->wakeFd_, &one, sizeof(one)) < 0 && errno != EAGAIN)
		spdlog::error("Cannot wake the event loop: {}",
			      std::system_category().message(errno));
}

int EventLoop::run()
{
	for (;;) {
		d_->dispatchReady();
		if (d_->quitting_)
			break;
		d_->waitForEvents(Clock::time_point::max());
	}
	d_->quitting_ = false;
	return d_->exitCode_;
}

bool EventLoop::runUntil(const std::function<bool()> &done, Clock::duration timeout)
{
	const Clock::time_point until = Clock::now() + timeout;
	for (;;) {
		d_->dispatchReady();
		if (done() || d_->quitting_ || Clock::now() >= until)
			break;
		d_->waitForEvents(until);
	}
	return done();
}

void EventLoop::quit(int exitCode)
{
	d_->exitCode_ = exitCode;
	d_->quitting_ = true;
}

} /* namespace plinth */

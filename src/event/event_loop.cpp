/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "event_loop.h"

#include <errno.h>
#include <spdlog/spdlog.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <map>
#include <mutex>
#include <set>
#include <system_error>
#include <utility>
#include <vector>

#include <sdbus-c++/sdbus-c++.h>
#include <systemd/sd-event.h>

#include "bus_attachment.h"
#include "event_source.h"

namespace plinth {

namespace {

struct Connection {
	std::unique_ptr<BusAttachment> attachment;
	std::function<void()> onLost;
};

struct FdWatch {
	EventSource source;
	std::function<void(short)> handler;
};

/* A handler that stays for the loop's life: a signal's, or one run after each turn. */
struct Hook {
	EventSource source;
	std::function<void()> handler;
};

struct Timer {
	std::uint64_t deadline;
	std::function<void()> handler;
};

/* µs of CLOCK_MONOTONIC, which steady_clock reads; rounded up so nothing fires early. */
std::uint64_t monotonicUsec(EventLoop::Clock::time_point time)
{
	return std::chrono::ceil<std::chrono::microseconds>(time.time_since_epoch()).count();
}

struct EventRelease {
	void operator()(sd_event *event) const { sd_event_unref(event); }
};

sd_event *newEvent()
{
	sd_event *event = nullptr;
	checkEventCall(sd_event_new(&event), "make an event loop");
	return event;
}

} /* namespace */

class EventLoop::Private
{
public:
	Private();
	~Private();

	static int onFd(sd_event_source *source, int fd, uint32_t revents, void *userdata);
	static int onSignal(sd_event_source *source, const signalfd_siginfo *info, void *userdata);
	static int onTurnEnd(sd_event_source *source, void *userdata);
	static int onTimers(sd_event_source *source, uint64_t usec, void *userdata);
	static int onWake(sd_event_source *source, int fd, uint32_t revents, void *userdata);

	void dropConnection(sdbus::IConnection *connection, const char *why);
	void fireDueTimers();
	void armTimers();
	void runPosted();
	void runOnce(std::uint64_t timeoutUsec);

	/* First, so that it goes last: every source below belongs to it. */
	std::unique_ptr<sd_event, EventRelease> event_;
	int wakeFd_;
	EventSource wake_;
	EventSource timerSource_;

	std::vector<Connection> connections_;
	std::map<int, FdWatch> fdWatches_;
	std::vector<std::unique_ptr<Hook>> hooks_;

	/*
	 * One sd-event timer for all of them: sd-event runs sources that became due together in
	 * no set order, and timers due together must fire in the order of their deadlines.
	 */
	std::map<TimerId, Timer> timers_;
	std::set<std::pair<std::uint64_t, TimerId>> deadlines_;
	TimerId nextTimerId_ = 1;

	std::mutex postedLock_;
	std::vector<std::function<void()>> posted_;

	bool quitting_ = false;
	int exitCode_ = 0;
};

EventLoop::Private::Private() : event_(newEvent()), wakeFd_(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK))
{
	if (wakeFd_ < 0)
		throw std::system_error(errno, std::system_category(), "eventfd");

	sd_event_source *wake = nullptr;
	checkEventCall(sd_event_add_io(event_.get(), &wake, wakeFd_, EPOLLIN, onWake, this),
		       "watch the loop's wake-ups");
	wake_.reset(wake);

	/* Accuracy 1 µs: 0 would let sd-event fire up to 250 ms late. */
	sd_event_source *timers = nullptr;
	checkEventCall(
		sd_event_add_time(event_.get(), &timers, CLOCK_MONOTONIC, 0, 1, onTimers, this),
		"add the loop's timer");
	timerSource_.reset(timers);
	armTimers();
}

EventLoop::Private::~Private()
{
	wake_.reset();
	::close(wakeFd_);
}

int EventLoop::Private::onFd(sd_event_source *, int, uint32_t revents, void *userdata)
{
	/* The handler may unwatch its own fd, and with that destroy itself. */
	const std::function<void(short)> handler = static_cast<FdWatch *>(userdata)->handler;
	runGuarded("file descriptor handler", [&] { handler(static_cast<short>(revents)); });
	return 0;
}

int EventLoop::Private::onSignal(sd_event_source *, const signalfd_siginfo *, void *userdata)
{
	runGuarded("signal handler", static_cast<Hook *>(userdata)->handler);
	return 0;
}

int EventLoop::Private::onTurnEnd(sd_event_source *, void *userdata)
{
	runGuarded("handler after the loop's turn", static_cast<Hook *>(userdata)->handler);
	return 0;
}

int EventLoop::Private::onTimers(sd_event_source *, uint64_t, void *userdata)
{
	auto *self = static_cast<Private *>(userdata);
	self->fireDueTimers();
	runGuarded("timer update", [self] { self->armTimers(); });
	return 0;
}

int EventLoop::Private::onWake(sd_event_source *, int, uint32_t, void *userdata)
{
	static_cast<Private *>(userdata)->runPosted();
	return 0;
}

void EventLoop::Private::dropConnection(sdbus::IConnection *connection, const char *why)
{
	const auto it =
		std::find_if(connections_.begin(), connections_.end(), [&](const Connection &c) {
			return &c.attachment->connection() == connection;
		});
	if (it == connections_.end())
		return;

	std::function<void()> onLost = std::move(it->onLost);
	connections_.erase(it);
	spdlog::warn("D-Bus connection lost: {}", why);
	if (onLost)
		runGuarded("connection-lost handler", onLost);
}

void EventLoop::Private::fireDueTimers()
{
	std::uint64_t now = 0;
	if (sd_event_now(event_.get(), CLOCK_MONOTONIC, &now) < 0)
		now = monotonicUsec(Clock::now());

	std::vector<TimerId> due;
	for (const auto &[deadline, id] : deadlines_) {
		if (deadline > now)
			break;
		due.push_back(id);
	}

	/* A handler may cancel a later due timer: look each one up again. */
	for (const TimerId id : due) {
		const auto it = timers_.find(id);
		if (it == timers_.end())
			continue;
		const std::function<void()> handler = std::move(it->second.handler);
		deadlines_.erase({it->second.deadline, id});
		timers_.erase(it);
		runGuarded("timer", handler);
	}
}

void EventLoop::Private::armTimers()
{
	if (deadlines_.empty()) {
		checkEventCall(sd_event_source_set_enabled(timerSource_.get(), SD_EVENT_OFF),
			       "stop the loop's timer");
		return;
	}
	checkEventCall(sd_event_source_set_time(timerSource_.get(), deadlines_.begin()->first),
		       "set the loop's timer");
	checkEventCall(sd_event_source_set_enabled(timerSource_.get(), SD_EVENT_ONESHOT),
		       "start the loop's timer");
}

void EventLoop::Private::runPosted()
{
	std::uint64_t count;
	while (::read(wakeFd_, &count, sizeof(count)) > 0) {
	}

	std::vector<std::function<void()>> handlers;
	{
		std::lock_guard<std::mutex> lock(postedLock_);
		handlers.swap(posted_);
	}
	for (auto &handler : handlers)
		runGuarded("posted task", handler);
}

void EventLoop::Private::runOnce(std::uint64_t timeoutUsec)
{
	checkEventCall(sd_event_run(event_.get(), timeoutUsec), "run the event loop");
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
	Private *d = d_.get();
	auto attachment = std::make_unique<BusAttachment>(
		d->event_.get(), connection,
		[d, &connection](const char *why) { d->dropConnection(&connection, why); });
	d->connections_.push_back({std::move(attachment), std::move(onLost)});
}

void EventLoop::removeConnection(sdbus::IConnection &connection)
{
	std::erase_if(d_->connections_, [&](const Connection &c) {
		return &c.attachment->connection() == &connection;
	});
}

void EventLoop::watchFd(int fd, short events, std::function<void(short revents)> handler)
{
	const auto watched = d_->fdWatches_.find(fd);
	if (watched != d_->fdWatches_.end()) {
		checkEventCall(sd_event_source_set_io_events(watched->second.source.get(),
							     static_cast<uint16_t>(events)),
			       "watch a file descriptor");
		watched->second.handler = std::move(handler);
		return;
	}

	FdWatch &watch = d_->fdWatches_[fd];
	watch.handler = std::move(handler);
	sd_event_source *source = nullptr;
	const int r = sd_event_add_io(d_->event_.get(), &source, fd, static_cast<uint16_t>(events),
				      Private::onFd, &watch);
	if (r < 0) {
		d_->fdWatches_.erase(fd);
		checkEventCall(r, "watch a file descriptor");
	}
	watch.source.reset(source);
}

void EventLoop::unwatchFd(int fd)
{
	d_->fdWatches_.erase(fd);
}

EventLoop::TimerId EventLoop::addTimer(Clock::duration after, std::function<void()> handler)
{
	const TimerId id = d_->nextTimerId_++;
	const std::uint64_t deadline = monotonicUsec(Clock::now() + after);
	d_->timers_[id] = {deadline, std::move(handler)};
	d_->deadlines_.emplace(deadline, id);
	d_->armTimers();
	return id;
}

void EventLoop::cancelTimer(TimerId id)
{
	const auto it = d_->timers_.find(id);
	if (it == d_->timers_.end())
		return;
	d_->deadlines_.erase({it->second.deadline, id});
	d_->timers_.erase(it);
	d_->armTimers();
}

void EventLoop::post(std::function<void()> handler)
{
	{
		std::lock_guard<std::mutex> lock(d_->postedLock_);
		d_->posted_.push_back(std::move(handler));
	}
	const std::uint64_t one = 1;
	if (::write(d_->wakeFd_, &one, sizeof(one)) < 0 && errno != EAGAIN)
		spdlog::error("Cannot wake the event loop: {}",
			      std::system_category().message(errno));
}

void EventLoop::watchSignal(int signal, std::function<void()> handler)
{
	auto hook = std::make_unique<Hook>();
	hook->handler = std::move(handler);
	sd_event_source *source = nullptr;
	checkEventCall(sd_event_add_signal(d_->event_.get(), &source, signal, Private::onSignal,
					   hook.get()),
		       "watch a signal (is it blocked?)");
	hook->source.reset(source);
	d_->hooks_.push_back(std::move(hook));
}

void EventLoop::afterEachTurn(std::function<void()> handler)
{
	auto hook = std::make_unique<Hook>();
	hook->handler = std::move(handler);
	sd_event_source *source = nullptr;
	checkEventCall(sd_event_add_post(d_->event_.get(), &source, Private::onTurnEnd, hook.get()),
		       "run a handler after each turn");
	hook->source.reset(source);
	d_->hooks_.push_back(std::move(hook));
}

bool EventLoop::enableWatchdog()
{
	const int r = sd_event_set_watchdog(d_->event_.get(), true);
	checkEventCall(r, "enable the watchdog");
	return r > 0;
}

/*
 * Turn by turn rather than sd_event_loop(): sd_event_exit() would finish the loop for good,
 * while timers are still cancelled and fds unwatched after run() returns.
 */
int EventLoop::run()
{
	while (!d_->quitting_)
		d_->runOnce(UINT64_MAX);
	d_->quitting_ = false;
	return d_->exitCode_;
}

bool EventLoop::runUntil(const std::function<bool()> &done, Clock::duration timeout)
{
	const Clock::time_point until = Clock::now() + timeout;
	while (!done() && !d_->quitting_) {
		const Clock::time_point now = Clock::now();
		if (now >= until)
			break;
		d_->runOnce(std::chrono::ceil<std::chrono::microseconds>(until - now).count());
	}
	return done();
}

void EventLoop::quit(int exitCode)
{
	d_->exitCode_ = exitCode;
	d_->quitting_ = true;
}

} /* namespace plinth */

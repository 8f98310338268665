/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "log_stream.h"

#include <poll.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "event_loop.h"
#include "unit_match.h"

namespace plinth {

LogStream::LogStream(EventLoop &loop, JournalFeed &feed, CatchUp catchUp,
		     std::vector<std::string> units, std::optional<uid_t> userManagerUid,
		     int socket)
	: loop_(loop), feed_(feed), catchUp_(std::move(catchUp)), units_(std::move(units)),
	  userManagerUid_(userManagerUid), socket_(socket)
{
}

LogStream::~LogStream()
{
	if (!over_) {
		if (subscription_)
			feed_.unsubscribe(*subscription_);
		loop_.unwatchFd(socket_);
	}
	::close(socket_);
}

void LogStream::start(std::string afterCursor, Started started)
{
	started_ = std::move(started);
	const std::weak_ptr<LogStream> self = weak_from_this();
	watchSocket();
	subscription_ = feed_.subscribe(
		[self](const JournalRecord &record) {
			if (const auto stream = self.lock())
				stream->received(record);
		},
		[self](std::exception_ptr error) {
			if (const auto stream = self.lock()) {
				stream->feedReady_ = true;
				stream->startedIf(error);
			}
		});
	if (!afterCursor.empty()) {
		catchingUp_ = true;
		firstPageRead_ = false;
		lastCaughtUp_ = afterCursor;
		readPage(afterCursor);
	}
}

/* Runs started_ once: with the first error, or when the feed and the first page are there. */
void LogStream::startedIf(std::exception_ptr error)
{
	if (!started_ || (!error && !(feedReady_ && firstPageRead_)))
		return;
	const Started started = std::move(started_);
	started_ = nullptr;
	if (error)
		end();
	started(error);
}

void LogStream::received(const JournalRecord &record)
{
	if (over_)
		return;
	std::string unit = matchedUnit(record.origin, units_, userManagerUid_);
	if (unit.empty())
		return;
	LogEntry entry = record.entry;
	entry.unit = std::move(unit);
	if (catchingUp_) {
		heldBytes_ += entry.message.size() + entry.cursor.size();
		held_.push_back(std::move(entry));
		if (heldBytes_ > kMaxPendingBytes) {
			spdlog::info("a log follower fell too far behind while catching up; its "
				     "stream ends");
			end();
		}
		return;
	}
	send(entry);
	flush();
}

void LogStream::readPage(const std::string &cursor)
{
	pageInFlight_ = true;
	const std::weak_ptr<LogStream> self = weak_from_this();
	catchUp_(cursor, [self](std::vector<LogEntry> entries, std::exception_ptr error) {
		if (const auto stream = self.lock())
			stream->pageRead(std::move(entries), error);
	});
}

void LogStream::pageRead(std::vector<LogEntry> entries, std::exception_ptr error)
{
	pageInFlight_ = false;
	if (over_)
		return;
	if (error) {
		if (started_) {
			startedIf(error);
		} else {
			spdlog::info("a log stream could not read on after its cursor; it ends");
			end();
		}
		return;
	}
	firstPageRead_ = true;
	const std::size_t before = pending_.size();
	for (const LogEntry &entry : entries)
		send(entry);
	/* Nothing but pages is pending while catching up, so they are at its start. */
	pagesPending_ += pending_.size() - before;
	if (!entries.empty())
		lastCaughtUp_ = entries.back().cursor;
	if (entries.size() < kCatchUpPage)
		caughtUp();
	else
		nextPage_ = lastCaughtUp_;
	flush();
	startedIf(nullptr);
}

/*
 * The pages read up to the journal's end as it was when the last one was read; the feed's
 * entries held meanwhile may begin before that. The last entry of the pages is among them
 * then: send only what follows it.
 */
void LogStream::caughtUp()
{
	catchingUp_ = false;
	const auto last = std::find_if(held_.begin(), held_.end(), [this](const LogEntry &entry) {
		return entry.cursor == lastCaughtUp_;
	});
	for (auto it = last == held_.end() ? held_.begin() : last + 1; it != held_.end(); ++it)
		send(*it);
	held_.clear();
	heldBytes_ = 0;
}

void LogStream::send(const LogEntry &entry)
{
	pending_ += toJsonLine(entry) + "\n";
}

void LogStream::flush()
{
	if (over_)
		return;
	while (!pending_.empty()) {
		const ssize_t sent = ::send(socket_, pending_.data(), pending_.size(),
					    MSG_DONTWAIT | MSG_NOSIGNAL);
		if (sent < 0) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN) {
				end();
				return;
			}
			break;
		}
		pending_.erase(0, static_cast<std::size_t>(sent));
		pagesPending_ -= std::min(pagesPending_, static_cast<std::size_t>(sent));
	}
	if (pending_.size() - pagesPending_ > kMaxPendingBytes) {
		spdlog::info("a log follower stopped reading; its stream ends");
		end();
		return;
	}
	/* The next page once the reader took most of this one: memory stays bounded. */
	if (!nextPage_.empty() && !pageInFlight_ && pending_.size() < kMaxPendingBytes / 4) {
		const std::string cursor = std::move(nextPage_);
		nextPage_.clear();
		readPage(cursor);
	}
	watchSocket();
}

/* Only a closed peer (POLLHUP, POLLERR) matters, and room to write while lines wait. */
void LogStream::watchSocket()
{
	const std::weak_ptr<LogStream> self = weak_from_this();
	loop_.watchFd(socket_, pending_.empty() ? 0 : POLLOUT, [self](short revents) {
		const auto stream = self.lock();
		if (!stream)
			return;
		if (revents & (POLLHUP | POLLERR | POLLNVAL))
			stream->end();
		else
			stream->flush();
	});
}

void LogStream::end()
{
	if (over_)
		return;
	over_ = true;
	/* Never started: the call's reply, dropped, tells the caller so. */
	started_ = nullptr;
	if (subscription_)
		feed_.unsubscribe(*subscription_);
	loop_.unwatchFd(socket_);
	if (ended_) {
		const auto ended = std::move(ended_);
		ended_ = nullptr;
		ended();
	}
}

} /* namespace plinth */

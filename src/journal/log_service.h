/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "journal.h"
#include "journal_feed.h"
#include "journal_worker.h"
#include "log_query.h"

namespace plinth {

class EventLoop;
class LogStream;

/*
 * The units' logs for the bus adaptor: queries and catching up after a cursor run on one
 * worker thread (kReaderThreads); the follow streams share one journal (JournalFeed) on the
 * event loop, so that a stream costs the service one fd, its end of the socket. Knows nothing of
 * D-Bus or of who may read: callers authorize first. Every completion runs on the loop thread.
 */
class LogService
{
public:
	static constexpr int kReaderThreads = 1;

	using EntriesDone =
		std::function<void(std::vector<LogEntry> entries, std::exception_ptr error)>;
	/* fd is the reader's end of the stream, for the caller to hand over and close. */
	using FollowDone = std::function<void(int fd, std::exception_ptr error)>;

	LogService(EventLoop &loop, JournalSource source);
	~LogService();
	LogService(const LogService &) = delete;
	LogService &operator=(const LogService &) = delete;

	void read(LogQuery query, EntriesDone done);
	/*
	 * New entries of units from now on, or those after afterCursor first, for follower (a
	 * name the stream ends with: see followerLeft). slot is released when the stream ends.
	 */
	void follow(std::vector<std::string> units, std::string afterCursor, std::string follower,
		    std::shared_ptr<void> slot, FollowDone done);
	/* Ends follower's streams: its reader reads the end of the stream. */
	void followerLeft(const std::string &follower);

	std::size_t streams() const { return streams_.size(); }

	/*
	 * Other blocking file I/O of the service (writing a state file) on the reader's thread,
	 * then done on the loop thread with work's exception: the service's threads stay as few
	 * as it states. Queued after the reads asked for before.
	 */
	void runBlocking(std::function<void()> work, std::function<void(std::exception_ptr)> done);

private:
	struct Followed {
		std::shared_ptr<LogStream> stream;
		std::string follower;
		std::shared_ptr<void> slot;
	};

	/* On the worker thread only: the journal queries read, kept open between them. */
	Journal &queryJournal();

	EventLoop &loop_;
	JournalSource source_;
	std::unique_ptr<Journal> queryJournal_;
	JournalFeed feed_;
	std::map<const LogStream *, Followed> streams_;
	/* Last, so that it stops before what its jobs' completions use. */
	JournalWorker worker_;
};

} /* namespace plinth */

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <sys/types.h>

#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "journal_feed.h"
#include "log_entry.h"

namespace plinth {

class EventLoop;

/*
 * Writes some units' entries to a socket as lines of JSON (toJsonLine) until the reader
 * closes its end: the entries after a cursor first, read a page at a time off the loop
 * (catchUp), then the new ones the shared JournalFeed reads. A reader that stops reading is
 * dropped once kMaxPendingBytes of new entries wait for it (the pages, paced by the reader,
 * are not counted). Loop thread only.
 */
class LogStream : public std::enable_shared_from_this<LogStream>
{
public:
	static constexpr std::size_t kMaxPendingBytes = 1 << 20;
	/*
	 * Entries one catch-up page reads: with journald's longest lines (LineMax=48K), 3 MiB
	 * a stream holds while its reader takes them. The next page is read once the reader
	 * took most of this one.
	 */
	static constexpr std::uint32_t kCatchUpPage = 64;

	using Page = std::function<void(std::vector<LogEntry> entries, std::exception_ptr error)>;
	/* Reads up to kCatchUpPage of the units' entries after cursor, then calls done. */
	using CatchUp = std::function<void(const std::string &cursor, Page done)>;
	/* The stream runs (nullptr), or could not start and has ended. */
	using Started = std::function<void(std::exception_ptr error)>;

	/* socket is the service's end of a stream socket, owned from now on. */
	LogStream(EventLoop &loop, JournalFeed &feed, CatchUp catchUp,
		  std::vector<std::string> units, std::optional<uid_t> userManagerUid, int socket);
	~LogStream();
	LogStream(const LogStream &) = delete;
	LogStream &operator=(const LogStream &) = delete;

	/* ended runs once, on the loop, when the stream ends; set it before start(). */
	void onEnded(std::function<void()> ended) { ended_ = std::move(ended); }
	/*
	 * Sends the entries after afterCursor ("": none), then the new ones; started runs
	 * once the feed is open and the first page after the cursor was read.
	 */
	void start(std::string afterCursor, Started started);
	/* Stops sending; the socket closes, and the reader reads its end, once it is dropped. */
	void end();

private:
	void received(const JournalRecord &record);
	void readPage(const std::string &cursor);
	void pageRead(std::vector<LogEntry> entries, std::exception_ptr error);
	void caughtUp();
	void startedIf(std::exception_ptr error);
	void send(const LogEntry &entry);
	void flush();
	void watchSocket();

	EventLoop &loop_;
	JournalFeed &feed_;
	CatchUp catchUp_;
	std::vector<std::string> units_;
	std::optional<uid_t> userManagerUid_;
	int socket_;
	std::optional<JournalFeed::Id> subscription_;
	std::string pending_;
	/* How much of pending_, from its start, the catch-up pages put there. */
	std::size_t pagesPending_ = 0;
	/* While catching up: the feed's entries, sent once the pages reach them. */
	bool catchingUp_ = false;
	std::vector<LogEntry> held_;
	std::size_t heldBytes_ = 0;
	/* The last entry the pages sent, or the cursor the stream started after. */
	std::string lastCaughtUp_;
	/* The page to read next, once the reader took what waits: "" for none. */
	std::string nextPage_;
	bool pageInFlight_ = false;
	bool feedReady_ = false;
	bool firstPageRead_ = true;
	Started started_;
	bool over_ = false;
	std::function<void()> ended_;
};

} /* namespace plinth */

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <cstdint>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <vector>

#include "journal.h"

namespace plinth {

class EventLoop;
class JournalWorker;

/*
 * One journal, unfiltered, that every follow stream shares: one fd per journal file and one
 * inotify instance for the whole service, however many streams there are (a journal per
 * stream cost each of them as many fds, and an inotify instance of the uid's 128). It reads
 * each new entry once and hands it to every subscriber, which keeps the ones it wants. Opened
 * on the journal worker when the first subscriber comes, closed when the last one leaves.
 * Loop thread only.
 */
class JournalFeed
{
public:
	using Id = std::uint64_t;
	using Sink = std::function<void(const JournalRecord &record)>;
	/* error is set when the journal could not be opened; the subscription is then gone. */
	using Ready = std::function<void(std::exception_ptr error)>;

	/* Entries read in one turn of the loop before it serves others. */
	static constexpr int kEntriesPerTurn = 256;

	JournalFeed(EventLoop &loop, JournalWorker &worker, JournalSource source);
	~JournalFeed();
	JournalFeed(const JournalFeed &) = delete;
	JournalFeed &operator=(const JournalFeed &) = delete;

	/*
	 * sink gets every entry written from about now on, until unsubscribe(); ready runs
	 * once the journal is open (on a later turn of the loop, never from in here).
	 */
	Id subscribe(Sink sink, Ready ready);
	void unsubscribe(Id id);

	std::size_t subscribers() const { return sinks_.size(); }

private:
	void open();
	void opened(std::shared_ptr<Journal> journal, std::exception_ptr error);
	void close();
	void readNew();

	EventLoop &loop_;
	JournalWorker &worker_;
	JournalSource source_;
	std::map<Id, Sink> sinks_;
	std::map<Id, Ready> waiting_;
	Id nextId_ = 1;
	bool opening_ = false;
	std::shared_ptr<Journal> journal_;
	int fd_ = -1;
	/* Tells the callbacks posted to the loop whether this feed is still there. */
	std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

} /* namespace plinth */

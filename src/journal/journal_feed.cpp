/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "journal_feed.h"

#include <spdlog/spdlog.h>

#include <cstring>
#include <system_error>

#include <systemd/sd-journal.h>

#include "event_loop.h"
#include "journal_worker.h"

namespace plinth {

JournalFeed::JournalFeed(EventLoop &loop, JournalWorker &worker, JournalSource source)
	: loop_(loop), worker_(worker), source_(std::move(source))
{
}

JournalFeed::~JournalFeed()
{
	*alive_ = false;
	close();
}

JournalFeed::Id JournalFeed::subscribe(Sink sink, Ready ready)
{
	const Id id = nextId_++;
	sinks_.emplace(id, std::move(sink));
	if (journal_) {
		loop_.post([alive = alive_, ready = std::move(ready)] {
			if (*alive)
				ready(nullptr);
		});
		return id;
	}
	waiting_.emplace(id, std::move(ready));
	open();
	return id;
}

void JournalFeed::unsubscribe(Id id)
{
	sinks_.erase(id);
	waiting_.erase(id);
	if (sinks_.empty())
		close();
}

/* Opening reads every file's header: blocking I/O, for the worker. */
void JournalFeed::open()
{
	if (opening_)
		return;
	opening_ = true;
	worker_.run<std::shared_ptr<Journal>>(
		[source = source_] {
			auto journal = std::make_shared<Journal>(source);
			const int fd = sd_journal_get_fd(journal->get());
			if (fd < 0)
				throw std::system_error(-fd, std::system_category(),
							"cannot watch the journal");
			sd_journal_seek_tail(journal->get());
			sd_journal_previous(journal->get());
			return journal;
		},
		[this, alive = alive_](std::shared_ptr<Journal> journal, std::exception_ptr error) {
			if (*alive)
				opened(std::move(journal), error);
		});
}

void JournalFeed::opened(std::shared_ptr<Journal> journal, std::exception_ptr error)
{
	opening_ = false;
	auto waiting = std::move(waiting_);
	waiting_.clear();
	if (error) {
		for (const auto &[id, ready] : waiting)
			sinks_.erase(id);
	} else if (!sinks_.empty()) {
		journal_ = std::move(journal);
		fd_ = sd_journal_get_fd(journal_->get());
		loop_.watchFd(fd_, static_cast<short>(sd_journal_get_events(journal_->get())),
			      [this](short) { readNew(); });
	}
	for (const auto &[id, ready] : waiting)
		ready(error);
}

void JournalFeed::close()
{
	if (fd_ >= 0)
		loop_.unwatchFd(fd_);
	fd_ = -1;
	journal_.reset();
}

/*
 * Each wake-up reads at most kEntriesPerTurn entries, so that a burst of logging does not
 * hold up the loop: what is left is read on the next turn.
 */
void JournalFeed::readNew()
{
	const std::shared_ptr<Journal> journal = journal_;
	if (!journal)
		return;
	sd_journal_process(journal->get());
	int read = 0;
	while (read < kEntriesPerTurn && sd_journal_next(journal->get()) > 0) {
		const JournalRecord record = journal->record();
		++read;
		/* A sink may end its own subscription, or another's. */
		std::vector<Id> ids;
		for (const auto &[id, sink] : sinks_)
			ids.push_back(id);
		for (const Id id : ids) {
			const auto it = sinks_.find(id);
			if (it != sinks_.end())
				it->second(record);
		}
		if (journal_ != journal)
			return;
	}
	if (read == kEntriesPerTurn) {
		loop_.post([this, alive = alive_] {
			if (*alive)
				readNew();
		});
	}
}

} /* namespace plinth */

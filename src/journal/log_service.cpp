/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "log_service.h"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

#include <systemd/sd-journal.h>

#include "event_loop.h"
#include "log_stream.h"

namespace plinth {

LogService::LogService(EventLoop &loop, JournalSource source)
	: loop_(loop), source_(std::move(source)),
	  worker_([&loop](std::function<void()> fn) { loop.post(std::move(fn)); })
{
}

LogService::~LogService() = default;

void LogService::read(LogQuery query, EntriesDone done)
{
	worker_.run<std::vector<LogEntry>>(
		[this, query = std::move(query)] { return readLogs(queryJournal(), query); },
		std::move(done));
}

Journal &LogService::queryJournal()
{
	if (!queryJournal_) {
		auto journal = std::make_unique<Journal>(source_);
		/* Watching the files lets sd_journal_process() find those journald adds later. */
		sd_journal_get_fd(journal->get());
		queryJournal_ = std::move(journal);
	}
	sd_journal_process(queryJournal_->get());
	return *queryJournal_;
}

void LogService::follow(std::vector<std::string> units, std::string afterCursor,
			std::string follower, FollowDone done)
{
	worker_.run<std::shared_ptr<Journal>>(
		[source = source_, units = std::move(units), afterCursor = std::move(afterCursor)] {
			auto journal = std::make_shared<Journal>(source);
			journal->filter(units);
			if (!afterCursor.empty()) {
				journal->seekAfter(afterCursor);
			} else {
				sd_journal_seek_tail(journal->get());
				sd_journal_previous(journal->get());
			}
			return journal;
		},
		[this, follower = std::move(follower), done = std::move(done)](
			std::shared_ptr<Journal> journal, std::exception_ptr error) {
			if (error)
				done(-1, error);
			else
				startStream(std::move(journal), follower, done);
		});
}

void LogService::startStream(std::shared_ptr<Journal> journal, std::string follower,
			     FollowDone done)
{
	int ends[2];
	if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, ends) < 0) {
		done(-1, std::make_exception_ptr(std::system_error(errno, std::system_category(),
								   "cannot make a log stream")));
		return;
	}
	::shutdown(ends[1], SHUT_WR);

	auto stream = std::make_shared<LogStream>(loop_, std::move(journal), ends[0]);
	const LogStream *key = stream.get();
	streams_.emplace(key, Followed{stream, std::move(follower)});
	/* Dropped from the loop's next turn on, never from inside the stream's own handler. */
	stream->onEnded([this, key] { loop_.post([this, key] { streams_.erase(key); }); });
	stream->start();
	done(ends[1], nullptr);
}

/*
 * A follower that left the bus may have handed its end of the stream on, or kept it open in
 * a process that no longer reads it: either way nobody asked for the stream any more.
 */
void LogService::followerLeft(const std::string &follower)
{
	for (const auto &[key, followed] : streams_) {
		if (followed.follower == follower)
			followed.stream->end();
	}
}

} /* namespace plinth */

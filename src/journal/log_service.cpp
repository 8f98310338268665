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
	: loop_(loop), source_(std::move(source)), feed_(loop, worker_, source_),
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
			std::string follower, std::shared_ptr<void> slot, FollowDone done)
{
	int ends[2];
	if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, ends) < 0) {
		done(-1, std::make_exception_ptr(std::system_error(errno, std::system_category(),
								   "cannot make a log stream")));
		return;
	}
	::shutdown(ends[1], SHUT_WR);
	/* The reader's end, closed here unless the caller gets it. */
	auto readerEnd = std::shared_ptr<int>(new int(ends[1]), [](int *fd) {
		if (*fd >= 0)
			::close(*fd);
		delete fd;
	});

	LogStream::CatchUp catchUp = [this, units](const std::string &cursor,
						   LogStream::Page page) {
		worker_.run<std::vector<LogEntry>>(
			[this, units, cursor] {
				return readLogs(queryJournal(),
						{units, LogStream::kCatchUpPage, cursor});
			},
			std::move(page));
	};
	auto stream =
		std::make_shared<LogStream>(loop_, feed_, std::move(catchUp), std::move(units),
					    source_.userManagerUid, ends[0]);
	const LogStream *key = stream.get();
	streams_.emplace(key, Followed{stream, std::move(follower), std::move(slot)});
	/* Dropped from the loop's next turn on, never from inside the stream's own handler. */
	stream->onEnded([this, key] { loop_.post([this, key] { streams_.erase(key); }); });
	stream->start(std::move(afterCursor),
		      [readerEnd, done = std::move(done)](std::exception_ptr error) {
			      if (error) {
				      done(-1, error);
				      return;
			      }
			      const int fd = *readerEnd;
			      *readerEnd = -1;
			      done(fd, nullptr);
		      });
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

void LogService::runBlocking(std::function<void()> work,
			     std::function<void(std::exception_ptr)> done)
{
	worker_.run<bool>(
		[work = std::move(work)] {
			work();
			return true;
		},
		[done = std::move(done)](bool, std::exception_ptr error) { done(error); });
}

} /* namespace plinth */

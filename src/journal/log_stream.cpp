/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "log_stream.h"

#include <poll.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <systemd/sd-journal.h>

#include "event_loop.h"

namespace plinth {

LogStream::LogStream(EventLoop &loop, std::shared_ptr<Journal> journal, int socket)
	: loop_(loop), journal_(std::move(journal)), socket_(socket)
{
}

LogStream::~LogStream()
{
	if (journalFd_ >= 0)
		loop_.unwatchFd(journalFd_);
	loop_.unwatchFd(socket_);
	::close(socket_);
}

void LogStream::start()
{
	journalFd_ = sd_journal_get_fd(journal_->get());
	if (journalFd_ < 0) {
		spdlog::warn("cannot follow the journal: {}", std::strerror(-journalFd_));
		end();
		return;
	}
	const std::weak_ptr<LogStream> self = weak_from_this();
	loop_.watchFd(journalFd_, sd_journal_get_events(journal_->get()), [self](short) {
		if (const auto stream = self.lock())
			stream->readNew();
	});
	watchSocket();
	readNew();
}

void LogStream::readNew()
{
	sd_journal *journal = journal_->get();
	sd_journal_process(journal);
	int read = 0;
	while (read < kEntriesPerTurn && sd_journal_next(journal) > 0) {
		pending_ += toJsonLine(journal_->entry()) + "\n";
		++read;
	}
	if (read == kEntriesPerTurn) {
		/* More may wait; let the loop serve others first. */
		const std::weak_ptr<LogStream> self = weak_from_this();
		loop_.post([self] {
			if (const auto stream = self.lock())
				stream->readNew();
		});
	}
	flush();
}

void LogStream::flush()
{
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
	}
	if (pending_.size() > kMaxPendingBytes) {
		spdlog::info("a log follower stopped reading; its stream ends");
		end();
		return;
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
	if (!ended_)
		return;
	auto ended = std::move(ended_);
	ended_ = nullptr;
	if (journalFd_ >= 0)
		loop_.unwatchFd(journalFd_);
	loop_.unwatchFd(socket_);
	ended();
}

} /* namespace plinth */

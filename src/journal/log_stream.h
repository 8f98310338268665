/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "journal.h"

namespace plinth {

class EventLoop;

/*
 * Follows a journal on the event loop and writes each new entry to a socket as one line of
 * JSON (toJsonLine), until the reader closes its end. Each wake-up reads at most
 * kEntriesPerTurn entries before the loop serves others, and a reader that stops reading is
 * dropped once kMaxPendingBytes wait for it.
 */
class LogStream : public std::enable_shared_from_this<LogStream>
{
public:
	static constexpr int kEntriesPerTurn = 256;
	static constexpr std::size_t kMaxPendingBytes = 1 << 20;

	/*
	 * journal points before the first entry to send; socket is the service's end of a
	 * stream socket, owned from now on.
	 */
	LogStream(EventLoop &loop, std::shared_ptr<Journal> journal, int socket);
	~LogStream();
	LogStream(const LogStream &) = delete;
	LogStream &operator=(const LogStream &) = delete;

	/* ended runs once, on the loop, when the stream ends; set it before start(). */
	void onEnded(std::function<void()> ended) { ended_ = std::move(ended); }
	/* Sends what is there already and watches for more. */
	void start();
	/* Stops sending; the socket closes, and the reader reads its end, once it is dropped. */
	void end();

private:
	void readNew();
	void flush();
	void watchSocket();

	EventLoop &loop_;
	std::shared_ptr<Journal> journal_;
	int socket_;
	int journalFd_ = -1;
	std::string pending_;
	std::function<void()> ended_;
};

} /* namespace plinth */

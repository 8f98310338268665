/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "journal.h"

namespace plinth {

/* A request for some units' lines, as GetUnitLogs and GetAppLogs take it. */
struct LogQuery {
	std::vector<std::string> units;
	/* At most this many entries; 0 asks for kDefaultLogLines. */
	std::uint32_t lines = 0;
	/* "": the latest entries; else the entries that follow this cursor. */
	std::string afterCursor;
};

/* As the reference's get_logs(), which shows the last 200 lines. */
constexpr std::uint32_t kDefaultLogLines = 200;
/* Bounds one reply; a client pages on with the last cursor for more. */
constexpr std::uint32_t kMaxLogLines = 10000;
/*
 * Bounds one reply's size, as kMaxLogLines cannot: journald keeps lines of up to 48 KiB
 * (LineMax=), and a program logging natively more. dbus-daemon's max_message_size is 32 MiB by
 * default (system.conf), and it disconnects a sender whose message is larger: the service
 * would lose the bus. Half of it leaves room for what replyBytes() leaves out.
 */
constexpr std::size_t kMaxReplyBytes = 16 << 20;

/* About what entry adds to a reply on the bus: its texts and their framing. */
std::size_t replyBytes(const LogEntry &entry);

/*
 * The query's entries in the order they were written: without a cursor the last `lines` of
 * them, with one the first `lines` that follow it. Filters journal to the query's units.
 * Blocking; throws plinth::Error, InvalidArgument when they hold more than kMaxReplyBytes.
 */
std::vector<LogEntry> readLogs(Journal &journal, const LogQuery &query);

} /* namespace plinth */

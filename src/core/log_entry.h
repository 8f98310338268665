/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <cstdint>
#include <string>

namespace plinth {

/* One journal entry as the service hands it out; every text is valid UTF-8. */
struct LogEntry {
	/* Microseconds since the epoch, when journald received the entry. */
	std::uint64_t realtimeUsec = 0;
	/* The managed unit the entry is about: its own output, or systemd's words about it. */
	std::string unit;
	/* syslog priority, 0 (emerg) to 7 (debug); 6 (info) when the entry names none. */
	std::uint32_t priority = 6;
	/* SYSLOG_IDENTIFIER, else the executable's name. */
	std::string identifier;
	std::uint32_t pid = 0;
	std::string message;
	/* Where the entry is: after_cursor continues from here. */
	std::string cursor;
};

/*
 * The entry as one line of JSON without its newline, as the follow streams carry it and
 * plinthctl --json prints it: {"realtime":N,"unit":S,"priority":N,"identifier":S,"pid":N,
 * "message":S,"cursor":S}.
 */
std::string toJsonLine(const LogEntry &entry);

} /* namespace plinth */

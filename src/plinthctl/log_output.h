/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "log_entry.h"
#include "style.h"

namespace plinth {

/*
 * "Nov 29 22:40:51 python3[14199]: Serving HTTP" as journalctl's short output shows it, in
 * local time, with the unit in front when showUnit; coloured by priority (errors red,
 * warnings yellow, notices bold) where the style has colour. Control characters are escaped
 * (terminalText); the lines of a multi-line message start under its first, as journalctl
 * --all shows them. No final newline.
 */
std::string logLineText(const LogEntry &line, const Style &style, bool showUnit);

/* A line of a follow stream (toJsonLine); nullopt for one that is not such an object. */
std::optional<LogEntry> parseLogEntryJson(std::string_view json);

/*
 * --since: "YYYY-MM-DD HH:MM:SS", "YYYY-MM-DD", "HH:MM[:SS]" (today), in local time, or
 * "-N{s,m,h,d}" before now. Microseconds since the epoch; nullopt for anything else.
 */
std::optional<std::uint64_t> parseSince(std::string_view text, std::uint64_t nowUsec);

} /* namespace plinth */

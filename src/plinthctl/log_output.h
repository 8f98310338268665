/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "style.h"

namespace plinth {

/* One journal entry as GetUnitLogs returns it and the follow stream carries it. */
struct LogLine {
	std::uint64_t realtimeUsec = 0;
	std::string unit;
	std::uint32_t priority = 6;
	std::string identifier;
	std::uint32_t pid = 0;
	std::string message;
	std::string cursor;
};

/*
 * "Nov 29 22:40:51 python3[14199]: Serving HTTP" as journalctl's short output shows it, in
 * local time, with the unit in front when showUnit; coloured by priority (errors red,
 * warnings yellow, notices bold) where the style has colour. No newline.
 */
std::string logLineText(const LogLine &line, const Style &style, bool showUnit);

/* The entry as one JSON object on one line, the follow stream's format. No newline. */
std::string logLineJson(const LogLine &line);

/* A line of a follow stream; nullopt for one that is not such an object. */
std::optional<LogLine> parseLogLineJson(std::string_view json);

/*
 * --since: "YYYY-MM-DD HH:MM:SS", "YYYY-MM-DD", "HH:MM[:SS]" (today), in local time, or
 * "-N{s,m,h,d}" before now. Microseconds since the epoch; nullopt for anything else.
 */
std::optional<std::uint64_t> parseSince(std::string_view text, std::uint64_t nowUsec);

} /* namespace plinth */

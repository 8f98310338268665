/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "log_entry.h"

#include "json_quote.h"

namespace plinth {

std::string toJsonLine(const LogEntry &entry)
{
	return "{\"realtime\":" + std::to_string(entry.realtimeUsec) +
	       ",\"unit\":" + jsonQuote(entry.unit) +
	       ",\"priority\":" + std::to_string(entry.priority) +
	       ",\"identifier\":" + jsonQuote(entry.identifier) +
	       ",\"pid\":" + std::to_string(entry.pid) +
	       ",\"message\":" + jsonQuote(entry.message) +
	       ",\"cursor\":" + jsonQuote(entry.cursor) + "}";
}

} /* namespace plinth */

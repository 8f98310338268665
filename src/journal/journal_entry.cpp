/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "journal_entry.h"

#include <cstdio>

namespace plinth {

namespace {

void appendJsonString(std::string &out, const std::string &text)
{
	out += '"';
	for (const char c : text) {
		switch (c) {
		case '"':
			out += "\\\"";
			break;
		case '\\':
			out += "\\\\";
			break;
		case '\n':
			out += "\\n";
			break;
		case '\t':
			out += "\\t";
			break;
		case '\r':
			out += "\\r";
			break;
		default:
			if (static_cast<unsigned char>(c) < 0x20) {
				char escaped[8];
				std::snprintf(escaped, sizeof(escaped), "\\u%04x", c);
				out += escaped;
			} else {
				out += c;
			}
		}
	}
	out += '"';
}

} /* namespace */

std::string toJsonLine(const JournalEntry &entry)
{
	std::string line = "{\"realtime\":" + std::to_string(entry.realtimeUsec) + ",\"unit\":";
	appendJsonString(line, entry.unit);
	line += ",\"priority\":" + std::to_string(entry.priority) + ",\"identifier\":";
	appendJsonString(line, entry.identifier);
	line += ",\"pid\":" + std::to_string(entry.pid) + ",\"message\":";
	appendJsonString(line, entry.message);
	line += ",\"cursor\":";
	appendJsonString(line, entry.cursor);
	line += "}\n";
	return line;
}

} /* namespace plinth */

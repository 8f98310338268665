/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "log_query.h"

#include <algorithm>

#include <systemd/sd-journal.h>

#include "error.h"

namespace plinth {

std::vector<LogEntry> readLogs(Journal &journal, const LogQuery &query)
{
	if (query.lines > kMaxLogLines)
		throw Error(ErrorCode::InvalidArgument,
			    "At most " + std::to_string(kMaxLogLines) +
				    " lines come in one reply, not " + std::to_string(query.lines) +
				    ": ask again with the last cursor for more.");
	const std::uint32_t lines = query.lines ? query.lines : kDefaultLogLines;

	journal.filter(query.units);
	std::vector<LogEntry> entries;
	if (query.afterCursor.empty()) {
		sd_journal_seek_tail(journal.get());
		while (entries.size() < lines && sd_journal_previous(journal.get()) > 0)
			entries.push_back(journal.entry());
		std::reverse(entries.begin(), entries.end());
	} else {
		journal.seekAfter(query.afterCursor);
		while (entries.size() < lines && sd_journal_next(journal.get()) > 0)
			entries.push_back(journal.entry());
	}
	return entries;
}

} /* namespace plinth */

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "log_query.h"

#include <algorithm>

#include <systemd/sd-journal.h>

#include "error.h"

namespace plinth {

namespace {

/* Throws once entries, read in the direction the query reads, hold more than one reply may. */
class ReplyBudget
{
public:
	explicit ReplyBudget(const LogQuery &query) : query_(query) {}

	void add(const LogEntry &entry)
	{
		bytes_ += replyBytes(entry);
		if (bytes_ <= kMaxReplyBytes) {
			++fitting_;
			return;
		}
		const std::string most = std::to_string(std::max<std::size_t>(fitting_, 1));
		throw Error(
			ErrorCode::InvalidArgument,
			"These log lines hold more than the " +
				std::to_string(kMaxReplyBytes >> 20) +
				" MiB one reply may carry. Ask for at most " + most + " lines" +
				(query_.afterCursor.empty()
					 ? std::string(", or page forward from an older cursor.")
					 : std::string(", then page on with the last cursor.")));
	}

private:
	const LogQuery &query_;
	std::size_t bytes_ = 0;
	std::size_t fitting_ = 0;
};

} /* namespace */

std::size_t replyBytes(const LogEntry &entry)
{
	/* A struct of (tsususs) is 8-aligned: about 48 bytes of lengths, numbers and padding. */
	return 48 + entry.unit.size() + entry.identifier.size() + entry.message.size() +
	       entry.cursor.size();
}

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
	ReplyBudget budget(query);
	if (query.afterCursor.empty()) {
		sd_journal_seek_tail(journal.get());
		while (entries.size() < lines && sd_journal_previous(journal.get()) > 0) {
			entries.push_back(journal.entry());
			budget.add(entries.back());
		}
		std::reverse(entries.begin(), entries.end());
	} else {
		journal.seekAfter(query.afterCursor);
		while (entries.size() < lines && sd_journal_next(journal.get()) > 0) {
			entries.push_back(journal.entry());
			budget.add(entries.back());
		}
	}
	return entries;
}

} /* namespace plinth */

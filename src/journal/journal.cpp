/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "journal.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <string_view>

#include <systemd/sd-journal.h>

#include "error.h"
#include "utf8.h"

namespace plinth {

namespace {

const std::string kCoredumpMatch = std::string("MESSAGE_ID=") + kCoredumpMessageId;

void check(int result, const std::string &what)
{
	if (result < 0)
		throw Error(ErrorCode::InvalidArgument,
			    "Cannot " + what + ": " + std::strerror(-result) + ".");
}

void addGroup(sd_journal *journal, std::initializer_list<std::string> matches)
{
	for (const std::string &match : matches)
		check(sd_journal_add_match(journal, match.data(), match.size()),
		      "filter the journal by " + match);
	check(sd_journal_add_disjunction(journal), "filter the journal");
}

std::uint32_t number(std::string_view text, std::uint32_t fallback)
{
	if (text.empty())
		return fallback;
	std::uint32_t value = 0;
	for (const char c : text) {
		if (c < '0' || c > '9')
			return fallback;
		value = value * 10 + static_cast<std::uint32_t>(c - '0');
	}
	return value;
}

} /* namespace */

void Journal::Closer::operator()(sd_journal *journal) const
{
	sd_journal_close(journal);
}

Journal::Journal(const JournalSource &source) : userManagerUid_(source.userManagerUid)
{
	sd_journal *journal = nullptr;
	const int opened =
		source.directory ? sd_journal_open_directory(&journal, source.directory->c_str(), 0)
				 : sd_journal_open(&journal, SD_JOURNAL_LOCAL_ONLY);
	if (opened < 0)
		throw std::runtime_error(
			"Cannot open the journal" +
			(source.directory ? " in " + source.directory->string() : std::string()) +
			": " + std::strerror(-opened) +
			". Check the service's journal-dir setting.");
	journal_.reset(journal);
}

void Journal::filter(std::vector<std::string> units)
{
	if (units.empty())
		throw Error(ErrorCode::InvalidArgument, "No unit to read the logs of.");
	units_ = std::move(units);

	sd_journal *journal = journal_.get();
	sd_journal_flush_matches(journal);
	const std::string uid = userManagerUid_ ? std::to_string(*userManagerUid_) : std::string();
	for (const std::string &unit : units_) {
		addGroup(journal, {"_SYSTEMD_UNIT=" + unit});
		addGroup(journal, {"_PID=1", "UNIT=" + unit});
		addGroup(journal, {kCoredumpMatch, "_UID=0", "COREDUMP_UNIT=" + unit});
		if (!uid.empty()) {
			addGroup(journal, {"_UID=" + uid, "_SYSTEMD_USER_UNIT=" + unit});
			addGroup(journal, {"_UID=" + uid, "USER_UNIT=" + unit});
			addGroup(journal,
				 {kCoredumpMatch, "_UID=" + uid, "COREDUMP_USER_UNIT=" + unit});
		}
	}
}

Journal::~Journal() = default;

LogEntry Journal::entry() const
{
	JournalRecord record = this->record();
	record.entry.unit = matchedUnit(record.origin, units_, userManagerUid_);
	return std::move(record.entry);
}

JournalRecord Journal::record() const
{
	sd_journal *journal = journal_.get();
	JournalRecord record;
	LogEntry &entry = record.entry;
	EntryOrigin &origin = record.origin;

	std::uint64_t usec = 0;
	if (sd_journal_get_realtime_usec(journal, &usec) >= 0)
		entry.realtimeUsec = usec;
	char *cursor = nullptr;
	if (sd_journal_get_cursor(journal, &cursor) >= 0) {
		entry.cursor = cursor;
		free(cursor);
	}

	/*
	 * One pass over the entry's fields: each sd_journal_get_data() would scan them all
	 * again. A field's data may live in a buffer the next one reuses, so it is copied.
	 */
	const std::array<std::pair<std::string_view, std::string *>, 9> originFields = {{
		{"_SYSTEMD_UNIT", &origin.systemdUnit},
		{"_SYSTEMD_USER_UNIT", &origin.systemdUserUnit},
		{"UNIT", &origin.unit},
		{"USER_UNIT", &origin.userUnit},
		{"COREDUMP_UNIT", &origin.coredumpUnit},
		{"COREDUMP_USER_UNIT", &origin.coredumpUserUnit},
		{"MESSAGE_ID", &origin.messageId},
		{"_UID", &origin.uid},
		{"_PID", &origin.pid},
	}};
	std::string priority, identifier, command;
	const void *data;
	size_t length;
	SD_JOURNAL_FOREACH_DATA(journal, data, length)
	{
		const std::string_view item(static_cast<const char *>(data), length);
		const std::size_t equals = item.find('=');
		if (equals == std::string_view::npos)
			continue;
		const std::string_view name = item.substr(0, equals);
		const std::string_view value = item.substr(equals + 1);
		if (name == "MESSAGE")
			entry.message = validUtf8(value);
		else if (name == "PRIORITY")
			priority = value;
		else if (name == "SYSLOG_IDENTIFIER")
			identifier = validUtf8(value);
		else if (name == "_COMM")
			command = validUtf8(value);
		for (const auto &[field, target] : originFields) {
			if (name == field)
				*target = value;
		}
	}

	entry.priority = number(priority, 6);
	entry.identifier = identifier.empty() ? command : identifier;
	entry.pid = number(origin.pid, 0);
	return record;
}

void Journal::seekAfter(const std::string &cursor)
{
	sd_journal *journal = journal_.get();
	if (sd_journal_seek_cursor(journal, cursor.c_str()) < 0)
		throw Error(ErrorCode::InvalidArgument,
			    "'" + cursor +
				    "' is not a journal cursor. Pass the cursor of an entry "
				    "this service returned, or \"\" for the latest entries.");
	/*
	 * Seeking lands next to the entry. Step onto it: if it is the one, the next read is the
	 * entry after it. If it is gone (vacuumed), the entry stepped onto is the first to read:
	 * step back before it, or where nothing is left before it, to the head.
	 */
	if (sd_journal_next(journal) <= 0 || sd_journal_test_cursor(journal, cursor.c_str()) > 0)
		return;
	if (sd_journal_previous(journal) <= 0)
		sd_journal_seek_head(journal);
}

} /* namespace plinth */

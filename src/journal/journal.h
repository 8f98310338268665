/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "log_entry.h"
#include "unit_match.h"

struct sd_journal;

namespace plinth {

/* Which journal to read, and how the manager the service drives names its units there. */
struct JournalSource {
	/* Unset: the local system journal; else a directory of journal files. */
	std::optional<std::filesystem::path> directory;
	/*
	 * A user manager's units log with _SYSTEMD_USER_UNIT= and USER_UNIT=; these match only
	 * for this uid, so that no other user's unit of the same name mixes in.
	 */
	std::optional<uid_t> userManagerUid;
};

/* An entry as read, before anyone decided which unit it is about. */
struct JournalRecord {
	LogEntry entry;
	EntryOrigin origin;
};

/*
 * An open journal, filtered to some units as `journalctl -u` filters: each unit's own lines
 * (_SYSTEMD_UNIT=), systemd's messages about it (UNIT= from PID 1), its core dumps, and for a
 * user manager the same under the user fields. Blocking file I/O: not for the event loop,
 * except where a caller has measured a step small enough. One thread at a time.
 */
class Journal
{
public:
	/* Throws std::runtime_error when the journal cannot be opened. */
	explicit Journal(const JournalSource &source);
	~Journal();
	Journal(const Journal &) = delete;
	Journal &operator=(const Journal &) = delete;

	sd_journal *get() const { return journal_.get(); }

	/* Shows only these units' entries from now on; throws InvalidArgument for none. */
	void filter(std::vector<std::string> units);

	/* The entry the journal points at; the unit is one of the filtered units. */
	LogEntry entry() const;
	/* The entry the journal points at, its unit left empty; for an unfiltered journal. */
	JournalRecord record() const;

	/* Throws plinth::Error InvalidArgument for a cursor the journal cannot parse. */
	void seekAfter(const std::string &cursor);

private:
	struct Closer {
		void operator()(sd_journal *journal) const;
	};

	std::unique_ptr<sd_journal, Closer> journal_;
	std::optional<uid_t> userManagerUid_;
	std::vector<std::string> units_;
};

} /* namespace plinth */

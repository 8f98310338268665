/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

namespace plinth {

/* The fields of a journal entry that say which unit it is about and who logged it. */
struct EntryOrigin {
	std::string systemdUnit = {};	  /* _SYSTEMD_UNIT */
	std::string systemdUserUnit = {}; /* _SYSTEMD_USER_UNIT */
	std::string unit = {};		  /* UNIT, from PID 1 */
	std::string userUnit = {};	  /* USER_UNIT, from a user manager */
	std::string coredumpUnit = {};
	std::string coredumpUserUnit = {};
	std::string messageId = {};
	std::string uid = {}; /* _UID */
	std::string pid = {}; /* _PID */
};

/*
 * Which of units the entry is about, by the same rules as Journal::filter()'s matches
 * (`journalctl -u`), or "" for none of them. The shared follow journal reads every entry and
 * sorts it out with this; a query journal lets sd-journal match, and names the unit with it.
 */
std::string matchedUnit(const EntryOrigin &origin, const std::vector<std::string> &units,
			std::optional<uid_t> userManagerUid);

/* What systemd-coredump logs a dump with. */
inline constexpr const char *kCoredumpMessageId = "fc2e22bc6ee647b6b90729ab34a250b1";

} /* namespace plinth */

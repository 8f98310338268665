/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "unit_match.h"

#include <algorithm>

namespace plinth {

namespace {

bool about(const std::string &field, const std::string &unit)
{
	return !field.empty() && field == unit;
}

bool matches(const EntryOrigin &origin, const std::string &unit, const std::string &uid)
{
	const bool coredump = origin.messageId == kCoredumpMessageId;
	if (about(origin.systemdUnit, unit) || (origin.pid == "1" && about(origin.unit, unit)) ||
	    (coredump && origin.uid == "0" && about(origin.coredumpUnit, unit)))
		return true;
	if (uid.empty() || origin.uid != uid)
		return false;
	return about(origin.systemdUserUnit, unit) || about(origin.userUnit, unit) ||
	       (coredump && about(origin.coredumpUserUnit, unit));
}

} /* namespace */

std::string matchedUnit(const EntryOrigin &origin, const std::vector<std::string> &units,
			std::optional<uid_t> userManagerUid)
{
	const std::string uid = userManagerUid ? std::to_string(*userManagerUid) : std::string();
	const auto found = std::find_if(units.begin(), units.end(), [&](const std::string &unit) {
		return matches(origin, unit, uid);
	});
	return found == units.end() ? std::string() : *found;
}

} /* namespace plinth */

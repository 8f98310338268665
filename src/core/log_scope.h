/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "registry.h"

namespace plinth {

/* Units one read-logs check opens, and the details polkit sees for them. */
struct LogGrant {
	std::map<std::string, std::string> details;
	std::vector<std::string> units;
};

/*
 * Whose journal a call reads. A unit is an app's own when Registry::ownerOf names the app;
 * every other unit an app declares is shared: other apps' work passes through it, so its
 * journal is theirs too. Every check says which it is ("shared" = "true" or "false"), so a
 * rule can grant an app's own units and refuse its shared ones.
 */
struct LogScope {
	/* The check the call needs: refused, the call is refused. */
	LogGrant needed;
	/* Units read as well when their own check passes without asking the caller anything. */
	std::optional<LogGrant> extra;
};

/*
 * One managed unit (its full name): details "unit", "shared", and "app" naming its owner
 * when it has one.
 */
LogScope unitLogScope(const Registry &registry, const std::string &unit);

/*
 * Every unit app (one of registry's) declares, aliases included: details "app" and
 * "shared" = "false" for its own units, then "shared" = "true" for its shared ones as the
 * extra, so that a grant of the app's own units reads those alone. An app that owns no unit
 * needs the check of its shared ones.
 */
LogScope appLogScope(const Registry &registry, const App &app);

} /* namespace plinth */

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <string_view>

#include "lease_records.h"
#include "plan.h"
#include "status.h"

namespace plinth {

/*
 * What the first lease on a unit that does not run changes: it enables the unit where it is
 * not enabled, for the runtime only (its links live under /run and go with the next boot,
 * and an enable for good made by anyone else stays apart from them), then starts it.
 */
Plan planLeaseStart(std::string_view unit, const StatusQueries &status);

/*
 * Whether an enabled app has unit as its Daemon or SharedDaemon, and so wants it running. An
 * app whose Daemon is enabled only by the leases' own links (ownLinks: the unit-file state
 * is still the enabled-runtime they made) does not count.
 */
bool isWantedByEnabledApp(std::string_view unit, const StatusQueries &status, bool ownLinks);

/*
 * What the end of the last lease on unit undoes: only what is still the leases' own.
 * - Their links: a runtime disable, which removes the links under /run and nothing else, so
 *   an enable for good made by anyone (EnableApp, EnableUnit, `systemctl enable`), before or
 *   while the leases were held, stays.
 * - Their start: the unit is stopped unless an enabled app wants it running now and none did
 *   when the first lease started (EnableApp, or an admin's enable of an app's daemon, while
 *   the leases were held). A start of a unit that runs already changes nothing systemd
 *   records, so someone else's `systemctl start` meanwhile does not count.
 */
Plan planLeaseEnd(std::string_view unit, const LeaseChanges &changes, const StatusQueries &status);

} /* namespace plinth */

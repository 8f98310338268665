/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <map>
#include <string>

#include "app_health.h"
#include "health_monitor.h"

namespace plinth {

/*
 * Writes each change of an app's health to the journal as one structured entry: its own
 * MESSAGE_ID (kHealthChangedMessageId, explained by the shipped catalog, so journalctl -x
 * says what to do), PLINTH_APP, PLINTH_HEALTH, PLINTH_PREVIOUS_HEALTH and a PLINTH_CHECK
 * field per check that counts against it. The health an app starts with when the service
 * starts is no change and is not written.
 */
class HealthJournal
{
public:
	static constexpr const char *kHealthChangedMessageId = "16a09d725b694083879ea8bd2d01d587";

	explicit HealthJournal(HealthMonitor &health);

private:
	void changed(const std::string &app);

	HealthMonitor &health_;
	std::map<std::string, HealthState, std::less<>> states_;
	HealthMonitor::AppListeners::Subscription subscription_;
};

} /* namespace plinth */

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "health_journal.h"

#include <spdlog/spdlog.h>
#include <sys/uio.h>
#include <syslog.h>

#include <cstring>
#include <utility>
#include <vector>

#include <systemd/sd-journal.h>

namespace plinth {

namespace {

int priorityOf(HealthState state)
{
	switch (state) {
	case HealthState::Failed:
		return LOG_ERR;
	case HealthState::Degraded:
		return LOG_WARNING;
	default:
		return LOG_INFO;
	}
}

std::string messageOf(const std::string &app, HealthState before, const AppHealth &health)
{
	std::string message = "App '" + app + "' is " + std::string(healthStateName(health.state)) +
			      ", was " + std::string(healthStateName(before));
	std::string reasons;
	for (const HealthCheck &issue : health.issues) {
		if (issue.result == kIgnoredResult)
			continue;
		reasons += (reasons.empty() ? "" : "; ") + issue.message + ": " + issue.result;
	}
	return reasons.empty() ? message : message + " (" + reasons + ")";
}

} /* namespace */

HealthJournal::HealthJournal(HealthMonitor &health) : health_(health)
{
	subscription_ =
		health_.onAppHealthChanged([this](const std::string &app) { changed(app); });
}

void HealthJournal::changed(const std::string &app)
{
	const AppHealth &health = health_.health(app);
	const auto [it, first] = states_.try_emplace(app, health.state);
	if (first || it->second == health.state)
		return;
	const HealthState before = std::exchange(it->second, health.state);

	std::vector<std::string> fields{
		"MESSAGE=" + messageOf(app, before, health),
		std::string("MESSAGE_ID=") + kHealthChangedMessageId,
		"PRIORITY=" + std::to_string(priorityOf(health.state)),
		"PLINTH_APP=" + app,
		"PLINTH_HEALTH=" + std::string(healthStateName(health.state)),
		"PLINTH_PREVIOUS_HEALTH=" + std::string(healthStateName(before)),
	};
	for (const HealthCheck &issue : health.issues)
		if (issue.result != kIgnoredResult)
			fields.push_back("PLINTH_CHECK=" + issue.checkId);

	std::vector<iovec> entry;
	entry.reserve(fields.size());
	for (std::string &field : fields)
		entry.push_back({field.data(), field.size()});
	const int r = sd_journal_sendv(entry.data(), static_cast<int>(entry.size()));
	if (r < 0)
		spdlog::warn("cannot write the health change of app '{}' to the journal: {}", app,
			     std::strerror(-r));
}

} /* namespace plinth */

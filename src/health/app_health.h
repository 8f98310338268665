/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace plinth {

/* An app's health, with the names the bus gives it. */
enum class HealthState {
	/* Enabled, its daemons run, and no check has been made yet. */
	Unknown,
	Ok,
	/* Its daemons run, but a port or connect check did not pass. */
	Degraded,
	/* A daemon of the enabled app failed or does not run. */
	Failed,
	/* The app is not enabled: nothing is expected of it. */
	Disabled,
};

/* "unknown", "ok", "degraded", "failed", "disabled" */
std::string_view healthStateName(HealthState state);

/* One check as health weighs it. */
struct HealthCheck {
	std::string checkId;
	/* As the bus names results: passed, failed, error, warning, not_done, skipped. */
	std::string result;
	/* Translated, parameters filled in. */
	std::string message;

	bool operator==(const HealthCheck &) const = default;
};

/* The last diagnosis of one app: when it ended and every check it made. */
struct DiagnosisRecord {
	/* Microseconds since the epoch. */
	std::uint64_t time = 0;
	std::vector<HealthCheck> checks;

	bool operator==(const DiagnosisRecord &) const = default;
};

struct AppHealth {
	HealthState state = HealthState::Unknown;
	/* The checks that did not pass; an ignored one has the result "ignored". */
	std::vector<HealthCheck> issues;
	/* The last diagnosis' time, 0 if there was none. */
	std::uint64_t lastDiagnosed = 0;

	bool operator==(const AppHealth &) const = default;
};

/* The result an ignored check is shown with among the issues. */
constexpr std::string_view kIgnoredResult = "ignored";

/* Whether a check of this id is a daemon's running check (daemon-running-<unit>). */
bool isRunningCheck(std::string_view checkId);

/*
 * An app's health from what is known of it now.
 * - enabled: whether the app is enabled; a disabled app is Disabled, whatever its checks say.
 * - runningChecks: one running check per Daemon and SharedDaemon, made from systemd's states
 *   now. They always replace the running checks of the last diagnosis, which are older.
 * - last: the last diagnosis, or nullptr if the app was never diagnosed.
 * - ignored: the check ids an admin said not to count.
 *
 * A check counts against health when its result is failed, error or warning and it is not
 * ignored. A running check that counts makes the app Failed; any other makes it Degraded.
 * The units' part needs no diagnosis: before the first one, a daemon that is down makes
 * the app Failed at once, while daemons that run leave it Unknown until ports and connect
 * checks have been made.
 */
AppHealth assessHealth(bool enabled, const std::vector<HealthCheck> &runningChecks,
		       const DiagnosisRecord *last,
		       const std::set<std::string, std::less<>> &ignored);

/*
 * Failed or Degraded: the app is among the manager's AppsNeedingAttention, and the service's
 * Health is degraded, as systemctl is-system-running says of failed units.
 */
bool needsAttention(HealthState state);

} /* namespace plinth */

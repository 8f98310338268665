/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * The description templates of the diagnostic checks. They travel over D-Bus untranslated, with
 * their parameters, so that a client can translate them into its own user's language; the
 * service fills them in and translates them into its own locale for the `message` field.
 * Keep the {placeholders} exactly as they are: both sides substitute them by name.
 */

/*
 * Marks a string for xgettext (`--keyword=PLINTH_N_`) without translating it here: the
 * templates must stay untranslated until their parameters are known.
 */
#define PLINTH_N_(text) text

namespace plinth {

constexpr const char *kDiagnosticServiceRunning = PLINTH_N_("Service {service_name} is running");
/* The reason a running check failed because systemd knows no unit of that name. */
constexpr const char *kDiagnosticUnitNotFound = PLINTH_N_("the unit does not exist");
constexpr const char *kDiagnosticListening = PLINTH_N_("Listening on {kind} port {port}");
constexpr const char *kDiagnosticListeningAddress =
	PLINTH_N_("Listening on {kind} port {listen_address}:{port}");
constexpr const char *kDiagnosticConnect = PLINTH_N_("Connect to {host}:{port}");
constexpr const char *kDiagnosticCannotConnect = PLINTH_N_("Cannot connect to {host}:{port}");

} /* namespace plinth */

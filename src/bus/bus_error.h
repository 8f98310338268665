/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <exception>
#include <string>

#include <sdbus-c++/Error.h>

namespace plinth {

/*
 * The one place where failures become D-Bus errors: a plinth::Error becomes
 * org.freedesktop.Plinth.Daemons.Error.<Name>, an sdbus::Error passes through, anything else
 * is org.freedesktop.DBus.Error.Failed with its message.
 */
sdbus::Error toBusError(std::exception_ptr error);

/*
 * SystemdUnavailable for a property of an App or Unit object read before systemd has told
 * the states: refused rather than answered with a default that may be false.
 */
sdbus::Error stateNotKnownYet(const std::string &objectPath);

} /* namespace plinth */

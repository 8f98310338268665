/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <exception>

#include <sdbus-c++/Error.h>

namespace plinth {

/*
 * The one place where failures become D-Bus errors: a plinth::Error becomes
 * org.freedesktop.Plinth.Daemons.Error.<Name>, an sdbus::Error passes through, anything else
 * is org.freedesktop.DBus.Error.Failed with its message.
 */
sdbus::Error toBusError(std::exception_ptr error);

} /* namespace plinth */

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "exit_code.h"

#include <array>
#include <utility>

#include "lookup.h"

namespace plinth {

namespace {

constexpr std::array<std::pair<std::string_view, ExitCode>, 7> kErrorExitCodes = {{
	{"org.freedesktop.Plinth.Daemons.Error.NoSuchApp", ExitNotFound},
	{"org.freedesktop.Plinth.Daemons.Error.NoSuchComponent", ExitNotFound},
	{"org.freedesktop.Plinth.Daemons.Error.NotManaged", ExitNotFound},
	{"org.freedesktop.Plinth.Daemons.Error.InvalidUnitName", ExitNotFound},
	{"org.freedesktop.Plinth.Daemons.Error.NotAuthorized", ExitNotAuthorized},
	/* What the bus itself answers when its policy or interactive authorization refuses. */
	{"org.freedesktop.DBus.Error.AccessDenied", ExitNotAuthorized},
	{"org.freedesktop.DBus.Error.InteractiveAuthorizationRequired", ExitNotAuthorized},
}};

} /* namespace */

ExitCode exitCodeForError(std::string_view errorName)
{
	return lookup(kErrorExitCodes, errorName, ExitFailure);
}

} /* namespace plinth */

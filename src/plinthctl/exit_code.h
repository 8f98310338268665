/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <string_view>

namespace plinth {

/* plinthctl's exit statuses, chosen to read like systemctl's to scripts. */
enum ExitCode : int {
	ExitSuccess = 0,
	ExitFailure = 1,
	ExitUsage = 2,
	/* is-enabled / is-running answered "no". */
	ExitNotInState = 3,
	/* No such app or component, an invalid unit name, or a unit no app declares. */
	ExitNotFound = 4,
	ExitNotAuthorized = 5,
};

/* The exit status a D-Bus error reply of that name stands for. */
ExitCode exitCodeForError(std::string_view errorName);

} /* namespace plinth */

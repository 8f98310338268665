/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

namespace plinth {

struct Options;

/*
 * Runs the D-Bus service until SIGTERM or SIGINT: loads the definitions, caches systemd's
 * view of the managed units, exports the object, and only then owns the bus name. Returns
 * the process exit code.
 */
int runService(const Options &options);

} /* namespace plinth */

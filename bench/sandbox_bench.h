/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>

#include "systemd_sandbox.h"

namespace plinth::bench {

/*
 * The [runs] argument of a bench on the systemd sandbox. Exits 2 for a bad one, and 77, what
 * meson counts as skipped, saying why, when no sandbox can run here.
 */
inline int sandboxBenchRuns(int argc, char **argv, int defaultRuns)
{
	const int runs = argc > 1 ? std::atoi(argv[1]) : defaultRuns;
	if (runs < 1) {
		std::fprintf(stderr, "usage: %s [runs >= 1]\n", argv[0]);
		std::exit(2);
	}
	const std::string unavailable = test::SystemdSandbox::unavailableReason();
	if (!unavailable.empty()) {
		std::fprintf(stderr, "skipped: %s\n", unavailable.c_str());
		std::exit(77);
	}
	return runs;
}

} /* namespace plinth::bench */

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <cstdlib>

namespace plinth {

/* A broken invariant is a crash, which libFuzzer reports with the input that caused it. */
inline void require(bool condition)
{
	if (!condition)
		std::abort();
}

} /* namespace plinth */

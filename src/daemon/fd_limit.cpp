/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "fd_limit.h"

#include <spdlog/spdlog.h>
#include <sys/resource.h>

#include <cerrno>
#include <cstring>

namespace plinth {

void raiseFdLimit()
{
	struct rlimit limit {
	};
	if (::getrlimit(RLIMIT_NOFILE, &limit) < 0 || limit.rlim_cur >= limit.rlim_max)
		return;
	const rlim_t soft = limit.rlim_cur;
	limit.rlim_cur = limit.rlim_max;
	if (::setrlimit(RLIMIT_NOFILE, &limit) < 0)
		spdlog::warn("cannot raise the limit on open files from {} to {}: {}", soft,
			     limit.rlim_max, std::strerror(errno));
	else
		spdlog::debug("limit on open files raised from {} to {}", soft, limit.rlim_max);
}

} /* namespace plinth */

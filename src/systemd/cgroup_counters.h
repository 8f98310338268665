/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace plinth {

/*
 * The figures systemd reports as MemoryCurrent, CPUUsageNSec and TasksCurrent. It sends no
 * signal when they change: it reads them from the unit's control group each time it is asked,
 * and so can anyone else.
 */
enum class CgroupCounter {
	MemoryCurrent,
	CPUUsageNSec,
	TasksCurrent,
};

/*
 * The counter as systemd 252 reads it from the files of controlGroup (a path under the cgroup
 * hierarchy's root, as the unit's ControlGroup property gives it), on the unified hierarchy or
 * on the legacy one; nothing when the files cannot be read.
 */
std::optional<std::uint64_t> readCgroupCounter(CgroupCounter counter,
					       const std::string &controlGroup);

} /* namespace plinth */

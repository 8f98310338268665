/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <spdlog/common.h>

namespace plinth {

/*
 * Logs to the journal, with priorities, when systemd connected our output to it
 * (JOURNAL_STREAM is set); otherwise to stderr.
 */
void setUpLogging(spdlog::level::level_enum level);

} /* namespace plinth */

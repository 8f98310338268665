/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <string>

#include "style.h"
#include "table.h"

namespace plinth {

/* The yes/no cells of the ENABLED and RUNNING columns, coloured so a problem stands out. */
Cell enabledCell(bool enabled);
/* A stopped daemon is a problem only when it should run. */
Cell runningCell(bool running, bool enabled);

/* "enabled, running", "disabled, not running", ... coloured as the cells are. */
std::string stateSummary(bool enabled, bool running, const Style &style);

} /* namespace plinth */

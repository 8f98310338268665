/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <string>
#include <vector>

#include "model.h"
#include "style.h"

namespace plinth {

/* Whether health is failed or degraded: what plinthctl health exits 3 for. */
bool needsAttention(const AppHealthInfo &app);

/* "failed, checked 2026-12-06 04:30:00 UTC", then an indented line per issue. */
std::string healthSummary(const AppHealthInfo &app, const Style &style);

/*
 * "web: failed, checked 2026-12-06 04:30:00 UTC" and an indented line per issue; a line for
 * each app in order.
 */
std::string healthText(const std::vector<AppHealthInfo> &apps, const Style &style);
/* {"apps":[{"id","health","last_diagnosed","issues":[{"check_id","result","message"}]}]} */
std::string healthJson(const std::vector<AppHealthInfo> &apps);

} /* namespace plinth */

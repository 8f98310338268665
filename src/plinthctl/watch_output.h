/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <string>

#include "style.h"

namespace plinth {

/*
 * One line per signal watch prints; as JSON, one object per line:
 * {"signal":"AppStateChanged","app","enabled","running"},
 * {"signal":"UnitStateChanged","unit","active_state","sub_state"}, {"signal":"AppsReloaded"}.
 */
std::string appStateChangedLine(const std::string &app, bool enabled, bool running, bool json,
				const Style &style);
std::string unitStateChangedLine(const std::string &unit, const std::string &activeState,
				 const std::string &subState, bool json, const Style &style);
std::string appsReloadedLine(bool json);

} /* namespace plinth */

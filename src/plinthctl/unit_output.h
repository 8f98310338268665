/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "model.h"
#include "style.h"

namespace plinth {

/* units: one row per managed unit and the component that declares it. */
std::string managedUnitsText(const std::vector<ManagedUnit> &units, const Style &style);
/* {"units":[{"unit","app","component","enabled","running"}]} */
std::string managedUnitsJson(const std::vector<ManagedUnit> &units);

/* The unit verbs' JSON: each unit's state after the action.
 * {"units":[{"unit","enabled","running"}]} */
std::string unitStatesJson(const std::vector<UnitState> &units);

/* One answer of is-enabled or is-running. */
struct StateAnswer {
	std::string name;
	bool isUnit = false;
	bool yes = false;
};

/* One word per line, as systemctl is-enabled prints. */
std::string stateAnswersText(const std::vector<StateAnswer> &answers, std::string_view yesWord,
			     std::string_view noWord);
/* {"results":[{"name","type":"app"|"unit",KEY:bool}]} */
std::string stateAnswersJson(const std::vector<StateAnswer> &answers, std::string_view key);

} /* namespace plinth */

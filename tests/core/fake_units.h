/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "unit_state.h"

namespace plinth {

/* A unit-state view the test writes directly: the decisions never see systemd here. */
class FakeUnits : public UnitStateView
{
public:
	const UnitState &unitState(std::string_view unit) const override
	{
		static const UnitState kUnknown;
		const auto it = states_.find(unit);
		return it == states_.end() ? kUnknown : it->second;
	}

	void setLoadState(const std::string &unit, std::string state)
	{
		states_[unit].loadState = std::move(state);
	}
	void setFileState(const std::string &unit, std::string state)
	{
		states_[unit].unitFileState = std::move(state);
	}
	void setActiveState(const std::string &unit, std::string state)
	{
		states_[unit].activeState = std::move(state);
	}

private:
	std::map<std::string, UnitState, std::less<>> states_;
};

} /* namespace plinth */

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "unit_cache.h"

#include <algorithm>

namespace plinth {

const UnitState &UnitCache::unitState(std::string_view unit) const
{
	static const UnitState unknown;
	const auto it = entries_.find(unit);
	return it == entries_.end() ? unknown : it->second.state;
}

void UnitCache::setTracked(const std::vector<std::string> &units)
{
	std::erase_if(entries_, [&](const auto &entry) {
		return std::find(units.begin(), units.end(), entry.first) == units.end();
	});
	for (const std::string &unit : units)
		entries_.try_emplace(unit);
}

bool UnitCache::isTracked(std::string_view unit) const
{
	return entries_.contains(unit);
}

std::vector<std::string> UnitCache::trackedUnits() const
{
	std::vector<std::string> units;
	for (const auto &[unit, entry] : entries_)
		units.push_back(unit);
	return units;
}

void UnitCache::setObjectPath(const std::string &unit, const std::string &path)
{
	const auto it = entries_.find(unit);
	if (it != entries_.end())
		it->second.path = path;
}

std::vector<std::string> UnitCache::unitsAt(std::string_view path) const
{
	std::vector<std::string> units;
	for (const auto &[unit, entry] : entries_) {
		if (entry.path == path)
			units.push_back(unit);
	}
	return units;
}

bool UnitCache::setActiveState(const std::string &unit, const std::string &loadState,
			       const std::string &activeState, const std::string &subState)
{
	UnitState state = unitState(unit);
	state.loadState = loadState;
	state.activeState = activeState;
	state.subState = subState;
	return store(unit, state);
}

bool UnitCache::setUnitFileState(const std::string &unit, const std::string &unitFileState)
{
	UnitState state = unitState(unit);
	state.unitFileState = unitFileState;
	return store(unit, state);
}

bool UnitCache::store(const std::string &unit, const UnitState &state)
{
	const auto it = entries_.find(unit);
	if (it == entries_.end() || it->second.state == state)
		return false;
	it->second.state = state;
	return true;
}

} /* namespace plinth */

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "unit_cache.h"

#include <algorithm>
#include <charconv>
#include <set>

namespace plinth {

const UnitState &UnitCache::unitState(std::string_view unit) const
{
	static const UnitState unknown;
	const auto it = entries_.find(unit);
	return it == entries_.end() ? unknown : it->second.state;
}

void UnitCache::setTracked(const std::vector<std::string> &units)
{
	const std::set<std::string_view> keep(units.begin(), units.end());
	for (auto it = entries_.begin(); it != entries_.end();) {
		if (keep.contains(it->first)) {
			++it;
			continue;
		}
		forgetPath(it->first, it->second.path);
		it = entries_.erase(it);
	}
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
	if (it == entries_.end() || it->second.path == path)
		return;
	forgetPath(unit, it->second.path);
	it->second.path = path;
	namesAt_.emplace(path, unit);
}

void UnitCache::forgetPath(const std::string &unit, const std::string &path)
{
	const auto [first, last] = namesAt_.equal_range(path);
	for (auto it = first; it != last; ++it) {
		if (it->second == unit) {
			namesAt_.erase(it);
			return;
		}
	}
}

std::vector<std::string> UnitCache::unitsAt(std::string_view path) const
{
	std::vector<std::string> units;
	const auto [first, last] = namesAt_.equal_range(path);
	for (auto it = first; it != last; ++it)
		units.push_back(it->second);
	std::sort(units.begin(), units.end());
	return units;
}

namespace {

constexpr std::string_view kUnitPathPrefix = "/org/freedesktop/systemd1/unit/";

/* The reverse of sd-bus's object path label escaping: "_2d" is '-', "_2e" is '.'. */
std::string unescapeLabel(std::string_view label)
{
	std::string text;
	for (std::size_t i = 0; i < label.size(); i++) {
		unsigned char byte = 0;
		if (label[i] == '_' && i + 2 < label.size() &&
		    std::from_chars(label.data() + i + 1, label.data() + i + 3, byte, 16).ptr ==
			    label.data() + i + 3) {
			text.push_back(static_cast<char>(byte));
			i += 2;
		} else {
			text.push_back(label[i]);
		}
	}
	return text;
}

} /* namespace */

std::string UnitCache::primaryName(const std::string &unit) const
{
	const auto it = entries_.find(unit);
	if (it == entries_.end() || !it->second.path.starts_with(kUnitPathPrefix))
		return unit;
	return unescapeLabel(std::string_view(it->second.path).substr(kUnitPathPrefix.size()));
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

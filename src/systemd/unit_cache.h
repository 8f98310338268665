/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "unit_state.h"

namespace plinth {

/*
 * The last known state of each tracked unit name, and the manager object each name resolves
 * to. An alias and its unit share one object but keep their own unit-file states.
 */
class UnitCache : public UnitStateView
{
public:
	const UnitState &unitState(std::string_view unit) const override;

	/* Tracks exactly these names; the others are forgotten. */
	void setTracked(const std::vector<std::string> &units);
	bool isTracked(std::string_view unit) const;
	std::vector<std::string> trackedUnits() const;

	void setObjectPath(const std::string &unit, const std::string &path);
	/* The tracked names that resolved to this object. */
	std::vector<std::string> unitsAt(std::string_view path) const;
	/*
	 * The id of the unit this name resolved to when last read (the manager names a unit's
	 * object after its id, so an alias leads to its unit's); the name itself before that.
	 */
	std::string primaryName(const std::string &unit) const;

	/* Each returns whether the cached state changed; untracked names are ignored. */
	bool setActiveState(const std::string &unit, const std::string &loadState,
			    const std::string &activeState, const std::string &subState);
	bool setUnitFileState(const std::string &unit, const std::string &unitFileState);

private:
	struct Entry {
		std::string path;
		UnitState state;
	};

	bool store(const std::string &unit, const UnitState &state);
	void forgetPath(const std::string &unit, const std::string &path);

	std::map<std::string, Entry, std::less<>> entries_;
	/* The tracked names by the object they resolved to: signals come by object. */
	std::multimap<std::string, std::string, std::less<>> namesAt_;
};

} /* namespace plinth */

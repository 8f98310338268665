/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include <sdbus-c++/sdbus-c++.h>

#include "manager.h"
#include "unit_cache.h"

namespace plinth {

/* The unit name a unit file or link stands for: its file name. */
std::string unitOfFile(const std::string &path);

/*
 * Asks the manager for the states of given unit names and stores the answers in the cache:
 * in batches where systemd allows, one name at a time where it refuses a batch, never more
 * than the bus lets one connection await at once. Each read's done gets the first error; the
 * names that were answered are stored all the same.
 */
class UnitReader
{
public:
	using Changed = std::function<void(const std::string &unit)>;
	using Properties = std::map<std::string, sdbus::Variant>;

	/* changed runs for every name whose cached state an answer changed. */
	UnitReader(Manager &manager, UnitCache &cache, Changed changed);

	/* LoadState, ActiveState and SubState (loading the units as LoadUnit does). */
	void readActiveStates(const std::vector<std::string> &units, Completion done);
	/* The unit-file state of each very name, as GetUnitFileState gives it. */
	void readUnitFileStates(const std::vector<std::string> &units, Completion done);
	/* Every name resolving to this unit object. */
	void readObject(const std::string &path, Completion done);
	void applyProperties(const std::string &path, const Properties &properties);

private:
	void listUnits(const std::vector<std::string> &units, Completion done);
	void loadUnit(const std::string &unit, Completion done);
	void listUnitFiles(const std::vector<std::string> &units, Completion done);
	void readUnitFileState(const std::string &unit, Completion done);

	Manager &manager_;
	UnitCache &cache_;
	Changed changed_;
};

} /* namespace plinth */

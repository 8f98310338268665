/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <map>
#include <string>
#include <vector>

#include <sdbus-c++/sdbus-c++.h>

namespace plinth {

/*
 * The bodies of the systemd signals the service reads. Each reader throws sdbus::Error on a
 * body of other types or too few arguments, which the signal gate turns into a dropped signal.
 */

struct JobRemoved {
	std::string path;
	std::string result;
};

struct PropertiesChanged {
	std::string interface;
	std::map<std::string, sdbus::Variant> changed;
	std::vector<std::string> invalidated;
};

JobRemoved readJobRemoved(sdbus::Message &signal);
/* Reloading's argument: true when the reload starts, false when it has ended. */
bool readReloadingStarts(sdbus::Message &signal);
/* UnitRemoved's unit object path. */
std::string readUnitRemovedPath(sdbus::Message &signal);
PropertiesChanged readPropertiesChanged(sdbus::Message &signal);

} /* namespace plinth */

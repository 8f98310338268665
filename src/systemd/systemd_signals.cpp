/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "systemd_signals.h"

#include <cstdint>

#include "signal_checks.h"

namespace plinth {

JobRemoved readJobRemoved(sdbus::Message &signal)
{
	std::uint32_t id = 0;
	sdbus::ObjectPath path;
	std::string unit, result;
	readWhole(signal, id, path, unit, result);
	return {path, result};
}

bool readReloadingStarts(sdbus::Message &signal)
{
	bool starting = false;
	readWhole(signal, starting);
	return starting;
}

std::string readUnitRemovedPath(sdbus::Message &signal)
{
	std::string id;
	sdbus::ObjectPath path;
	readWhole(signal, id, path);
	return path;
}

PropertiesChanged readPropertiesChanged(sdbus::Message &signal)
{
	PropertiesChanged body;
	readWhole(signal, body.interface, body.changed, body.invalidated);
	return body;
}

} /* namespace plinth */

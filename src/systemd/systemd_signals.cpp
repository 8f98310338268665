/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "systemd_signals.h"

#include <cstdint>

#include "signal_checks.h"

namespace plinth {

JobRemoved readJobRemoved(sdbus::Message &signal)
{
	std::uint32_t id;
	sdbus::ObjectPath path;
	std::string unit, result;
	signal >> id >> path >> unit >> result;
	requireWhole(signal);
	return {path, result};
}

bool readReloadingStarts(sdbus::Message &signal)
{
	bool starting;
	signal >> starting;
	requireWhole(signal);
	return starting;
}

std::string readUnitRemovedPath(sdbus::Message &signal)
{
	std::string id;
	sdbus::ObjectPath path;
	signal >> id >> path;
	requireWhole(signal);
	return path;
}

PropertiesChanged readPropertiesChanged(sdbus::Message &signal)
{
	PropertiesChanged body;
	signal >> body.interface >> body.changed >> body.invalidated;
	requireWhole(signal);
	return body;
}

} /* namespace plinth */

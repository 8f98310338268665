/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "bus_connection.h"

namespace plinth {

std::unique_ptr<sdbus::IConnection> connectTo(const BusTarget &target)
{
	switch (target.type) {
	case BusTarget::Type::Session:
		return sdbus::createSessionBusConnection();
	case BusTarget::Type::Address:
		return sdbus::createSessionBusConnectionWithAddress(target.where);
	case BusTarget::Type::Host:
		/* sd-bus runs "ssh -xT [USER@]HOST systemd-stdio-bridge", as systemctl -H does. */
		return sdbus::createRemoteSystemBusConnection(target.where);
	case BusTarget::Type::System:
		break;
	}
	return sdbus::createSystemBusConnection();
}

} /* namespace plinth */

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "bus_error.h"

#include <spdlog/spdlog.h>

#include <string>

#include "error.h"

namespace plinth {

sdbus::Error toBusError(std::exception_ptr error)
{
	try {
		std::rethrow_exception(error);
	} catch (const Error &e) {
		/* Clients such as busctl know this one and retry with an agent. */
		if (e.code() == ErrorCode::InteractiveAuthorizationRequired)
			return sdbus::Error(
				"org.freedesktop.DBus.Error.InteractiveAuthorizationRequired",
				e.what());
		return sdbus::Error("org.freedesktop.Plinth.Daemons.Error." +
					    std::string(errorCodeName(e.code())),
				    e.what());
	} catch (const sdbus::Error &e) {
		return e;
	} catch (const std::exception &e) {
		return sdbus::Error("org.freedesktop.DBus.Error.Failed", e.what());
	} catch (...) {
		spdlog::error("a method failed with an exception of unknown type");
		return sdbus::Error("org.freedesktop.DBus.Error.Failed",
				    "Internal error; see the service's log.");
	}
}

sdbus::Error stateNotKnownYet(const std::string &objectPath)
{
	return toBusError(std::make_exception_ptr(Error(
		ErrorCode::SystemdUnavailable,
		"The states of " + objectPath +
			" are not known yet: systemd has not told them since the service "
			"started. The object manager announces the object with InterfacesAdded "
			"once they are known; the methods wait for them meanwhile.")));
}

} /* namespace plinth */

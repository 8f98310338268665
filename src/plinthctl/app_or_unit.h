/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <string>

#include <sdbus-c++/Error.h>

#include "arguments.h"
#include "service_proxy.h"

namespace plinth {

/*
 * Whether name, which the service refused as an app with error, is a managed unit written
 * without its ".service" suffix, as systemctl takes "ssh" for ssh.service.
 */
bool isBareManagedUnit(ServiceProxy &service, const std::string &name, const sdbus::Error &error);

/*
 * Asks about name as plinthctl takes it: a unit when it has a suffix or an instance
 * ("ssh.service", "getty@tty1"); otherwise an app, or, where no app has that name, a managed
 * unit of that name without its suffix. asUnit says which it was taken as. Throws the
 * service's error for the app when the name is neither.
 */
template<typename AskApp, typename AskUnit>
auto askAppOrUnit(ServiceProxy &service, const std::string &name, bool &asUnit, AskApp askApp,
		  AskUnit askUnit)
{
	asUnit = namesUnit(name);
	if (!asUnit) {
		try {
			return askApp(name);
		} catch (const sdbus::Error &error) {
			if (!isBareManagedUnit(service, name, error))
				throw;
		}
		asUnit = true;
	}
	return askUnit(name);
}

} /* namespace plinth */

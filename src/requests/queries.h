/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <string>
#include <vector>

#include "app_catalog.h"
#include "app_health.h"
#include "registry.h"
#include "request.h"
#include "task.h"

namespace plinth {

class HealthMonitor;

/*
 * What each quick query does: the apps and units the service serves, their states and their
 * health, answered from what the service holds, each body one coroutine as Requests' are. The
 * queries are open to everyone: no body asks the Authority. Knows nothing of D-Bus.
 */
class Queries
{
public:
	/* One app in the list of apps, with its states. */
	struct AppListing {
		std::string id;
		std::string name;
		bool enabled = false;
		bool running = false;
	};

	Queries(AppCatalog &apps, HealthMonitor &health) : apps_(apps), health_(health) {}
	Queries(const Queries &) = delete;
	Queries &operator=(const Queries &) = delete;

	/*
	 * The bodies that read or derive unit states answer once the service knows systemd's
	 * states (AppCatalog::statesKnown): at once, except right after start-up.
	 */
	Task<std::vector<AppListing>> listApps(Request<std::vector<AppListing>> &request);
	Task<bool> isAppEnabled(Request<bool> &request, std::string app);
	Task<bool> isAppRunning(Request<bool> &request, std::string app);
	Task<bool> isUnitEnabled(Request<bool> &request, std::string unit);
	Task<bool> isUnitRunning(Request<bool> &request, std::string unit);

	/* The app with the registry it belongs to, for its components. */
	Task<ValidApp> appComponents(Request<ValidApp> &request, std::string app);
	Task<std::vector<ManagedUnit>> managedUnits(Request<std::vector<ManagedUnit>> &request);
	Task<AppHealth> appHealth(Request<AppHealth> &request, std::string app);

private:
	AppCatalog &apps_;
	HealthMonitor &health_;
};

} /* namespace plinth */

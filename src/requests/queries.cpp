/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "queries.h"

#include "health_monitor.h"

namespace plinth {

Task<std::vector<Queries::AppListing>> Queries::listApps(Request<std::vector<AppListing>> &request)
{
	request.describe(RequestKind::Read, "list apps");
	co_await apps_.statesKnown();
	const StatusQueries status = apps_.status();
	std::vector<AppListing> listing;
	for (const App &app : apps_.registry()->apps())
		listing.push_back(
			{app.id, app.name, status.isAppEnabled(app), status.isAppRunning(app)});
	co_return listing;
}

Task<bool> Queries::isAppEnabled(Request<bool> &request, std::string app)
{
	request.describe(RequestKind::Read, "is app " + app + " enabled");
	co_await apps_.statesKnown();
	co_return apps_.status().isAppEnabled(apps_.app(app));
}

Task<bool> Queries::isAppRunning(Request<bool> &request, std::string app)
{
	request.describe(RequestKind::Read, "is app " + app + " running");
	co_await apps_.statesKnown();
	co_return apps_.status().isAppRunning(apps_.app(app));
}

Task<bool> Queries::isUnitEnabled(Request<bool> &request, std::string unit)
{
	request.describe(RequestKind::Read, "is " + unit + " enabled");
	co_await apps_.statesKnown();
	co_return apps_.status().isUnitEnabled(apps_.managedUnitName(unit));
}

Task<bool> Queries::isUnitRunning(Request<bool> &request, std::string unit)
{
	request.describe(RequestKind::Read, "is " + unit + " running");
	co_await apps_.statesKnown();
	co_return apps_.status().isUnitRunning(apps_.managedUnitName(unit));
}

Task<ValidApp> Queries::appComponents(Request<ValidApp> &request, std::string app)
{
	request.describe(RequestKind::Read, "components of app " + app);
	co_return apps_.validApp(app);
}

Task<std::vector<ManagedUnit>> Queries::managedUnits(Request<std::vector<ManagedUnit>> &request)
{
	request.describe(RequestKind::Read, "list managed units");
	co_return apps_.registry()->managedUnits();
}

Task<AppHealth> Queries::appHealth(Request<AppHealth> &request, std::string app)
{
	request.describe(RequestKind::Read, "health of app " + app);
	co_return health_.health(apps_.app(app).id);
}

} /* namespace plinth */

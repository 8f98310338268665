/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The adaptor's view of health: each app's, and the service's summary. */
#include "bus_error.h"
#include "caller.h"
#include "daemons_adaptor.h"
#include "requests.h"

namespace plinth {

void DaemonsAdaptor::GetAppHealth(
	sdbus::Result<std::string, std::vector<HealthIssueRow>, std::uint64_t> &&result,
	std::string app)
{
	try {
		const AppHealth &health = health_.health(apps_.app(app).id);
		result.returnResults(std::string(healthStateName(health.state)),
				     healthIssueRows(health.issues), health.lastDiagnosed);
	} catch (...) {
		result.returnError(toBusError(std::current_exception()));
	}
}

void DaemonsAdaptor::IgnoreCheck(sdbus::Result<> &&result, std::string app, std::string checkId)
{
	setIgnored(std::move(result), app, checkId, true);
}

void DaemonsAdaptor::UnignoreCheck(sdbus::Result<> &&result, std::string app, std::string checkId)
{
	setIgnored(std::move(result), app, checkId, false);
}

void DaemonsAdaptor::setIgnored(sdbus::Result<> &&result, const std::string &app,
				const std::string &checkId, bool ignored)
{
	requests_.change(
		std::move(result),
		{.description =
			 (ignored ? "ignore check " : "count check ") + checkId + " of app " + app,
		 .caller = currentCaller(getObject()),
		 .action = Action::IgnoreChecks,
		 .details = {{"app", app},
			     {"check", checkId},
			     {"verb", ignored ? "ignore" : "unignore"}},
		 .validate =
			 [this, app, checkId] {
				 apps_.app(app);
				 HealthMonitor::validateCheckId(checkId);
			 },
		 .change =
			 [this, app, checkId, ignored](const Caller &, Requests::Completion done) {
				 health_.setIgnored(app, checkId, ignored);
				 done(nullptr);
			 }});
}

std::string DaemonsAdaptor::Health()
{
	return std::string(healthStateName(health_.summary()));
}

std::vector<std::string> DaemonsAdaptor::AppsNeedingAttention()
{
	return health_.appsNeedingAttention();
}

} /* namespace plinth */

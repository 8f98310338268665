/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The Requests that change something: apps, units, leases, repairs, reloads, ignored checks. */
#include "requests.h"

#include "await_callback.h"
#include "health_monitor.h"
#include "unit_name.h"

namespace plinth {

Requests::Requests(AppCatalog &apps, AppChanges &changes, UnitLeases &leases,
		   FailureReport &failures, HealthMonitor &health)
	: apps_(apps), changes_(changes), leases_(leases), failures_(failures), health_(health)
{
}

Task<void> Requests::enableApp(Request<void> &request, std::string app)
{
	return changeApp(request, std::move(app), true);
}

Task<void> Requests::disableApp(Request<void> &request, std::string app)
{
	return changeApp(request, std::move(app), false);
}

Task<void> Requests::changeApp(Request<void> &request, std::string id, bool enable)
{
	const std::string verb = enable ? "enable" : "disable";
	request.describe(RequestKind::Change, verb + " app " + id);
	const ValidApp app = apps_.validApp(id);

	Authority::Details details{{"app", app->id}, {"verb", verb}};
	co_await request.authorize(Action::ManageApps, std::move(details));

	if (enable)
		co_await explained(request.caller(), changes_.changeApp(app, true),
				   app->declaredUnits());
	else
		co_await changes_.changeApp(app, false);
}

Task<void> Requests::runUnitVerb(Request<void> &request, UnitVerb verb, std::string name)
{
	const std::string verbName(unitVerbName(verb));
	request.describe(RequestKind::Change, verbName + " " + mangleUnitName(name));
	/* An undeclared unit is refused before polkit is asked and never reaches systemd. */
	const std::string unit = apps_.managedUnitName(name);

	/* polkit rules see the full name, whichever way the caller wrote it. */
	Authority::Details details{{"unit", unit}, {"verb", verbName}};
	co_await request.authorize(Action::ManageUnits, std::move(details));

	std::vector<std::string> units{unit};
	co_await explained(request.caller(), changes_.runUnitVerb(verb, unit), std::move(units));
}

Task<UnitLeases::Granted> Requests::ensureUnitRunning(Request<UnitLeases::Granted> &request,
						      std::string name)
{
	request.describe(RequestKind::Change, "ensure-running " + mangleUnitName(name));
	const std::string unit = apps_.managedUnitName(name);

	Authority::Details details{{"unit", unit}, {"verb", "ensure-running"}};
	co_await request.authorize(Action::ManageUnits, std::move(details));

	const std::string &holder = request.caller().uniqueName;
	CallerQuota::Ticket slot = leaseQuota_.takeOrBusy(
		holder, "leases held", "close the file descriptor of one you no longer need");
	co_return co_await leases_.acquire(holder, unit, std::move(slot));
}

Task<std::vector<DiagnosticCheck>>
Requests::repairApp(Request<std::vector<DiagnosticCheck>> &request, std::string app)
{
	request.describe(RequestKind::Change, "repair app " + app);
	const ValidApp valid = apps_.validApp(app);

	Authority::Details details{{"app", valid->id}, {"verb", "repair"}};
	co_await request.authorize(Action::ManageApps, std::move(details));

	co_return co_await explained(request.caller(), changes_.repairApp(valid),
				     valid->declaredUnits());
}

Task<void> Requests::reload(Request<void> &request)
{
	request.describe(RequestKind::Change, "reload the app definitions");
	Authority::Details details;
	co_await request.authorize(Action::Reload, std::move(details));

	co_await awaitCallback<void>([&](Resumer<void> resume) {
		apps_.reload([resume](const LoadResult &) { resume(); });
	});
	reloadListeners_.notify();
}

Task<void> Requests::ignoreCheck(Request<void> &request, std::string app, std::string checkId)
{
	return setIgnored(request, std::move(app), std::move(checkId), true);
}

Task<void> Requests::unignoreCheck(Request<void> &request, std::string app, std::string checkId)
{
	return setIgnored(request, std::move(app), std::move(checkId), false);
}

Task<void> Requests::setIgnored(Request<void> &request, std::string app, std::string checkId,
				bool ignored)
{
	request.describe(RequestKind::Change,
			 (ignored ? "ignore check " : "count check ") + checkId + " of app " + app);
	apps_.app(app);
	HealthMonitor::validateCheckId(checkId);

	Authority::Details details{
		{"app", app}, {"check", checkId}, {"verb", ignored ? "ignore" : "unignore"}};
	co_await request.authorize(Action::IgnoreChecks, std::move(details));

	health_.setIgnored(app, checkId, ignored);
}

} /* namespace plinth */

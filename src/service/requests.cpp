/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "requests.h"

namespace plinth {

Requests::Requests(AppManager &apps, Authority &authority) : apps_(apps), authority_(authority)
{
}

void Requests::authorizedChange(sdbus::Result<> &&result, const Caller &caller, Action action,
				Authority::Details details, Work work)
{
	auto reply = owe(std::move(result), inFlight_);
	auto finish = [reply](std::exception_ptr error) {
		if (error)
			reply->fail(error);
		else
			reply->succeed();
	};

	authority_.authorize(caller, action, std::move(details),
			     [finish, work = std::move(work)](std::exception_ptr error) {
				     if (error) {
					     finish(error);
					     return;
				     }
				     try {
					     work(finish);
				     } catch (...) {
					     finish(std::current_exception());
				     }
			     });
}

void Requests::enableApp(sdbus::Result<> &&result, const Caller &caller, const std::string &app)
{
	authorizedChange(std::move(result), caller, Action::ManageApps, {{"app", app}},
			 [this, app](Completion done) { apps_.enableApp(app, std::move(done)); });
}

void Requests::disableApp(sdbus::Result<> &&result, const Caller &caller, const std::string &app)
{
	authorizedChange(std::move(result), caller, Action::ManageApps, {{"app", app}},
			 [this, app](Completion done) { apps_.disableApp(app, std::move(done)); });
}

void Requests::runUnitVerb(sdbus::Result<> &&result, const Caller &caller, UnitVerb verb,
			   const std::string &unit)
{
	/* Refusing an undeclared unit needs no authorization and must never reach systemd. */
	try {
		apps_.checkManaged(unit);
	} catch (...) {
		result.returnError(toBusError(std::current_exception()));
		return;
	}
	authorizedChange(std::move(result), caller, Action::ManageUnits,
			 {{"unit", unit}, {"verb", std::string(unitVerbName(verb))}},
			 [this, verb, unit](Completion done) {
				 apps_.runUnitVerb(verb, unit, std::move(done));
			 });
}

void Requests::diagnoseApp(sdbus::Result<std::vector<CheckRow>> &&result, const std::string &app)
{
	auto reply = owe(std::move(result), inFlight_);
	try {
		apps_.diagnoseApp(app, [reply](const std::vector<DiagnosticCheck> &checks) {
			reply->succeed(checkRows(checks));
		});
	} catch (...) {
		reply->fail(std::current_exception());
	}
}

void Requests::diagnoseAll(sdbus::Result<std::map<std::string, std::vector<CheckRow>>> &&result)
{
	auto reply = owe(std::move(result), inFlight_);
	try {
		apps_.diagnoseAll([reply](const DiagnosisRunner::Results &results) {
			std::map<std::string, std::vector<CheckRow>> rows;
			for (const auto &[app, checks] : results)
				rows.emplace(app, checkRows(checks));
			reply->succeed(rows);
		});
	} catch (...) {
		reply->fail(std::current_exception());
	}
}

} /* namespace plinth */

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "requests.h"

#include "error.h"
#include "failure_report.h"
#include "unit_leases.h"
#include "unit_name.h"

namespace plinth {

Requests::Requests(AppManager &apps, Authority &authority, UnitLeases &leases,
		   FailureReport &failures, LogService &logs, UnitPropertyReader &properties)
	: apps_(apps), authority_(authority), leases_(leases), failures_(failures), logs_(logs),
	  properties_(properties)
{
}

void Requests::authorize(const Caller &caller, Action action, Authority::Details details,
			 Authority::Completion then)
{
	authority_.authorize(caller, action, std::move(details), std::move(then));
}

std::vector<std::string> Requests::unitsOf(const std::string &app) const
{
	return apps_.app(app).declaredUnits();
}

Requests::Completion Requests::explained(Completion done, const Caller &caller,
					 std::vector<std::string> units)
{
	return [this, caller, units = std::move(units),
		done = std::move(done)](std::exception_ptr error) {
		failures_.explain(error, caller, units, done);
	};
}

void Requests::change(sdbus::Result<> &&result, Operation::Request request)
{
	auto reply = owe(std::move(result));
	Operation::run(authority_, std::move(request), [reply](std::exception_ptr error) {
		if (error)
			reply->fail(error);
		else
			reply->succeed();
	});
}

void Requests::enableApp(sdbus::Result<> &&result, const Caller &caller, const std::string &app)
{
	appChange(std::move(result), caller, app, true);
}

void Requests::disableApp(sdbus::Result<> &&result, const Caller &caller, const std::string &app)
{
	appChange(std::move(result), caller, app, false);
}

void Requests::appChange(sdbus::Result<> &&result, const Caller &caller, const std::string &app,
			 bool enable)
{
	change(std::move(result),
	       {.description = (enable ? "enable app " : "disable app ") + app,
		.caller = caller,
		.action = Action::ManageApps,
		.details = {{"app", app}, {"verb", enable ? "enable" : "disable"}},
		.validate = [this, app] { apps_.app(app); },
		.change =
			[this, app, enable](const Caller &caller, Completion done) {
				if (enable)
					apps_.enableApp(app, explained(std::move(done), caller,
								       unitsOf(app)));
				else
					apps_.disableApp(app, std::move(done));
			}});
}

void Requests::runUnitVerb(sdbus::Result<> &&result, const Caller &caller, UnitVerb verb,
			   const std::string &name)
{
	const std::string verbName(unitVerbName(verb));
	/* polkit rules see the full name, whichever way the caller wrote it. */
	const std::string unit = mangleUnitName(name);
	/* An undeclared unit is refused before polkit is asked and never reaches systemd. */
	change(std::move(result),
	       {.description = verbName + " " + unit,
		.caller = caller,
		.action = Action::ManageUnits,
		.details = {{"unit", unit}, {"verb", verbName}},
		.validate = [this, name] { (void)apps_.managedUnitName(name); },
		.change =
			[this, verb, unit](const Caller &caller, Completion done) {
				apps_.runUnitVerb(verb, unit,
						  explained(std::move(done), caller, {unit}));
			}});
}

void Requests::ensureUnitRunning(sdbus::Result<bool, sdbus::UnixFd> &&result, const Caller &caller,
				 const std::string &name)
{
	auto reply = owe(std::move(result));
	auto granted = std::make_shared<std::pair<bool, sdbus::UnixFd>>();
	const std::string unit = mangleUnitName(name);
	Operation::run(
		authority_,
		{.description = "ensure-running " + unit,
		 .caller = caller,
		 .action = Action::ManageUnits,
		 .details = {{"unit", unit}, {"verb", "ensure-running"}},
		 .validate = [this, name] { (void)apps_.managedUnitName(name); },
		 .change =
			 [this, unit, granted](const Caller &holder, Completion done) {
				 CallerQuota::Ticket slot = leaseQuota_.takeOrBusy(
					 holder.uniqueName, "leases held",
					 "close the file descriptor of one you no longer need");
				 leases_.acquire(
					 holder.uniqueName, unit,
					 [granted, done](std::exception_ptr error, bool wasRunning,
							 int fd) {
						 if (!error)
							 *granted = {wasRunning,
								     sdbus::UnixFd(
									     fd, sdbus::adopt_fd)};
						 done(error);
					 },
					 std::move(slot));
			 }},
		[reply, granted](std::exception_ptr error) {
			if (error)
				reply->fail(error);
			else
				reply->succeed(granted->first, granted->second);
		});
}

void Requests::repairApp(sdbus::Result<std::vector<CheckRow>> &&result, const Caller &caller,
			 const std::string &app)
{
	auto reply = owe(std::move(result));
	auto checks = std::make_shared<std::vector<DiagnosticCheck>>();
	Operation::run(
		authority_,
		{.description = "repair app " + app,
		 .caller = caller,
		 .action = Action::ManageApps,
		 .details = {{"app", app}, {"verb", "repair"}},
		 .validate = [this, app] { apps_.app(app); },
		 .change =
			 [this, app, checks](const Caller &holder, Completion done) {
				 Completion fail = explained(std::move(done), holder, unitsOf(app));
				 apps_.repairApp(app,
						 [checks, fail](std::vector<DiagnosticCheck> after,
								std::exception_ptr error) {
							 *checks = std::move(after);
							 fail(error);
						 });
			 }},
		[reply, checks](std::exception_ptr error) {
			if (error)
				reply->fail(error);
			else
				reply->succeed(checkRows(*checks));
		});
}

CallerQuota::Ticket Requests::takeDiagnosisSlot(const Caller &caller)
{
	return diagnosisQuota_.takeOrBusy(caller.uniqueName, "diagnoses in flight",
					  "wait for their answers");
}

void Requests::diagnoseApp(sdbus::Result<std::vector<CheckRow>> &&result, const Caller &caller,
			   const std::string &app)
{
	auto reply = owe(std::move(result));
	try {
		apps_.diagnoseApp(app, [reply, ticket = takeDiagnosisSlot(caller)](
					       std::exception_ptr error,
					       const std::vector<DiagnosticCheck> &checks) {
			if (error)
				reply->fail(error);
			else
				reply->succeed(checkRows(checks));
		});
	} catch (...) {
		reply->fail(std::current_exception());
	}
}

void Requests::diagnoseAll(sdbus::Result<std::map<std::string, std::vector<CheckRow>>> &&result,
			   const Caller &caller)
{
	auto reply = owe(std::move(result));
	try {
		apps_.diagnoseAll(
			[reply, ticket = takeDiagnosisSlot(caller)](
				std::exception_ptr error, const DiagnosisRunner::Results &results) {
				if (error) {
					reply->fail(error);
					return;
				}
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

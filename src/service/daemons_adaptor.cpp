/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "daemons_adaptor.h"

#include <spdlog/spdlog.h>

#include "app_manager.h"
#include "bus_error.h"
#include "caller.h"
#include "config.h"
#include "unit_leases.h"
#include "unit_name.h"

namespace plinth {

namespace {

/*
 * A reply owed later. It keeps the call counted in flight, so SIGTERM waits for it, and if it
 * is dropped unanswered, say because the service stops, the caller still gets an error
 * instead of waiting for its timeout.
 */
template<typename... Results>
class PendingReply
{
public:
	PendingReply(sdbus::Result<Results...> &&result, std::shared_ptr<std::size_t> inFlight)
		: result_(std::move(result)), inFlight_(std::move(inFlight))
	{
		++*inFlight_;
	}

	~PendingReply()
	{
		if (!answered_) {
			try {
				result_.returnError(
					sdbus::Error("org.freedesktop.DBus.Error.Failed",
						     "The service stopped before it "
						     "could answer; call again."));
			} catch (...) {
				/* The bus is gone: nobody is left to answer. */
			}
		}
		--*inFlight_;
	}

	PendingReply(const PendingReply &) = delete;
	PendingReply &operator=(const PendingReply &) = delete;

	void succeed(const Results &...values)
	{
		answered_ = true;
		result_.returnResults(values...);
	}

	void fail(std::exception_ptr error)
	{
		answered_ = true;
		result_.returnError(toBusError(error));
	}

private:
	sdbus::Result<Results...> result_;
	std::shared_ptr<std::size_t> inFlight_;
	bool answered_ = false;
};

template<typename... Results>
std::shared_ptr<PendingReply<Results...>> owe(sdbus::Result<Results...> &&result,
					      std::shared_ptr<std::size_t> inFlight)
{
	return std::make_shared<PendingReply<Results...>>(std::move(result), std::move(inFlight));
}

sdbus::Variant toVariant(const CheckParameterValue &value)
{
	return std::visit([](const auto &v) { return sdbus::Variant(v); }, value);
}

} /* namespace */

DaemonsAdaptor::DaemonsAdaptor(sdbus::IConnection &bus, AppManager &apps, Authority &authority,
			       UnitLeases &leases)
	: AdaptorInterfaces(bus, kObjectPath), apps_(apps), authority_(authority), leases_(leases)
{
	apps_.onAppStateChanged([this](const std::string &app, bool enabled, bool running) {
		emitAppStateChanged(app, enabled, running);
	});
	apps_.onUnitStateChanged([this](const std::string &unit, const UnitState &state) {
		emitUnitStateChanged(unit, state.activeState, state.subState);
	});
	registerAdaptor();
}

DaemonsAdaptor::~DaemonsAdaptor()
{
	apps_.onAppStateChanged({});
	apps_.onUnitStateChanged({});
	unregisterAdaptor();
}

template<typename Value, typename Fn>
void DaemonsAdaptor::answer(sdbus::Result<Value> &&result, Fn &&fn)
{
	try {
		result.returnResults(fn());
	} catch (...) {
		result.returnError(toBusError(std::current_exception()));
	}
}

template<typename Value, typename Fn>
void DaemonsAdaptor::answerFromStates(sdbus::Result<Value> &&result, Fn fn)
{
	auto reply = owe(std::move(result), inFlight_);
	apps_.whenStatesKnown([reply, fn = std::move(fn)] {
		try {
			reply->succeed(fn());
		} catch (...) {
			reply->fail(std::current_exception());
		}
	});
}

void DaemonsAdaptor::change(sdbus::Result<> &&result, Operation::Request request)
{
	auto reply = owe(std::move(result), inFlight_);
	runOperation(std::move(request), [reply](std::exception_ptr error) {
		if (error)
			reply->fail(error);
		else
			reply->succeed();
	});
}

void DaemonsAdaptor::runOperation(Operation::Request request, Operation::Completion reply)
{
	request.caller = callerOf(*getObject().getCurrentlyProcessedMessage());
	Operation::run(authority_, std::move(request), std::move(reply));
}

std::vector<DaemonsAdaptor::CheckRow>
DaemonsAdaptor::toRows(const std::vector<DiagnosticCheck> &checks)
{
	std::vector<CheckRow> rows;
	for (const DiagnosticCheck &check : checks) {
		std::map<std::string, sdbus::Variant> parameters;
		for (const auto &[name, value] : check.parameters)
			parameters.emplace(name, toVariant(value));
		rows.emplace_back(check.checkId, check.componentId,
				  std::string(checkResultName(check.result)), check.description,
				  std::move(parameters), check.message);
	}
	return rows;
}

void DaemonsAdaptor::ListApps(
	sdbus::Result<std::vector<sdbus::Struct<std::string, std::string, bool, bool>>> &&result)
{
	answerFromStates(std::move(result), [this] {
		const StatusQueries status = apps_.status();
		std::vector<sdbus::Struct<std::string, std::string, bool, bool>> rows;
		for (const App &app : apps_.registry()->apps())
			rows.emplace_back(app.id, app.name, status.isAppEnabled(app),
					  status.isAppRunning(app));
		return rows;
	});
}

void DaemonsAdaptor::GetAppComponents(sdbus::Result<std::vector<ComponentRow>> &&result,
				      std::string app)
{
	answer(std::move(result), [&] {
		std::vector<ComponentRow> rows;
		for (const Component &c : apps_.app(app).components) {
			std::vector<sdbus::Struct<std::uint16_t, std::string, std::string>> ports;
			for (const ListenPort &port : c.listenPorts)
				ports.emplace_back(port.port, std::string(portKindName(port.kind)),
						   port.address);
			rows.emplace_back(c.id, std::string(componentKindName(c.kind)), c.unit,
					  c.strictCheck, c.alias, std::move(ports));
		}
		return rows;
	});
}

void DaemonsAdaptor::IsAppEnabled(sdbus::Result<bool> &&result, std::string app)
{
	answerFromStates(std::move(result),
			 [this, app] { return apps_.status().isAppEnabled(apps_.app(app)); });
}

void DaemonsAdaptor::IsAppRunning(sdbus::Result<bool> &&result, std::string app)
{
	answerFromStates(std::move(result),
			 [this, app] { return apps_.status().isAppRunning(apps_.app(app)); });
}

void DaemonsAdaptor::EnableApp(sdbus::Result<> &&result, std::string app)
{
	change(std::move(result), {.description = "enable app " + app,
				   .action = Action::ManageApps,
				   .details = {{"app", app}},
				   .validate = [this, app] { apps_.app(app); },
				   .change =
					   [this, app](const Caller &, auto done) {
						   apps_.enableApp(app, std::move(done));
					   }});
}

void DaemonsAdaptor::DisableApp(sdbus::Result<> &&result, std::string app)
{
	change(std::move(result), {.description = "disable app " + app,
				   .action = Action::ManageApps,
				   .details = {{"app", app}},
				   .validate = [this, app] { apps_.app(app); },
				   .change =
					   [this, app](const Caller &, auto done) {
						   apps_.disableApp(app, std::move(done));
					   }});
}

void DaemonsAdaptor::DiagnoseApp(sdbus::Result<std::vector<CheckRow>> &&result, std::string app)
{
	auto reply = owe(std::move(result), inFlight_);
	try {
		apps_.diagnoseApp(app, [reply](const std::vector<DiagnosticCheck> &checks) {
			reply->succeed(toRows(checks));
		});
	} catch (...) {
		reply->fail(std::current_exception());
	}
}

void DaemonsAdaptor::DiagnoseAll(
	sdbus::Result<std::map<std::string, std::vector<CheckRow>>> &&result)
{
	auto reply = owe(std::move(result), inFlight_);
	try {
		apps_.diagnoseAll([reply](const DiagnosisRunner::Results &results) {
			std::map<std::string, std::vector<CheckRow>> rows;
			for (const auto &[app, checks] : results)
				rows.emplace(app, toRows(checks));
			reply->succeed(rows);
		});
	} catch (...) {
		reply->fail(std::current_exception());
	}
}

void DaemonsAdaptor::ListManagedUnits(
	sdbus::Result<std::vector<sdbus::Struct<std::string, std::string, std::string>>> &&result)
{
	answer(std::move(result), [&] {
		std::vector<sdbus::Struct<std::string, std::string, std::string>> rows;
		for (const ManagedUnit &m : apps_.registry()->managedUnits())
			rows.emplace_back(m.unit, m.appId, m.componentId);
		return rows;
	});
}

void DaemonsAdaptor::IsUnitEnabled(sdbus::Result<bool> &&result, std::string unit)
{
	answerFromStates(std::move(result), [this, unit] {
		return apps_.status().isUnitEnabled(apps_.managedUnitName(unit));
	});
}

void DaemonsAdaptor::IsUnitRunning(sdbus::Result<bool> &&result, std::string unit)
{
	answerFromStates(std::move(result), [this, unit] {
		return apps_.status().isUnitRunning(apps_.managedUnitName(unit));
	});
}

void DaemonsAdaptor::unitVerb(sdbus::Result<> &&result, UnitVerb verb, const std::string &name)
{
	const std::string verbName(unitVerbName(verb));
	/* polkit rules see the full name, whichever way the caller wrote it. */
	const std::string unit = mangleUnitName(name);
	/* An undeclared unit is refused before polkit is asked and never reaches systemd. */
	change(std::move(result), {.description = verbName + " " + unit,
				   .action = Action::ManageUnits,
				   .details = {{"unit", unit}, {"verb", verbName}},
				   .validate = [this, name] { (void)apps_.managedUnitName(name); },
				   .change =
					   [this, verb, unit](const Caller &, auto done) {
						   apps_.runUnitVerb(verb, unit, std::move(done));
					   }});
}

void DaemonsAdaptor::StartUnit(sdbus::Result<> &&result, std::string unit)
{
	unitVerb(std::move(result), UnitVerb::Start, unit);
}

void DaemonsAdaptor::StopUnit(sdbus::Result<> &&result, std::string unit)
{
	unitVerb(std::move(result), UnitVerb::Stop, unit);
}

void DaemonsAdaptor::RestartUnit(sdbus::Result<> &&result, std::string unit)
{
	unitVerb(std::move(result), UnitVerb::Restart, unit);
}

void DaemonsAdaptor::TryRestartUnit(sdbus::Result<> &&result, std::string unit)
{
	unitVerb(std::move(result), UnitVerb::TryRestart, unit);
}

void DaemonsAdaptor::ReloadUnit(sdbus::Result<> &&result, std::string unit)
{
	unitVerb(std::move(result), UnitVerb::Reload, unit);
}

void DaemonsAdaptor::TryReloadOrRestartUnit(sdbus::Result<> &&result, std::string unit)
{
	unitVerb(std::move(result), UnitVerb::TryReloadOrRestart, unit);
}

void DaemonsAdaptor::EnableUnit(sdbus::Result<> &&result, std::string unit)
{
	unitVerb(std::move(result), UnitVerb::Enable, unit);
}

void DaemonsAdaptor::DisableUnit(sdbus::Result<> &&result, std::string unit)
{
	unitVerb(std::move(result), UnitVerb::Disable, unit);
}

void DaemonsAdaptor::MaskUnit(sdbus::Result<> &&result, std::string unit)
{
	unitVerb(std::move(result), UnitVerb::Mask, unit);
}

void DaemonsAdaptor::UnmaskUnit(sdbus::Result<> &&result, std::string unit)
{
	unitVerb(std::move(result), UnitVerb::Unmask, unit);
}

void DaemonsAdaptor::EnsureUnitRunning(sdbus::Result<bool, sdbus::UnixFd> &&result,
				       std::string name)
{
	const std::string unit = mangleUnitName(name);
	auto reply = owe(std::move(result), inFlight_);
	auto granted = std::make_shared<std::pair<bool, sdbus::UnixFd>>();
	runOperation({.description = "ensure-running " + unit,
		      .action = Action::ManageUnits,
		      .details = {{"unit", unit}, {"verb", "ensure-running"}},
		      .validate = [this, name] { (void)apps_.managedUnitName(name); },
		      .change =
			      [this, unit, granted](const Caller &caller, auto done) {
				      leases_.acquire(
					      caller.uniqueName, unit,
					      [granted, done](std::exception_ptr error,
							      bool wasRunning, int fd) {
						      if (!error)
							      *granted = {
								      wasRunning,
								      sdbus::UnixFd(
									      fd, sdbus::adopt_fd)};
						      done(error);
					      });
			      }},
		     [reply, granted](std::exception_ptr error) {
			     if (error)
				     reply->fail(error);
			     else
				     reply->succeed(granted->first, granted->second);
		     });
}

void DaemonsAdaptor::ResetFailedUnit(sdbus::Result<> &&result, std::string unit)
{
	unitVerb(std::move(result), UnitVerb::ResetFailed, unit);
}

void DaemonsAdaptor::Reload(sdbus::Result<> &&result)
{
	change(std::move(result), {.description = "reload the app definitions",
				   .action = Action::Reload,
				   .change = [this](const Caller &, auto done) {
					   reload([done = std::move(done)] { done(nullptr); });
				   }});
}

void DaemonsAdaptor::reload(std::function<void()> done)
{
	apps_.reload([this, done = std::move(done)](const LoadResult &) {
		emitAppsReloaded();
		done();
	});
}

std::string DaemonsAdaptor::Version()
{
	return PLINTH_VERSION;
}

} /* namespace plinth */

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "daemons_adaptor.h"

#include <spdlog/spdlog.h>

#include "app_manager.h"
#include "bus_error.h"
#include "caller.h"
#include "config.h"
#include "pending_reply.h"

namespace plinth {

namespace {

sdbus::Variant toVariant(const CheckParameterValue &value)
{
	return std::visit([](const auto &v) { return sdbus::Variant(v); }, value);
}

} /* namespace */

DaemonsAdaptor::DaemonsAdaptor(sdbus::IConnection &bus, AppManager &apps, Authority &authority,
			       LogService &logs, UnitPropertyReader &properties)
	: AdaptorInterfaces(bus, kObjectPath), apps_(apps), authority_(authority), logs_(logs),
	  properties_(properties), failures_(properties, logs, authority)
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

void DaemonsAdaptor::authorizedChange(
	sdbus::Result<> &&result, Action action, Authority::Details details,
	std::function<void(std::function<void(std::exception_ptr)>)> work)
{
	auto reply = owe(std::move(result), inFlight_);
	auto finish = [reply](std::exception_ptr error) {
		if (error)
			reply->fail(error);
		else
			reply->succeed();
	};

	authorized(action, std::move(details),
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

DaemonsAdaptor::Explain DaemonsAdaptor::explainingFailures()
{
	const Caller caller = callerOf(*getObject().getCurrentlyProcessedMessage());
	return [this, caller](Authority::Completion done, std::vector<std::string> units) {
		return [this, caller, units = std::move(units),
			done = std::move(done)](std::exception_ptr error) {
			failures_.explain(error, caller, units, done);
		};
	};
}

void DaemonsAdaptor::authorized(Action action, Authority::Details details,
				Authority::Completion then)
{
	const Caller caller = callerOf(*getObject().getCurrentlyProcessedMessage());
	authority_.authorize(caller, action, std::move(details), std::move(then));
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
	authorizedChange(std::move(result), Action::ManageApps, {{"app", app}},
			 [this, app, explain = explainingFailures()](auto done) {
				 apps_.enableApp(app, explain(std::move(done), unitsOf(app)));
			 });
}

void DaemonsAdaptor::DisableApp(sdbus::Result<> &&result, std::string app)
{
	authorizedChange(std::move(result), Action::ManageApps, {{"app", app}},
			 [this, app](auto done) { apps_.disableApp(app, std::move(done)); });
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
		apps_.checkManaged(unit);
		return apps_.status().isUnitEnabled(unit);
	});
}

void DaemonsAdaptor::IsUnitRunning(sdbus::Result<bool> &&result, std::string unit)
{
	answerFromStates(std::move(result), [this, unit] {
		apps_.checkManaged(unit);
		return apps_.status().isUnitRunning(unit);
	});
}

void DaemonsAdaptor::unitVerb(sdbus::Result<> &&result, UnitVerb verb, const std::string &unit)
{
	/* Refusing an undeclared unit needs no authorization and must never reach systemd. */
	try {
		apps_.checkManaged(unit);
	} catch (...) {
		result.returnError(toBusError(std::current_exception()));
		return;
	}
	authorizedChange(std::move(result), Action::ManageUnits,
			 {{"unit", unit}, {"verb", std::string(unitVerbName(verb))}},
			 [this, verb, unit, explain = explainingFailures()](auto done) {
				 apps_.runUnitVerb(verb, unit, explain(std::move(done), {unit}));
			 });
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

void DaemonsAdaptor::Reload(sdbus::Result<> &&result)
{
	authorizedChange(std::move(result), Action::Reload, {}, [this](auto done) {
		reload([done = std::move(done)] { done(nullptr); });
	});
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

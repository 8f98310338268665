/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "daemons_adaptor.h"

#include <spdlog/spdlog.h>

#include "app_catalog.h"
#include "caller.h"
#include "config.h"
#include "method_calls.h"

namespace plinth {

DaemonsAdaptor::DaemonsAdaptor(sdbus::IConnection &bus, AppCatalog &apps, HealthMonitor &health,
			       MethodCalls &calls)
	: AdaptorInterfaces(bus, kObjectPath), apps_(apps), health_(health), calls_(calls)
{
	appStateSubscription_ =
		apps_.onAppStateChanged([this](const std::string &app, bool enabled, bool running) {
			emitAppStateChanged(app, enabled, running);
		});
	unitStateSubscription_ =
		apps_.onUnitStateChanged([this](const std::string &unit, const UnitState &state) {
			emitUnitStateChanged(unit, state.activeState, state.subState);
		});
	healthSubscription_ = health_.onSummaryChanged([this] {
		getObject().emitPropertiesChangedSignal(INTERFACE_NAME,
							{"Health", "AppsNeedingAttention"});
	});
	reloadSubscription_ = calls_.requests().onReloaded([this] { emitAppsReloaded(); });
	registerAdaptor();
}

DaemonsAdaptor::~DaemonsAdaptor()
{
	unregisterAdaptor();
}

void DaemonsAdaptor::ListApps(
	sdbus::Result<std::vector<sdbus::Struct<std::string, std::string, bool, bool>>> &&result)
{
	calls_.request(getObject(), std::move(result), &Queries::listApps);
}

void DaemonsAdaptor::GetAppComponents(sdbus::Result<std::vector<ComponentRow>> &&result,
				      std::string app)
{
	calls_.request(getObject(), std::move(result), &Queries::appComponents, std::move(app));
}

void DaemonsAdaptor::IsAppEnabled(sdbus::Result<bool> &&result, std::string app)
{
	calls_.request(getObject(), std::move(result), &Queries::isAppEnabled, std::move(app));
}

void DaemonsAdaptor::IsAppRunning(sdbus::Result<bool> &&result, std::string app)
{
	calls_.request(getObject(), std::move(result), &Queries::isAppRunning, std::move(app));
}

void DaemonsAdaptor::EnableApp(sdbus::Result<> &&result, std::string app)
{
	calls_.request(getObject(), std::move(result), &Requests::enableApp, std::move(app));
}

void DaemonsAdaptor::DisableApp(sdbus::Result<> &&result, std::string app)
{
	calls_.request(getObject(), std::move(result), &Requests::disableApp, std::move(app));
}

void DaemonsAdaptor::DiagnoseApp(sdbus::Result<std::vector<CheckRow>> &&result, std::string app)
{
	calls_.request(getObject(), std::move(result), &ReadRequests::diagnoseApp, std::move(app));
}

void DaemonsAdaptor::DiagnoseAll(
	sdbus::Result<std::map<std::string, std::vector<CheckRow>>> &&result)
{
	calls_.request(getObject(), std::move(result), &ReadRequests::diagnoseAll);
}

void DaemonsAdaptor::ListManagedUnits(
	sdbus::Result<std::vector<sdbus::Struct<std::string, std::string, std::string>>> &&result)
{
	calls_.request(getObject(), std::move(result), &Queries::managedUnits);
}

void DaemonsAdaptor::IsUnitEnabled(sdbus::Result<bool> &&result, std::string unit)
{
	calls_.request(getObject(), std::move(result), &Queries::isUnitEnabled, std::move(unit));
}

void DaemonsAdaptor::IsUnitRunning(sdbus::Result<bool> &&result, std::string unit)
{
	calls_.request(getObject(), std::move(result), &Queries::isUnitRunning, std::move(unit));
}

void DaemonsAdaptor::unitVerb(sdbus::Result<> &&result, UnitVerb verb, std::string unit)
{
	calls_.request(getObject(), std::move(result), &Requests::runUnitVerb, verb,
		       std::move(unit));
}

void DaemonsAdaptor::StartUnit(sdbus::Result<> &&result, std::string unit)
{
	unitVerb(std::move(result), UnitVerb::Start, std::move(unit));
}

void DaemonsAdaptor::StopUnit(sdbus::Result<> &&result, std::string unit)
{
	unitVerb(std::move(result), UnitVerb::Stop, std::move(unit));
}

void DaemonsAdaptor::RestartUnit(sdbus::Result<> &&result, std::string unit)
{
	unitVerb(std::move(result), UnitVerb::Restart, std::move(unit));
}

void DaemonsAdaptor::TryRestartUnit(sdbus::Result<> &&result, std::string unit)
{
	unitVerb(std::move(result), UnitVerb::TryRestart, std::move(unit));
}

void DaemonsAdaptor::ReloadUnit(sdbus::Result<> &&result, std::string unit)
{
	unitVerb(std::move(result), UnitVerb::Reload, std::move(unit));
}

void DaemonsAdaptor::TryReloadOrRestartUnit(sdbus::Result<> &&result, std::string unit)
{
	unitVerb(std::move(result), UnitVerb::TryReloadOrRestart, std::move(unit));
}

void DaemonsAdaptor::EnableUnit(sdbus::Result<> &&result, std::string unit)
{
	unitVerb(std::move(result), UnitVerb::Enable, std::move(unit));
}

void DaemonsAdaptor::DisableUnit(sdbus::Result<> &&result, std::string unit)
{
	unitVerb(std::move(result), UnitVerb::Disable, std::move(unit));
}

void DaemonsAdaptor::MaskUnit(sdbus::Result<> &&result, std::string unit)
{
	unitVerb(std::move(result), UnitVerb::Mask, std::move(unit));
}

void DaemonsAdaptor::UnmaskUnit(sdbus::Result<> &&result, std::string unit)
{
	unitVerb(std::move(result), UnitVerb::Unmask, std::move(unit));
}

void DaemonsAdaptor::ResetFailedUnit(sdbus::Result<> &&result, std::string unit)
{
	unitVerb(std::move(result), UnitVerb::ResetFailed, std::move(unit));
}

void DaemonsAdaptor::EnsureUnitRunning(sdbus::Result<bool, sdbus::UnixFd> &&result,
				       std::string unit)
{
	calls_.request(getObject(), std::move(result), &Requests::ensureUnitRunning,
		       std::move(unit));
}

void DaemonsAdaptor::Reload(sdbus::Result<> &&result)
{
	calls_.request(getObject(), std::move(result), &Requests::reload);
}

std::string DaemonsAdaptor::Version()
{
	return PLINTH_VERSION;
}

} /* namespace plinth */

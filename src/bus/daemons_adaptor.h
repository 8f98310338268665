/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <map>
#include <string>
#include <vector>

#include <sdbus-c++/sdbus-c++.h>

#include "app_catalog.h"
#include "authority.h"
#include "bus_values.h"
#include "daemons_adaptor_glue.h"
#include "health_monitor.h"
#include "plan.h"

namespace plinth {

class MethodCalls;

/*
 * org.freedesktop.Plinth.Daemons on /org/freedesktop/Plinth/Daemons: makes every method call
 * a request (MethodCalls), as the App and Unit objects do, so both surfaces authorize and fail
 * alike; the properties are read from the AppCatalog and the HealthMonitor. Every failure becomes a
 * named D-Bus error through toBusError(); every path replies exactly once.
 */
class DaemonsAdaptor final
	: public sdbus::AdaptorInterfaces<org::freedesktop::Plinth::Daemons_adaptor>
{
public:
	static constexpr const char *kObjectPath = "/org/freedesktop/Plinth/Daemons";

	DaemonsAdaptor(sdbus::IConnection &bus, AppCatalog &apps, HealthMonitor &health,
		       MethodCalls &calls);
	~DaemonsAdaptor();

private:
	void
	ListApps(sdbus::Result<std::vector<sdbus::Struct<std::string, std::string, bool, bool>>>
			 &&result) override;
	void GetAppComponents(sdbus::Result<std::vector<ComponentRow>> &&result,
			      std::string app) override;
	void IsAppEnabled(sdbus::Result<bool> &&result, std::string app) override;
	void IsAppRunning(sdbus::Result<bool> &&result, std::string app) override;
	void EnableApp(sdbus::Result<> &&result, std::string app) override;
	void DisableApp(sdbus::Result<> &&result, std::string app) override;
	void DiagnoseApp(sdbus::Result<std::vector<CheckRow>> &&result, std::string app) override;
	void
	DiagnoseAll(sdbus::Result<std::map<std::string, std::vector<CheckRow>>> &&result) override;
	void ListManagedUnits(
		sdbus::Result<std::vector<sdbus::Struct<std::string, std::string, std::string>>>
			&&result) override;
	void IsUnitEnabled(sdbus::Result<bool> &&result, std::string unit) override;
	void IsUnitRunning(sdbus::Result<bool> &&result, std::string unit) override;
	void StartUnit(sdbus::Result<> &&result, std::string unit) override;
	void StopUnit(sdbus::Result<> &&result, std::string unit) override;
	void RestartUnit(sdbus::Result<> &&result, std::string unit) override;
	void TryRestartUnit(sdbus::Result<> &&result, std::string unit) override;
	void ReloadUnit(sdbus::Result<> &&result, std::string unit) override;
	void TryReloadOrRestartUnit(sdbus::Result<> &&result, std::string unit) override;
	void EnableUnit(sdbus::Result<> &&result, std::string unit) override;
	void DisableUnit(sdbus::Result<> &&result, std::string unit) override;
	void MaskUnit(sdbus::Result<> &&result, std::string unit) override;
	void UnmaskUnit(sdbus::Result<> &&result, std::string unit) override;
	void ResetFailedUnit(sdbus::Result<> &&result, std::string unit) override;
	void EnsureUnitRunning(sdbus::Result<bool, sdbus::UnixFd> &&result,
			       std::string unit) override;
	void GetUnitStatus(sdbus::Result<std::map<std::string, sdbus::Variant>> &&result,
			   std::string unit) override;
	void RepairApp(sdbus::Result<std::vector<CheckRow>> &&result, std::string app) override;
	void GetUnitLogs(sdbus::Result<std::vector<LogRow>> &&result, std::string unit,
			 std::uint32_t lines, std::string afterCursor) override;
	void GetAppLogs(sdbus::Result<std::vector<LogRow>> &&result, std::string app,
			std::uint32_t lines, std::string afterCursor) override;
	void FollowUnitLogs(sdbus::Result<sdbus::UnixFd> &&result, std::string unit,
			    std::string afterCursor) override;
	void FollowAppLogs(sdbus::Result<sdbus::UnixFd> &&result, std::string app,
			   std::string afterCursor) override;
	void Reload(sdbus::Result<> &&result) override;
	std::string Version() override;
	void GetAppHealth(
		sdbus::Result<std::string, std::vector<HealthIssueRow>, std::uint64_t> &&result,
		std::string app) override;
	void IgnoreCheck(sdbus::Result<> &&result, std::string app, std::string checkId) override;
	void UnignoreCheck(sdbus::Result<> &&result, std::string app, std::string checkId) override;
	std::string Health() override;
	std::vector<std::string> AppsNeedingAttention() override;

	void unitVerb(sdbus::Result<> &&result, UnitVerb verb, std::string unit);

	AppCatalog &apps_;
	HealthMonitor &health_;
	MethodCalls &calls_;
	AppCatalog::AppStateListeners::Subscription appStateSubscription_;
	AppCatalog::UnitStateListeners::Subscription unitStateSubscription_;
	HealthMonitor::SummaryListeners::Subscription healthSubscription_;
	Listeners<>::Subscription reloadSubscription_;
};

} /* namespace plinth */

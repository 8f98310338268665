/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "service_proxy.h"

#include <algorithm>
#include <cstdint>

#include <systemd/sd-bus.h>

#include "raw_message.h"

namespace plinth {

namespace {

constexpr const char *kBusName = "org.freedesktop.Plinth.Daemons";
constexpr const char *kObjectPath = "/org/freedesktop/Plinth/Daemons";

/*
 * The service answers an enable when every start job has finished; systemd gives a job 90 s
 * by default and a password prompt waits on a person, so sd-bus's 25 s would cut it short.
 */
constexpr std::uint64_t kMethodCallTimeoutUsec = 10ULL * 60 * 1000 * 1000;

/* The parameters of a check travel as variants; the templates need text, numbers or flags. */
CheckParameterValue parameterValue(const sdbus::Variant &variant)
{
	if (variant.containsValueOfType<std::string>())
		return variant.get<std::string>();
	if (variant.containsValueOfType<bool>())
		return variant.get<bool>();
	if (variant.containsValueOfType<std::int64_t>())
		return variant.get<std::int64_t>();
	if (variant.containsValueOfType<std::int32_t>())
		return std::int64_t{variant.get<std::int32_t>()};
	if (variant.containsValueOfType<std::int16_t>())
		return std::int64_t{variant.get<std::int16_t>()};
	if (variant.containsValueOfType<std::uint32_t>())
		return std::int64_t{variant.get<std::uint32_t>()};
	if (variant.containsValueOfType<std::uint16_t>())
		return std::int64_t{variant.get<std::uint16_t>()};
	if (variant.containsValueOfType<std::uint8_t>())
		return std::int64_t{variant.get<std::uint8_t>()};
	if (variant.containsValueOfType<std::uint64_t>())
		return static_cast<std::int64_t>(variant.get<std::uint64_t>());
	/* A type no template uses: show its signature rather than drop the parameter. */
	return std::string(variant.peekValueType());
}

using CheckStruct = sdbus::Struct<std::string, std::string, std::string, std::string,
				  std::map<std::string, sdbus::Variant>, std::string>;

std::vector<DiagnosticReport> reportsOf(const std::vector<CheckStruct> &checks)
{
	std::vector<DiagnosticReport> reports;
	for (const CheckStruct &check : checks) {
		DiagnosticReport report{
			check.get<0>(), check.get<1>(), check.get<2>(), check.get<3>(), {},
			check.get<5>()};
		for (const auto &[name, value] : check.get<4>())
			report.parameters.emplace_back(name, parameterValue(value));
		reports.push_back(std::move(report));
	}
	return reports;
}

} /* namespace */

ServiceProxy::ServiceProxy(sdbus::IConnection &connection)
	: ProxyInterfaces(connection, kBusName, kObjectPath)
{
	sd_bus_set_method_call_timeout(bus(), kMethodCallTimeoutUsec);
}

ServiceProxy::~ServiceProxy()
{
	if (registered_)
		unregisterProxy();
}

/*
 * The generated glue builds and sends its calls itself, so the settings of the calls go on the
 * bus they are made on: sd-bus copies the bus's interactive-authorization flag into each call
 * it creates, and uses the bus's timeout for each call given none.
 */
sd_bus *ServiceProxy::bus()
{
	const sdbus::MethodCall probe = getProxy().createMethodCall(INTERFACE_NAME, "Reload");
	return sd_bus_message_get_bus(RawMessage::of(probe));
}

void ServiceProxy::allowInteractiveAuthorization()
{
	sd_bus_set_allow_interactive_authorization(bus(), 1);
}

void ServiceProxy::watch(SignalHandlers handlers)
{
	handlers_ = std::move(handlers);
	registerProxy();
	registered_ = true;
}

std::vector<AppState> ServiceProxy::apps()
{
	std::vector<AppState> apps;
	for (const auto &app : ListApps())
		apps.push_back({app.get<0>(), app.get<1>(), app.get<2>(), app.get<3>()});
	return apps;
}

AppState ServiceProxy::app(const std::string &id)
{
	std::vector<AppState> all = apps();
	auto it = std::find_if(all.begin(), all.end(),
			       [&](const AppState &app) { return app.id == id; });
	if (it != all.end())
		return *it;
	/* Let the service say there is no such app, in its own words. */
	return {id, id, IsAppEnabled(id), IsAppRunning(id)};
}

std::vector<ComponentInfo> ServiceProxy::components(const std::string &app)
{
	std::vector<ComponentInfo> components;
	for (const auto &c : GetAppComponents(app)) {
		ComponentInfo component{c.get<0>(), c.get<1>(), c.get<2>(),
					c.get<3>(), c.get<4>(), {}};
		for (const auto &port : c.get<5>())
			component.ports.push_back({port.get<0>(), port.get<1>(), port.get<2>()});
		components.push_back(std::move(component));
	}
	return components;
}

AppHealthInfo ServiceProxy::health(const std::string &app)
{
	const auto [health, issues, lastDiagnosed] = GetAppHealth(app);
	AppHealthInfo info{app, health, {}, lastDiagnosed};
	for (const auto &issue : issues)
		info.issues.push_back({issue.get<0>(), issue.get<1>(), issue.get<2>()});
	return info;
}

UnitState ServiceProxy::unitState(const std::string &unit)
{
	return {unit, IsUnitEnabled(unit), IsUnitRunning(unit)};
}

std::vector<ManagedUnit> ServiceProxy::managedUnits()
{
	std::vector<ManagedUnit> units;
	for (const auto &managed : ListManagedUnits()) {
		const UnitState state = unitState(managed.get<0>());
		units.push_back({state.unit, managed.get<1>(), managed.get<2>(), state.enabled,
				 state.running});
	}
	return units;
}

std::vector<DiagnosticReport> ServiceProxy::diagnose(const std::string &app)
{
	return reportsOf(DiagnoseApp(app));
}

std::vector<DiagnosticReport> ServiceProxy::repair(const std::string &app)
{
	return reportsOf(RepairApp(app));
}

std::vector<AppDiagnosis> ServiceProxy::diagnoseAll()
{
	std::vector<AppDiagnosis> result;
	for (const auto &[app, checks] : DiagnoseAll())
		result.push_back({app, reportsOf(checks)});
	return result;
}

void ServiceProxy::onAppStateChanged(const std::string &app, const bool &enabled,
				     const bool &running)
{
	if (handlers_.appStateChanged)
		handlers_.appStateChanged(app, enabled, running);
}

void ServiceProxy::onUnitStateChanged(const std::string &unit, const std::string &activeState,
				      const std::string &subState)
{
	if (handlers_.unitStateChanged)
		handlers_.unitStateChanged(unit, activeState, subState);
}

void ServiceProxy::onAppsReloaded()
{
	if (handlers_.appsReloaded)
		handlers_.appsReloaded();
}

} /* namespace plinth */

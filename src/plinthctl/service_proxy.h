/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include <sdbus-c++/sdbus-c++.h>
#include <systemd/sd-bus.h>

#include "daemons_proxy_glue.h"
#include "model.h"

namespace plinth {

/* What watch does with each signal. */
struct SignalHandlers {
	std::function<void(const std::string &app, bool enabled, bool running)> appStateChanged;
	std::function<void(const std::string &unit, const std::string &activeState,
			   const std::string &subState)>
		unitStateChanged;
	std::function<void()> appsReloaded;
};

/*
 * The service's object through the generated glue, with its answers turned into the plain
 * types of model.h. Errors are the service's sdbus::Error replies, passed on unchanged.
 */
class ServiceProxy final : public sdbus::ProxyInterfaces<org::freedesktop::Plinth::Daemons_proxy>
{
public:
	explicit ServiceProxy(sdbus::IConnection &connection);
	~ServiceProxy();

	/* Lets polkit ask the user for a password: calls carry ALLOW_INTERACTIVE_AUTHORIZATION. */
	void allowInteractiveAuthorization();

	/* Subscribes to the signals; the connection's event loop then delivers them. */
	void watch(SignalHandlers handlers);

	std::vector<AppState> apps();
	AppState app(const std::string &id);
	std::vector<ComponentInfo> components(const std::string &app);
	UnitState unitState(const std::string &unit);
	std::vector<ManagedUnit> managedUnits();
	std::vector<DiagnosticReport> diagnose(const std::string &app);
	std::vector<AppDiagnosis> diagnoseAll();
	/* RepairApp: the checks after the repair. */
	std::vector<DiagnosticReport> repair(const std::string &app);
	AppHealthInfo health(const std::string &app);

private:
	sd_bus *bus();

	void onAppStateChanged(const std::string &app, const bool &enabled,
			       const bool &running) override;
	void onUnitStateChanged(const std::string &unit, const std::string &activeState,
				const std::string &subState) override;
	void onAppsReloaded() override;

	SignalHandlers handlers_;
	bool registered_ = false;
};

} /* namespace plinth */

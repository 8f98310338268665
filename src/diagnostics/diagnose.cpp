/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "diagnose.h"

#include <string>

#include "diagnostic_messages.h"
#include "port_check.h"

namespace plinth {

namespace {

CheckResult passedIf(bool condition)
{
	return condition ? CheckResult::Passed : CheckResult::Failed;
}

} /* namespace */

std::vector<std::uint16_t> listenPorts(std::span<const App> apps)
{
	std::vector<std::uint16_t> ports;
	for (const App &app : apps) {
		for (const Component &component : app.components) {
			if (!component.followsApp())
				continue;
			for (const ListenPort &port : component.listenPorts)
				ports.push_back(port.port);
		}
	}
	return ports;
}

DiagnosticCheck diagnoseRunning(const Component &component, const StatusQueries &status,
				const Translator &translator)
{
	/* The id names the unit as declared; the check follows the name that exists. */
	const std::string &name = status.daemonUnit(component);
	CheckParameters parameters{{"service_name", name}};
	const UnitState &unit = status.unitState(name);

	CheckResult result;
	std::string_view reason;
	if (unit.loadState.empty()) {
		result = CheckResult::Error;
		parameters.emplace_back("error", "systemd has not reported on " + name);
	} else if (unit.loadState == "not-found") {
		/* The reference's is_running() is simply false: a client that repairs what failed
		 * must see it. */
		result = CheckResult::Failed;
		reason = kDiagnosticUnitNotFound;
	} else {
		result = passedIf(isRunningActiveState(unit.activeState));
	}

	return makeCheck("daemon-running-" + component.unit, component.id, result,
			 kDiagnosticServiceRunning, std::move(parameters), translator, reason);
}

DiagnosticCheck diagnosePort(const std::string &componentId, const ListenPort &port,
			     const SocketSnapshot &snapshot, const Translator &translator)
{
	const std::string kind(portKindName(port.kind));
	const std::string number = std::to_string(port.port);

	std::string checkId;
	std::string description;
	CheckParameters parameters{{"kind", kind}, {"port", std::int64_t{port.port}}};
	if (port.address.empty()) {
		checkId = "daemon-listening-" + kind + "-" + number;
		description = kDiagnosticListening;
	} else {
		checkId = "daemon-listening-address-" + kind + "-" + number + "-" + port.address;
		description = kDiagnosticListeningAddress;
		parameters.emplace_back("listen_address", port.address);
	}

	CheckResult result;
	const std::string &error =
		snapshot.error(isTcp(port.kind) ? SocketProtocol::Tcp : SocketProtocol::Udp);
	if (error.empty()) {
		result = passedIf(isListening(snapshot, port));
	} else {
		result = CheckResult::Error;
		parameters.emplace_back("error", error);
	}

	return makeCheck(std::move(checkId), componentId, result, std::move(description),
			 std::move(parameters), translator);
}

} /* namespace plinth */

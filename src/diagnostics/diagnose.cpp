/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "diagnose.h"

#include <string>

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

DiagnosticCheck diagnosePort(const std::string &componentId, const ListenPort &port,
			     const SocketSnapshot &snapshot, const Translator &translate)
{
	const std::string kind(portKindName(port.kind));
	const std::string number = std::to_string(port.port);

	std::string checkId;
	std::string description;
	CheckParameters parameters{{"kind", kind}, {"port", std::int64_t{port.port}}};
	if (port.address.empty()) {
		checkId = "daemon-listening-" + kind + "-" + number;
		description = "Listening on {kind} port {port}";
	} else {
		checkId = "daemon-listening-address-" + kind + "-" + number + "-" + port.address;
		description = "Listening on {kind} port {listen_address}:{port}";
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
			 std::move(parameters), translate);
}

std::vector<DiagnosticCheck> diagnoseComponent(const Component &component, bool running,
					       const SocketSnapshot &snapshot,
					       const Translator &translate)
{
	std::vector<DiagnosticCheck> checks;
	if (!component.followsApp())
		return checks;

	checks.push_back(makeCheck("daemon-running-" + component.unit, component.id,
				   passedIf(running), "Service {service_name} is running",
				   {{"service_name", component.unit}}, translate));
	for (const ListenPort &port : component.listenPorts)
		checks.push_back(diagnosePort(component.id, port, snapshot, translate));

	return checks;
}

std::vector<DiagnosticCheck> diagnoseApp(const App &app, const StatusQueries &status,
					 const SocketSnapshot &snapshot,
					 const Translator &translate)
{
	std::vector<DiagnosticCheck> checks;
	for (const Component &component : app.components) {
		std::vector<DiagnosticCheck> componentChecks = diagnoseComponent(
			component, status.isComponentRunning(component), snapshot, translate);
		checks.insert(checks.end(), std::make_move_iterator(componentChecks.begin()),
			      std::make_move_iterator(componentChecks.end()));
	}
	return checks;
}

} /* namespace plinth */

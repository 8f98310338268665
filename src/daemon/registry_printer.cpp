/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "registry_printer.h"

#include <algorithm>
#include <iomanip>
#include <string>
#include <vector>

namespace plinth {

namespace {

/* "host:port", "[::1]:port", or "port" alone without a host. */
std::string endpointText(const std::string &host, std::uint16_t port)
{
	std::string text;
	if (host.find(':') != std::string::npos)
		text = "[" + host + "]:";
	else if (!host.empty())
		text = host + ":";
	return text + std::to_string(port);
}

std::string portText(const ListenPort &port)
{
	return endpointText(port.address, port.port) + "/" + std::string(portKindName(port.kind));
}

void printCheck(std::ostream &out, const ConnectCheckSpec &check)
{
	out << "  " << (check.negate ? "cannot-connect " : "connect ")
	    << endpointText(check.host, check.port);
	if (!check.input.empty())
		out << ", sends " << check.input.size() << " bytes";
	out << "\n";
}

void printComponent(std::ostream &out, const Component &component)
{
	out << "  " << componentKindName(component.kind) << " " << component.id << "\n";
	out << "    unit: " << component.unit << "\n";
	if (!component.followsApp())
		return;
	if (!component.alias.empty())
		out << "    alias: " << component.alias << "\n";
	out << "    strict-check: " << (component.strictCheck ? "yes" : "no") << "\n";
	out << "    listen-ports:";
	if (component.listenPorts.empty())
		out << " none";
	for (std::size_t i = 0; i < component.listenPorts.size(); ++i)
		out << (i == 0 ? " " : ", ") << portText(component.listenPorts[i]);
	out << "\n";
}

void printApp(std::ostream &out, const App &app)
{
	out << "app " << app.id;
	if (app.name != app.id)
		out << " \"" << app.name << "\"";
	out << "\n  from: " << app.sourceFile << "\n";
	if (!app.depends.empty()) {
		out << "  depends:";
		for (std::size_t i = 0; i < app.depends.size(); ++i)
			out << (i == 0 ? " " : ", ") << app.depends[i];
		out << "\n";
	}
	if (!app.hasLeader())
		out << "  no daemon: its enabled state is recorded by the service\n";
	for (const Component &component : app.components)
		printComponent(out, component);
	for (const ConnectCheckSpec &check : app.checks)
		printCheck(out, check);
}

void printManagedUnits(std::ostream &out, const std::vector<ManagedUnit> &units)
{
	const std::string unitHeader = "UNIT", appHeader = "APP";
	std::size_t unitWidth = unitHeader.size(), appWidth = appHeader.size();
	for (const ManagedUnit &unit : units) {
		unitWidth = std::max(unitWidth, unit.unit.size());
		appWidth = std::max(appWidth, unit.appId.size());
	}

	out << "managed units:\n";
	auto row = [&](const std::string &unit, const std::string &app, const std::string &comp) {
		out << "  " << std::left << std::setw(static_cast<int>(unitWidth)) << unit << "  "
		    << std::setw(static_cast<int>(appWidth)) << app << "  " << comp << "\n";
	};
	row(unitHeader, appHeader, "COMPONENT");
	for (const ManagedUnit &unit : units)
		row(unit.unit, unit.appId, unit.componentId);
}

} /* namespace */

void printRegistry(std::ostream &out, const Registry &registry)
{
	for (const App &app : registry.apps()) {
		printApp(out, app);
		out << "\n";
	}
	printManagedUnits(out, registry.managedUnits());
}

} /* namespace plinth */

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "bus_values.h"

#include <variant>

namespace plinth {

namespace {

sdbus::Variant toVariant(const CheckParameterValue &value)
{
	return std::visit([](const auto &v) { return sdbus::Variant(v); }, value);
}

} /* namespace */

std::vector<ComponentRow> componentRows(const App &app)
{
	std::vector<ComponentRow> rows;
	for (const Component &c : app.components) {
		std::vector<sdbus::Struct<std::uint16_t, std::string, std::string>> ports;
		for (const ListenPort &port : c.listenPorts)
			ports.emplace_back(port.port, std::string(portKindName(port.kind)),
					   port.address);
		rows.emplace_back(c.id, std::string(componentKindName(c.kind)), c.unit,
				  c.strictCheck, c.alias, std::move(ports));
	}
	return rows;
}

std::vector<CheckRow> checkRows(const std::vector<DiagnosticCheck> &checks)
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

std::vector<HealthIssueRow> healthIssueRows(const std::vector<HealthCheck> &issues)
{
	std::vector<HealthIssueRow> rows;
	rows.reserve(issues.size());
	for (const HealthCheck &issue : issues)
		rows.emplace_back(issue.checkId, issue.result, issue.message);
	return rows;
}

std::vector<LogRow> logRows(std::vector<LogEntry> entries)
{
	std::vector<LogRow> rows;
	rows.reserve(entries.size());
	for (LogEntry &e : entries)
		rows.emplace_back(e.realtimeUsec, std::move(e.unit), e.priority,
				  std::move(e.identifier), e.pid, std::move(e.message),
				  std::move(e.cursor));
	return rows;
}

} /* namespace plinth */

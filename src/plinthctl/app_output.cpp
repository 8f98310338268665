/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "app_output.h"

#include "health_output.h"
#include "json_writer.h"
#include "state_words.h"
#include "table.h"
#include "terminal_text.h"

namespace plinth {

namespace {

void writeAppState(JsonWriter &json, const AppState &app)
{
	json.key("id").value(app.id);
	json.key("name").value(app.name);
	json.key("enabled").value(app.enabled);
	json.key("running").value(app.running);
}

void writeApp(JsonWriter &json, const AppDetails &details)
{
	json.beginObject();
	writeAppState(json, details.app);
	if (details.health)
		json.key("health").value(details.health->health);
	json.key("components").beginArray();
	for (std::size_t i = 0; i < details.components.size(); i++) {
		const ComponentInfo &component = details.components[i];
		json.beginObject();
		json.key("id").value(component.id);
		json.key("kind").value(component.kind);
		json.key("unit").value(component.unit);
		json.key("strict_check").value(component.strictCheck);
		json.key("alias").value(component.alias);
		json.key("listen_ports").beginArray();
		for (const PortInfo &port : component.ports) {
			json.beginObject();
			json.key("port").value(static_cast<std::int64_t>(port.port));
			json.key("kind").value(port.kind);
			json.key("address").value(port.address);
			json.endObject();
		}
		json.endArray();
		if (i < details.unitStates.size()) {
			json.key("unit_enabled").value(details.unitStates[i].enabled);
			json.key("unit_running").value(details.unitStates[i].running);
		}
		json.endObject();
	}
	json.endArray();
	json.endObject();
}

std::string heading(const AppState &app, const Style &style)
{
	std::string text = style.paint(app.id, Colour::Heading);
	if (!app.name.empty() && app.name != app.id)
		text += " (" + terminalLine(app.name) + ")";
	return text + ": " + stateSummary(app.enabled, app.running, style) + "\n";
}

std::string portsText(const std::vector<PortInfo> &ports)
{
	std::string text;
	for (const PortInfo &port : ports) {
		if (!text.empty())
			text += ", ";
		text += portText(port);
	}
	return text.empty() ? "-" : text;
}

std::string componentsText(const AppDetails &details, const Style &style)
{
	const bool withStates = details.unitStates.size() == details.components.size();
	Table table = withStates ? Table({"COMPONENT", "KIND", "UNIT", "ENABLED", "RUNNING"})
				 : Table({"COMPONENT", "KIND", "UNIT", "ALIAS", "STRICT", "PORTS"});
	for (std::size_t i = 0; i < details.components.size(); i++) {
		const ComponentInfo &component = details.components[i];
		std::vector<Cell> row = {{component.id}, {component.kind}, {component.unit}};
		if (withStates) {
			const UnitState &state = details.unitStates[i];
			row.push_back(enabledCell(state.enabled));
			/* A related daemon need not run for its app to work. */
			const bool shouldRun =
				component.kind != "related-daemon" && details.app.enabled;
			row.push_back(runningCell(state.running, shouldRun));
		} else {
			row.push_back({component.alias.empty() ? "-" : component.alias});
			row.push_back({component.strictCheck ? "yes" : "no"});
			row.push_back({portsText(component.ports)});
		}
		table.addRow(std::move(row));
	}
	if (table.empty())
		return "  (no components)\n";
	return table.render(style, "  ");
}

} /* namespace */

std::string portText(const PortInfo &port)
{
	std::string text = port.kind + " ";
	if (port.address.empty())
		return text + std::to_string(port.port);
	if (port.address.find(':') != std::string::npos)
		return text + "[" + port.address + "]:" + std::to_string(port.port);
	return text + port.address + ":" + std::to_string(port.port);
}

std::string appListText(const std::vector<AppState> &apps, const Style &style)
{
	Table table({"APP", "NAME", "ENABLED", "RUNNING"});
	for (const AppState &app : apps)
		table.addRow({{app.id},
			      {app.name},
			      enabledCell(app.enabled),
			      runningCell(app.running, app.enabled)});
	return table.render(style) + "\n" + std::to_string(apps.size()) +
	       (apps.size() == 1 ? " app\n" : " apps\n");
}

std::string appListJson(const std::vector<AppState> &apps)
{
	JsonWriter json;
	json.beginObject().key("apps").beginArray();
	for (const AppState &app : apps) {
		json.beginObject();
		writeAppState(json, app);
		json.endObject();
	}
	json.endArray().endObject();
	return json.str();
}

std::string appDetailsText(const std::vector<AppDetails> &apps, const Style &style)
{
	std::string text;
	for (const AppDetails &details : apps) {
		if (!text.empty())
			text += "\n";
		text += heading(details.app, style);
		if (details.health)
			text += "  health: " + healthSummary(*details.health, style);
		text += componentsText(details, style);
	}
	return text;
}

std::string appDetailsJson(const std::vector<AppDetails> &apps)
{
	JsonWriter json;
	json.beginObject().key("apps").beginArray();
	for (const AppDetails &details : apps)
		writeApp(json, details);
	json.endArray().endObject();
	return json.str();
}

std::string appJson(const AppDetails &app)
{
	JsonWriter json;
	writeApp(json, app);
	return json.str();
}

} /* namespace plinth */

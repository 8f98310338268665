/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "unit_output.h"

#include "json_writer.h"
#include "state_words.h"
#include "table.h"

namespace plinth {

std::string managedUnitsText(const std::vector<ManagedUnit> &units, const Style &style)
{
	Table table({"UNIT", "APP", "COMPONENT", "ENABLED", "RUNNING"});
	for (const ManagedUnit &unit : units)
		table.addRow({{unit.unit},
			      {unit.app},
			      {unit.component},
			      enabledCell(unit.enabled),
			      runningCell(unit.running, unit.enabled)});
	return table.render(style) + "\n" + std::to_string(units.size()) +
	       (units.size() == 1 ? " unit\n" : " units\n");
}

std::string managedUnitsJson(const std::vector<ManagedUnit> &units)
{
	JsonWriter json;
	json.beginObject().key("units").beginArray();
	for (const ManagedUnit &unit : units) {
		json.beginObject();
		json.key("unit").value(unit.unit);
		json.key("app").value(unit.app);
		json.key("component").value(unit.component);
		json.key("enabled").value(unit.enabled);
		json.key("running").value(unit.running);
		json.endObject();
	}
	json.endArray().endObject();
	return json.str();
}

std::string unitStatesJson(const std::vector<UnitState> &units)
{
	JsonWriter json;
	json.beginObject().key("units").beginArray();
	for (const UnitState &unit : units) {
		json.beginObject();
		json.key("unit").value(unit.unit);
		json.key("enabled").value(unit.enabled);
		json.key("running").value(unit.running);
		json.endObject();
	}
	json.endArray().endObject();
	return json.str();
}

std::string stateAnswersText(const std::vector<StateAnswer> &answers, std::string_view yesWord,
			     std::string_view noWord)
{
	std::string text;
	for (const StateAnswer &answer : answers) {
		text += answer.yes ? yesWord : noWord;
		text += "\n";
	}
	return text;
}

std::string stateAnswersJson(const std::vector<StateAnswer> &answers, std::string_view key)
{
	JsonWriter json;
	json.beginObject().key("results").beginArray();
	for (const StateAnswer &answer : answers) {
		json.beginObject();
		json.key("name").value(answer.name);
		json.key("type").value(answer.isUnit ? "unit" : "app");
		json.key(key).value(answer.yes);
		json.endObject();
	}
	json.endArray().endObject();
	return json.str();
}

} /* namespace plinth */

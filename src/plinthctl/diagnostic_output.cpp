/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "diagnostic_output.h"

#include <algorithm>
#include <variant>

#include "json_writer.h"
#include "table.h"
#include "terminal_text.h"

namespace plinth {

namespace {

Colour resultColour(const std::string &result)
{
	if (result == "passed")
		return Colour::Good;
	if (result == "failed" || result == "error")
		return Colour::Bad;
	if (result == "warning")
		return Colour::Warn;
	return Colour::None;
}

bool isProblem(const std::string &result)
{
	return result == "failed" || result == "error";
}

void writeParameters(JsonWriter &json, const CheckParameters &parameters)
{
	json.beginObject();
	for (const auto &[name, value] : parameters) {
		json.key(name);
		std::visit([&](const auto &v) { json.value(v); }, value);
	}
	json.endObject();
}

} /* namespace */

std::string diagnosisText(const std::vector<AppDiagnosis> &apps, const Style &style,
			  const Translator &translator)
{
	std::size_t markWidth = 0;
	for (const AppDiagnosis &app : apps) {
		for (const DiagnosticReport &check : app.checks)
			markWidth = std::max(markWidth, check.result.size() + 2);
	}

	std::string text;
	for (const AppDiagnosis &app : apps) {
		if (!text.empty())
			text += "\n";
		text += style.paint(terminalLine(app.app), Colour::Heading) + "\n";
		if (app.checks.empty())
			text += "  (no checks)\n";
		for (const DiagnosticReport &check : app.checks) {
			const std::string mark = "[" + check.result + "]";
			text += "  " + style.paint(mark, resultColour(check.result)) +
				std::string(markWidth - mark.size() + 1, ' ') +
				terminalLine(
					translator.message(check.description, check.parameters)) +
				"\n";
		}
	}
	return text;
}

std::string diagnosisJson(const std::vector<AppDiagnosis> &apps)
{
	JsonWriter json;
	json.beginObject().key("apps").beginArray();
	for (const AppDiagnosis &app : apps) {
		json.beginObject();
		json.key("id").value(app.app);
		json.key("checks").beginArray();
		for (const DiagnosticReport &check : app.checks) {
			json.beginObject();
			json.key("check_id").value(check.checkId);
			json.key("component_id").value(check.componentId);
			json.key("result").value(check.result);
			json.key("description").value(check.description);
			json.key("parameters");
			writeParameters(json, check.parameters);
			json.key("message").value(check.message);
			json.endObject();
		}
		json.endArray();
		json.endObject();
	}
	json.endArray().endObject();
	return json.str();
}

bool diagnosisHealthy(const std::vector<AppDiagnosis> &apps)
{
	return std::none_of(apps.begin(), apps.end(), [](const AppDiagnosis &app) {
		return std::any_of(app.checks.begin(), app.checks.end(),
				   [](const DiagnosticReport &c) { return isProblem(c.result); });
	});
}

} /* namespace plinth */

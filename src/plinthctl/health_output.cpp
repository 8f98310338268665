/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "health_output.h"

#include <ctime>

#include "json_writer.h"
#include "terminal_text.h"

namespace plinth {

namespace {

Colour healthColour(const std::string &health)
{
	if (health == "ok")
		return Colour::Good;
	if (health == "failed")
		return Colour::Bad;
	if (health == "degraded")
		return Colour::Warn;
	return Colour::None;
}

std::string checkedText(std::uint64_t lastDiagnosed)
{
	if (lastDiagnosed == 0)
		return "never checked";
	const std::time_t seconds = static_cast<std::time_t>(lastDiagnosed / 1000000);
	std::tm utc{};
	gmtime_r(&seconds, &utc);
	char text[32];
	std::strftime(text, sizeof(text), "%Y-%m-%d %H:%M:%S UTC", &utc);
	return std::string("checked ") + text;
}

} /* namespace */

bool needsAttention(const AppHealthInfo &app)
{
	return app.health == "failed" || app.health == "degraded";
}

std::string healthSummary(const AppHealthInfo &app, const Style &style)
{
	std::string text = style.paint(app.health, healthColour(app.health)) + ", " +
			   checkedText(app.lastDiagnosed) + "\n";
	for (const HealthIssue &issue : app.issues)
		text += "    " + terminalLine(issue.checkId) + ": " +
			style.paint(issue.result,
				    issue.result == "ignored" ? Colour::None : Colour::Bad) +
			" (" + terminalLine(issue.message) + ")\n";
	return text;
}

std::string healthText(const std::vector<AppHealthInfo> &apps, const Style &style)
{
	std::string text;
	for (const AppHealthInfo &app : apps)
		text += style.paint(app.id, Colour::Heading) + ": " + healthSummary(app, style);
	return text;
}

std::string healthJson(const std::vector<AppHealthInfo> &apps)
{
	JsonWriter json;
	json.beginObject().key("apps").beginArray();
	for (const AppHealthInfo &app : apps) {
		json.beginObject();
		json.key("id").value(app.id);
		json.key("health").value(app.health);
		json.key("last_diagnosed").value(static_cast<std::int64_t>(app.lastDiagnosed));
		json.key("issues").beginArray();
		for (const HealthIssue &issue : app.issues) {
			json.beginObject();
			json.key("check_id").value(issue.checkId);
			json.key("result").value(issue.result);
			json.key("message").value(issue.message);
			json.endObject();
		}
		json.endArray().endObject();
	}
	json.endArray().endObject();
	return json.str();
}

} /* namespace plinth */

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "watch_output.h"

#include "json_writer.h"
#include "state_words.h"

namespace plinth {

std::string appStateChangedLine(const std::string &app, bool enabled, bool running, bool json,
				const Style &style)
{
	if (json) {
		JsonWriter writer;
		writer.beginObject();
		writer.key("signal").value("AppStateChanged");
		writer.key("app").value(app);
		writer.key("enabled").value(enabled);
		writer.key("running").value(running);
		writer.endObject();
		return writer.str() + "\n";
	}
	return "app " + app + ": " + stateSummary(enabled, running, style) + "\n";
}

std::string unitStateChangedLine(const std::string &unit, const std::string &activeState,
				 const std::string &subState, bool json, const Style &style)
{
	if (json) {
		JsonWriter writer;
		writer.beginObject();
		writer.key("signal").value("UnitStateChanged");
		writer.key("unit").value(unit);
		writer.key("active_state").value(activeState);
		writer.key("sub_state").value(subState);
		writer.endObject();
		return writer.str() + "\n";
	}
	const Colour colour = activeState == "active"	? Colour::Good
			      : activeState == "failed" ? Colour::Bad
							: Colour::None;
	return "unit " + unit + ": " + style.paint(activeState, colour) + " (" + subState + ")\n";
}

std::string appsReloadedLine(bool json)
{
	return json ? "{\"signal\":\"AppsReloaded\"}\n" : "apps reloaded\n";
}

} /* namespace plinth */

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "state_words.h"

namespace plinth {

Cell enabledCell(bool enabled)
{
	return enabled ? Cell{"yes", Colour::Good} : Cell{"no", Colour::None};
}

Cell runningCell(bool running, bool enabled)
{
	if (running)
		return {"yes", Colour::Good};
	return {"no", enabled ? Colour::Bad : Colour::None};
}

std::string stateSummary(bool enabled, bool running, const Style &style)
{
	const Cell enabledWord{enabled ? "enabled" : "disabled", enabledCell(enabled).colour};
	const Cell runningWord{running ? "running" : "not running",
			       runningCell(running, enabled).colour};
	return style.paint(enabledWord.text, enabledWord.colour) + ", " +
	       style.paint(runningWord.text, runningWord.colour);
}

} /* namespace plinth */

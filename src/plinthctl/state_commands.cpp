/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <algorithm>
#include <ostream>

#include "app_or_unit.h"
#include "commands.h"
#include "exit_code.h"
#include "unit_name.h"
#include "unit_output.h"

namespace plinth {

namespace {

/* Answers for every name, then 0 if all are yes and 3 if one is not, as systemctl does. */
template<typename AskApp, typename AskUnit>
int answer(CommandContext &context, std::string_view key, std::string_view yesWord,
	   std::string_view noWord, AskApp askApp, AskUnit askUnit)
{
	std::vector<StateAnswer> answers;
	for (const std::string &name : context.invocation.arguments) {
		bool unit = false;
		const bool yes = askAppOrUnit(context.service, name, unit, askApp, askUnit);
		answers.push_back({unit ? mangleUnitName(name) : name, unit, yes});
	}
	if (context.invocation.json)
		context.out << stateAnswersJson(answers, key) << "\n";
	else
		context.out << stateAnswersText(answers, yesWord, noWord);
	const bool all = std::all_of(answers.begin(), answers.end(),
				     [](const StateAnswer &a) { return a.yes; });
	return all ? ExitSuccess : ExitNotInState;
}

} /* namespace */

int runIsEnabled(CommandContext &context)
{
	ServiceProxy &service = context.service;
	return answer(
		context, "enabled", "enabled", "disabled",
		[&](const std::string &app) { return service.IsAppEnabled(app); },
		[&](const std::string &unit) { return service.IsUnitEnabled(unit); });
}

int runIsRunning(CommandContext &context)
{
	ServiceProxy &service = context.service;
	return answer(
		context, "running", "running", "not running",
		[&](const std::string &app) { return service.IsAppRunning(app); },
		[&](const std::string &unit) { return service.IsUnitRunning(unit); });
}

} /* namespace plinth */

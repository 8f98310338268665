/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <ostream>

#include "commands.h"
#include "diagnostic_output.h"
#include "exit_code.h"
#include "translator.h"

namespace plinth {

int runDiagnose(CommandContext &context)
{
	std::vector<AppDiagnosis> apps;
	if (context.invocation.arguments.empty()) {
		apps = context.service.diagnoseAll();
	} else {
		for (const std::string &app : context.invocation.arguments)
			apps.push_back({app, context.service.diagnose(app)});
	}

	return printDiagnosis(context, apps);
}

int printDiagnosis(CommandContext &context, const std::vector<AppDiagnosis> &apps)
{
	if (context.invocation.json) {
		context.out << diagnosisJson(apps) << "\n";
	} else {
		/* The templates travel untranslated so that each user reads their own language. */
		const Translator translator{std::string()};
		context.out << diagnosisText(apps, context.style, translator);
	}
	return diagnosisHealthy(apps) ? ExitSuccess : ExitFailure;
}

} /* namespace plinth */

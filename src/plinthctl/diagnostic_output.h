/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <string>
#include <vector>

#include "model.h"
#include "style.h"
#include "translator.h"

namespace plinth {

/*
 * Each app, then one line per check: a mark with its result, then the description in the
 * user's language with its parameters filled in.
 */
std::string diagnosisText(const std::vector<AppDiagnosis> &apps, const Style &style,
			  const Translator &translator);
/*
 * {"apps":[{"id","checks":[{"check_id","component_id","result","description",
 * "parameters":{NAME:string|number|bool},"message"}]}]}, the fields as the service sent them.
 */
std::string diagnosisJson(const std::vector<AppDiagnosis> &apps);

/* Whether every check passed or was deliberately not run: diagnose exits 1 otherwise. */
bool diagnosisHealthy(const std::vector<AppDiagnosis> &apps);

} /* namespace plinth */

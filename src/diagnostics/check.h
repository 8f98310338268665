/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace plinth {

/* The reference's results, with its names on the bus. */
enum class CheckResult {
	Passed,
	Failed,
	Error,
	Warning,
	NotDone,
	Skipped,
};

/* "passed", "failed", "error", "warning", "not_done", "skipped" */
std::string_view checkResultName(CheckResult result);

using CheckParameterValue = std::variant<std::string, std::int64_t, bool>;
/* Ordered, so the bus and the tests see the parameters in the order the reference gives them. */
using CheckParameters = std::vector<std::pair<std::string, CheckParameterValue>>;

class Translator;

struct DiagnosticCheck {
	std::string checkId;
	std::string componentId;
	CheckResult result = CheckResult::NotDone;
	/* The untranslated template, so a client can translate it itself. */
	std::string description;
	CheckParameters parameters;
	/* The translated description with its parameters filled in. */
	std::string message;

	bool operator==(const DiagnosticCheck &) const = default;
};

/*
 * Replaces every {name} of the template by that parameter's value, as Python's str.format would
 * for the reference's templates: {{ and }} stand for literal braces. A placeholder naming no
 * parameter stays as written, so a translation with a typo loses one value, not the message.
 */
std::string formatDescription(std::string_view description, const CheckParameters &parameters);

/*
 * Builds a check, its message translated before the parameters are filled in. A reason (a
 * template of diagnostic_messages.h) says why the check did not pass: it becomes the parameter
 * "reason", untranslated, and is appended to the message, translated.
 */
DiagnosticCheck makeCheck(std::string checkId, std::string componentId, CheckResult result,
			  std::string description, CheckParameters parameters,
			  const Translator &translator, std::string_view reason = {});

} /* namespace plinth */

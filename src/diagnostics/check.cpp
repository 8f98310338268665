/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "check.h"

#include <algorithm>
#include <array>

#include "translator.h"

namespace plinth {

namespace {

constexpr std::array<std::pair<CheckResult, std::string_view>, 6> kResultNames = {{
	{CheckResult::Passed, "passed"},
	{CheckResult::Failed, "failed"},
	{CheckResult::Error, "error"},
	{CheckResult::Warning, "warning"},
	{CheckResult::NotDone, "not_done"},
	{CheckResult::Skipped, "skipped"},
}};

std::string parameterText(const CheckParameterValue &value)
{
	if (const auto *text = std::get_if<std::string>(&value))
		return *text;
	if (const auto *number = std::get_if<std::int64_t>(&value))
		return std::to_string(*number);
	return std::get<bool>(value) ? "true" : "false";
}

const CheckParameterValue *findParameter(const CheckParameters &parameters, std::string_view name)
{
	auto it = std::find_if(parameters.begin(), parameters.end(),
			       [&](const auto &parameter) { return parameter.first == name; });
	return it == parameters.end() ? nullptr : &it->second;
}

} /* namespace */

std::string_view checkResultName(CheckResult result)
{
	for (const auto &[r, name] : kResultNames) {
		if (r == result)
			return name;
	}
	return {};
}

std::string formatDescription(std::string_view description, const CheckParameters &parameters)
{
	std::string out;
	out.reserve(description.size());

	std::size_t i = 0;
	while (i < description.size()) {
		const char c = description[i];
		if ((c == '{' || c == '}') && i + 1 < description.size() &&
		    description[i + 1] == c) {
			out += c;
			i += 2;
			continue;
		}

		if (c == '{') {
			const std::size_t close = description.find('}', i + 1);
			if (close != std::string_view::npos) {
				const std::string_view name =
					description.substr(i + 1, close - i - 1);
				if (const CheckParameterValue *value =
					    findParameter(parameters, name)) {
					out += parameterText(*value);
					i = close + 1;
					continue;
				}
			}
		}

		out += c;
		i++;
	}

	return out;
}

DiagnosticCheck makeCheck(std::string checkId, std::string componentId, CheckResult result,
			  std::string description, CheckParameters parameters,
			  const Translator &translator, std::string_view reason)
{
	std::string message = translator.message(description, parameters);
	if (!reason.empty()) {
		message += ": " + translator.message(reason, parameters);
		parameters.emplace_back("reason", formatDescription(reason, parameters));
	}
	return DiagnosticCheck{std::move(checkId),     std::move(componentId), result,
			       std::move(description), std::move(parameters),  std::move(message)};
}

} /* namespace plinth */

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "plan_failures.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

namespace plinth {

namespace {

ErrorCode commonCode(const std::vector<UnitFailure> &failures)
{
	const bool agree = std::all_of(failures.begin(), failures.end(), [&](const auto &failure) {
		return failure.code == failures.front().code;
	});
	return agree && !failures.empty() ? failures.front().code : ErrorCode::JobFailed;
}

/* "Result=exit-code, exit status 3", "Result=signal, signal 9". */
std::string describeEnd(const UnitFailure &failure)
{
	std::string text = "Result=" + failure.unitResult;
	if (failure.exitStatus)
		text += fmt::format(", exit status {}", *failure.exitStatus);
	else if (failure.signal)
		text += fmt::format(", signal {}", *failure.signal);
	return text;
}

std::string render(const std::vector<UnitFailure> &failures)
{
	std::string message;
	for (const UnitFailure &failure : failures)
		message += (message.empty() ? "" : " ") + failure.reason;

	/* How each unit ended, once, as the first of its failures has it. */
	std::set<std::string> described;
	for (const UnitFailure &failure : failures) {
		if (failure.unitResult.empty() || !described.insert(failure.unit).second)
			continue;
		message += fmt::format(" {}: {}.", failure.unit, describeEnd(failure));
		if (failure.lastLines.empty())
			continue;
		message += " Its last lines:";
		for (const std::string &line : failure.lastLines)
			message += "\n  " + line;
	}
	return message;
}

} /* namespace */

PlanError::PlanError(std::vector<UnitFailure> failures)
	: Error(commonCode(failures), render(failures)), failures_(std::move(failures))
{
}

void PlanFailures::add(const std::string &unit, const std::exception_ptr &error)
{
	if (!error)
		return;
	UnitFailure failure{.unit = unit};
	try {
		std::rethrow_exception(error);
	} catch (const JobResultError &e) {
		failure.code = e.code();
		failure.reason = e.what();
		failure.jobResult = e.result();
	} catch (const Error &e) {
		failure.code = e.code();
		failure.reason = e.what();
	} catch (const std::exception &e) {
		failure.reason = e.what();
	} catch (...) {
		failure.reason = "An unknown error happened.";
	}
	failures_.push_back(std::move(failure));
}

std::exception_ptr PlanFailures::error() const
{
	if (failures_.empty())
		return nullptr;
	return std::make_exception_ptr(PlanError(failures_));
}

} /* namespace plinth */

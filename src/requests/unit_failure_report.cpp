/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "unit_failure_report.h"

#include <fmt/format.h>

#include <algorithm>
#include <ctime>
#include <set>

#include "app_catalog.h"
#include "await_callback.h"
#include "error.h"
#include "log_scope.h"
#include "log_service.h"
#include "plan_failures.h"
#include "unit_properties.h"

namespace plinth {

namespace {

/* ExecMainCode is a CLD_* code of waitid(2). */
constexpr std::int32_t kExited = 1;

/* The failures of a plan's JobFailed, or none. */
std::vector<UnitFailure> jobFailures(const std::exception_ptr &error)
{
	try {
		if (error)
			std::rethrow_exception(error);
	} catch (const PlanError &e) {
		if (e.code() == ErrorCode::JobFailed)
			return e.failures();
	} catch (...) {
	}
	return {};
}

std::string formatLine(const LogEntry &entry)
{
	const std::time_t seconds = static_cast<std::time_t>(entry.realtimeUsec / 1000000);
	std::tm local{};
	localtime_r(&seconds, &local);
	char when[32];
	std::strftime(when, sizeof(when), "%b %d %H:%M:%S", &local);
	return fmt::format("{} {}[{}]: {}", when, entry.identifier, entry.pid, entry.message);
}

} /* namespace */

UnitFailureReport::UnitFailureReport(UnitPropertyReader &properties, LogService &logs,
				     Authority &authority, const AppCatalog &apps)
	: properties_(properties), logs_(logs), authority_(authority), apps_(apps)
{
}

Task<std::exception_ptr> UnitFailureReport::explained(std::exception_ptr error, Caller caller,
						      std::vector<std::string> units)
{
	std::vector<UnitFailure> failures = jobFailures(error);
	if (failures.empty())
		co_return error;

	/* Never ask polkit interactively on the way: this only adds detail to an answer. */
	caller.allowInteractiveAuthorization = false;
	std::set<std::string> described;
	for (UnitFailure &failure : failures) {
		const bool asked =
			std::find(units.begin(), units.end(), failure.unit) != units.end();
		if (asked && described.insert(failure.unit).second)
			co_await describe(failure, caller);
	}
	co_return std::make_exception_ptr(PlanError(std::move(failures)));
}

/* The unit's own Result and exit status, and its last lines for a caller allowed them. */
Task<void> UnitFailureReport::describe(UnitFailure &failure, const Caller &caller)
{
	UnitPropertyReader::Properties properties;
	try {
		properties = co_await awaitResult<UnitPropertyReader::Properties>(
			[&](UnitPropertyReader::Done done) {
				properties_.read(failure.unit, std::move(done));
			});
	} catch (...) {
		co_return;
	}
	const std::string result = propertyOr<std::string>(properties, "Result", "");
	if (result.empty() || result == "success")
		co_return;
	failure.unitResult = result;
	const std::int32_t code = propertyOr<std::int32_t>(properties, "ExecMainCode", 0);
	const std::int32_t status = propertyOr<std::int32_t>(properties, "ExecMainStatus", 0);
	if (code == kExited)
		failure.exitStatus = status;
	else if (code != 0)
		failure.signal = status;

	std::vector<LogEntry> entries;
	try {
		co_await awaitCompletion([&](Authority::Completion allowed) {
			authority_.authorize(
				caller, Action::ReadLogs,
				unitLogScope(*apps_.registry(), failure.unit).needed.details,
				std::move(allowed));
		});
		entries = co_await awaitResult<std::vector<LogEntry>>(
			[&](LogService::EntriesDone done) {
				logs_.read({{failure.unit}, kLastLines, ""}, std::move(done));
			});
	} catch (...) {
		co_return;
	}
	for (const LogEntry &entry : entries)
		failure.lastLines.push_back(formatLine(entry));
}

} /* namespace plinth */

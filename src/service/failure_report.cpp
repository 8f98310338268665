/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "failure_report.h"

#include <fmt/format.h>

#include <ctime>

#include "app_manager.h"
#include "error.h"
#include "log_scope.h"
#include "log_service.h"
#include "unit_properties.h"

namespace plinth {

namespace {

/* ExecMainCode is a CLD_* code of waitid(2). */
constexpr std::int32_t kExited = 1;

/* "Result=exit-code, exit status 3", "Result=signal, signal 9", or "" when it succeeded. */
std::string describeResult(const UnitPropertyReader::Properties &properties)
{
	const std::string result = propertyOr<std::string>(properties, "Result", "");
	if (result.empty() || result == "success")
		return {};
	const std::int32_t code = propertyOr<std::int32_t>(properties, "ExecMainCode", 0);
	const std::int32_t status = propertyOr<std::int32_t>(properties, "ExecMainStatus", 0);
	std::string text = "Result=" + result;
	if (code == kExited)
		text += fmt::format(", exit status {}", status);
	else if (code != 0)
		text += fmt::format(", signal {}", status);
	return text;
}

std::string formatLine(const LogEntry &entry)
{
	const std::time_t seconds = static_cast<std::time_t>(entry.realtimeUsec / 1000000);
	std::tm local{};
	localtime_r(&seconds, &local);
	char when[32];
	std::strftime(when, sizeof(when), "%b %d %H:%M:%S", &local);
	return fmt::format("\n  {} {}[{}]: {}", when, entry.identifier, entry.pid, entry.message);
}

} /* namespace */

FailureReport::FailureReport(UnitPropertyReader &properties, LogService &logs, Authority &authority,
			     const AppManager &apps)
	: properties_(properties), logs_(logs), authority_(authority), apps_(apps)
{
}

void FailureReport::explain(std::exception_ptr error, const Caller &caller,
			    std::vector<std::string> units, Authority::Completion done)
{
	std::string message;
	try {
		if (error)
			std::rethrow_exception(error);
	} catch (const Error &e) {
		if (e.code() == ErrorCode::JobFailed)
			message = e.what();
	} catch (...) {
	}
	if (message.empty()) {
		done(error);
		return;
	}

	std::vector<std::string> named;
	for (std::string &unit : units) {
		if (message.find(unit) != std::string::npos)
			named.push_back(std::move(unit));
	}
	/* Never ask polkit interactively on the way: this only adds detail to an answer. */
	Caller quiet = caller;
	quiet.allowInteractiveAuthorization = false;
	explainNext(std::make_shared<std::string>(std::move(message)), std::move(quiet),
		    std::move(named), std::move(done));
}

void FailureReport::explainNext(std::shared_ptr<std::string> message, Caller caller,
				std::vector<std::string> units, Authority::Completion done)
{
	if (units.empty()) {
		done(std::make_exception_ptr(Error(ErrorCode::JobFailed, *message)));
		return;
	}
	const std::string unit = units.front();
	units.erase(units.begin());
	auto next = [this, message, caller, units = std::move(units), done = std::move(done)] {
		explainNext(message, caller, units, done);
	};
	properties_.read(unit, [this, message, caller, unit,
				next = std::move(next)](UnitPropertyReader::Properties properties,
							std::exception_ptr error) {
		const std::string result = error ? std::string() : describeResult(properties);
		if (result.empty()) {
			next();
			return;
		}
		*message += " " + unit + ": " + result + ".";
		appendLastLines(message, caller, unit, next);
	});
}

void FailureReport::appendLastLines(std::shared_ptr<std::string> message, const Caller &caller,
				    const std::string &unit, std::function<void()> then)
{
	authority_.authorize(
		caller, Action::ReadLogs, unitLogScope(*apps_.registry(), unit).needed.details,
		[this, message, unit, then = std::move(then)](std::exception_ptr refused) {
			if (refused) {
				then();
				return;
			}
			logs_.read({{unit}, kLastLines, ""},
				   [message, unit, then](std::vector<LogEntry> entries,
							 std::exception_ptr error) {
					   if (!error && !entries.empty()) {
						   *message += " Its last lines:";
						   for (const LogEntry &entry : entries)
							   *message += formatLine(entry);
					   }
					   then();
				   });
		});
}

} /* namespace plinth */

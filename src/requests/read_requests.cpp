/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "read_requests.h"

#include "await_callback.h"
#include "error.h"
#include "log_service.h"

namespace plinth {

namespace {

/* polkit refused, or would have asked: nothing failed, the caller just may not read these. */
bool isRefusal(const std::exception_ptr &error)
{
	try {
		std::rethrow_exception(error);
	} catch (const Error &e) {
		return e.code() == ErrorCode::NotAuthorized ||
		       e.code() == ErrorCode::InteractiveAuthorizationRequired;
	} catch (...) {
		return false;
	}
}

} /* namespace */

ReadRequests::ReadRequests(AppCatalog &apps, AppDiagnoses &diagnoses, LogService &logs,
			   UnitPropertyReader &properties)
	: apps_(apps), diagnoses_(diagnoses), logs_(logs), properties_(properties)
{
}

Task<std::vector<DiagnosticCheck>>
ReadRequests::diagnoseApp(Request<std::vector<DiagnosticCheck>> &request, std::string app)
{
	request.describe(RequestKind::Read, "diagnose app " + app);
	apps_.app(app);
	const CallerQuota::Ticket slot = diagnosisQuota_.takeOrBusy(
		request.caller().uniqueName, "diagnoses in flight", "wait for their answers");
	co_return co_await diagnoses_.diagnoseApp(app);
}

Task<DiagnosisRunner::Results> ReadRequests::diagnoseAll(Request<DiagnosisRunner::Results> &request)
{
	request.describe(RequestKind::Read, "diagnose all apps");
	const CallerQuota::Ticket slot = diagnosisQuota_.takeOrBusy(
		request.caller().uniqueName, "diagnoses in flight", "wait for their answers");
	co_return co_await diagnoses_.diagnoseAll();
}

Task<ReadRequests::UnitStatus> ReadRequests::unitStatus(Request<UnitStatus> &request,
							std::string name)
{
	request.describe(RequestKind::Read, "status of " + name);
	const std::string unit = apps_.managedUnitName(name);

	UnitStatus properties = co_await awaitResult<UnitStatus>(
		[&](UnitPropertyReader::Done done) { properties_.read(unit, std::move(done)); });

	/* The states come from the mirror, so they agree with UnitStateChanged. */
	co_await apps_.statesKnown();
	const UnitState &state = apps_.status().unitState(unit);
	properties["LoadState"] = sdbus::Variant(state.loadState);
	properties["ActiveState"] = sdbus::Variant(state.activeState);
	properties["SubState"] = sdbus::Variant(state.subState);
	properties["UnitFileState"] = sdbus::Variant(state.unitFileState);
	co_return properties;
}

Task<std::vector<LogEntry>> ReadRequests::unitLogs(Request<std::vector<LogEntry>> &request,
						   std::string unit, std::uint32_t lines,
						   std::string afterCursor)
{
	request.describe(RequestKind::Read, "read the logs of " + unit);
	LogScope scope = unitLogScope(*apps_.registry(), apps_.managedUnitName(unit));
	co_return co_await readLogs(request, std::move(scope), lines, std::move(afterCursor));
}

Task<std::vector<LogEntry>> ReadRequests::appLogs(Request<std::vector<LogEntry>> &request,
						  std::string app, std::uint32_t lines,
						  std::string afterCursor)
{
	request.describe(RequestKind::Read, "read the logs of app " + app);
	LogScope scope = appLogScope(*apps_.registry(), apps_.app(app));
	co_return co_await readLogs(request, std::move(scope), lines, std::move(afterCursor));
}

Task<ReadRequests::LogStream>
ReadRequests::followUnitLogs(Request<LogStream> &request, std::string unit, std::string afterCursor)
{
	request.describe(RequestKind::Read, "follow the logs of " + unit);
	LogScope scope = unitLogScope(*apps_.registry(), apps_.managedUnitName(unit));
	co_return co_await followLogs(request, std::move(scope), std::move(afterCursor));
}

Task<ReadRequests::LogStream> ReadRequests::followAppLogs(Request<LogStream> &request,
							  std::string app, std::string afterCursor)
{
	request.describe(RequestKind::Read, "follow the logs of app " + app);
	LogScope scope = appLogScope(*apps_.registry(), apps_.app(app));
	co_return co_await followLogs(request, std::move(scope), std::move(afterCursor));
}

Task<std::vector<std::string>> ReadRequests::allowedUnits(RequestBase &request, LogScope scope)
{
	co_await request.authorize(Action::ReadLogs, scope.needed.details);
	std::vector<std::string> units = std::move(scope.needed.units);
	if (!scope.extra)
		co_return units;

	/* Asked quietly: a grant of an app's own units never brings a password dialog. */
	std::exception_ptr refusal;
	try {
		co_await request.authorize(Action::ReadLogs, scope.extra->details, Prompt::Never);
	} catch (...) {
		refusal = std::current_exception();
	}
	if (refusal && !isRefusal(refusal))
		std::rethrow_exception(refusal);
	if (!refusal)
		units.insert(units.end(), scope.extra->units.begin(), scope.extra->units.end());
	co_return units;
}

Task<std::vector<LogEntry>> ReadRequests::readLogs(RequestBase &request, LogScope scope,
						   std::uint32_t lines, std::string afterCursor)
{
	std::vector<std::string> units = co_await allowedUnits(request, std::move(scope));
	LogQuery query{std::move(units), lines, std::move(afterCursor)};
	co_return co_await awaitResult<std::vector<LogEntry>>([&](LogService::EntriesDone done) {
		logs_.read(std::move(query), std::move(done));
	});
}

Task<ReadRequests::LogStream> ReadRequests::followLogs(RequestBase &request, LogScope scope,
						       std::string afterCursor)
{
	std::vector<std::string> units = co_await allowedUnits(request, std::move(scope));
	const std::string &follower = request.caller().uniqueName;
	CallerQuota::Ticket slot =
		streamQuota_.takeOrBusy(follower, "log streams open",
					"close the file descriptor of one you no longer read");
	/* The stream ends when the caller leaves the bus (the PeerWatcher). */
	const int fd = co_await awaitResult<int>([&](LogService::FollowDone done) {
		logs_.follow(std::move(units), afterCursor, follower, std::move(slot),
			     std::move(done));
	});
	co_return LogStream{fd};
}

} /* namespace plinth */

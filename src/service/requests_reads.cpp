/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The Requests that read what systemd and the journal know about units: status and logs. */
#include "error.h"
#include "log_service.h"
#include "requests.h"
#include "unit_properties.h"

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

void Requests::unitStatus(sdbus::Result<UnitStatus> &&result, const std::string &name)
{
	auto reply = owe(std::move(result));
	std::string unit;
	try {
		unit = apps_.managedUnitName(name);
	} catch (...) {
		reply->fail(std::current_exception());
		return;
	}
	properties_.read(unit, [this, reply, unit](UnitPropertyReader::Properties properties,
						   std::exception_ptr error) {
		if (error) {
			reply->fail(error);
			return;
		}
		/* The states come from the mirror, so they agree with UnitStateChanged. */
		apps_.whenStatesKnown(
			[this, reply, unit, properties = std::move(properties)]() mutable {
				const UnitState &state = apps_.status().unitState(unit);
				properties["LoadState"] = sdbus::Variant(state.loadState);
				properties["ActiveState"] = sdbus::Variant(state.activeState);
				properties["SubState"] = sdbus::Variant(state.subState);
				properties["UnitFileState"] = sdbus::Variant(state.unitFileState);
				reply->succeed(properties);
			});
	});
}

LogScope Requests::unitLogScope(const std::string &name) const
{
	return plinth::unitLogScope(*apps_.registry(), apps_.managedUnitName(name));
}

LogScope Requests::appLogScope(const std::string &app) const
{
	return plinth::appLogScope(*apps_.registry(), apps_.app(app));
}

void Requests::unitLogs(sdbus::Result<std::vector<LogRow>> &&result, const Caller &caller,
			const std::string &unit, std::uint32_t lines, std::string afterCursor)
{
	readLogs(
		std::move(result), caller, [this, &unit] { return unitLogScope(unit); }, lines,
		std::move(afterCursor));
}

void Requests::appLogs(sdbus::Result<std::vector<LogRow>> &&result, const Caller &caller,
		       const std::string &app, std::uint32_t lines, std::string afterCursor)
{
	readLogs(
		std::move(result), caller, [this, &app] { return appLogScope(app); }, lines,
		std::move(afterCursor));
}

void Requests::followUnitLogs(sdbus::Result<sdbus::UnixFd> &&result, const Caller &caller,
			      const std::string &unit, std::string afterCursor)
{
	followLogs(
		std::move(result), caller, [this, &unit] { return unitLogScope(unit); },
		std::move(afterCursor));
}

void Requests::followAppLogs(sdbus::Result<sdbus::UnixFd> &&result, const Caller &caller,
			     const std::string &app, std::string afterCursor)
{
	followLogs(
		std::move(result), caller, [this, &app] { return appLogScope(app); },
		std::move(afterCursor));
}

void Requests::whenLogsAllowed(const Caller &caller, const std::function<LogScope()> &scope,
			       const std::function<void(std::exception_ptr)> &fail,
			       std::function<void(std::vector<std::string>)> read)
{
	LogScope target;
	try {
		target = scope();
	} catch (...) {
		fail(std::current_exception());
		return;
	}
	Authority::Details details = target.needed.details;
	authorize(caller, Action::ReadLogs, std::move(details),
		  [this, caller, fail, read = std::move(read),
		   target = std::move(target)](std::exception_ptr error) mutable {
			  if (error)
				  fail(error);
			  else
				  whenExtraLogsAllowed(caller, std::move(target), fail,
						       std::move(read));
		  });
}

void Requests::whenExtraLogsAllowed(const Caller &caller, LogScope scope,
				    const std::function<void(std::exception_ptr)> &fail,
				    std::function<void(std::vector<std::string>)> read)
{
	if (!scope.extra) {
		read(std::move(scope.needed.units));
		return;
	}
	/* Asked quietly: a grant of an app's own units never brings a password dialog. */
	Caller quiet = caller;
	quiet.allowInteractiveAuthorization = false;
	Authority::Details details = scope.extra->details;
	authorize(
		quiet, Action::ReadLogs, std::move(details),
		[fail, read = std::move(read), scope = std::move(scope)](std::exception_ptr error) {
			if (error && !isRefusal(error)) {
				fail(error);
				return;
			}
			std::vector<std::string> units = scope.needed.units;
			if (!error)
				units.insert(units.end(), scope.extra->units.begin(),
					     scope.extra->units.end());
			read(std::move(units));
		});
}

void Requests::readLogs(sdbus::Result<std::vector<LogRow>> &&result, const Caller &caller,
			const std::function<LogScope()> &scope, std::uint32_t lines,
			std::string afterCursor)
{
	auto reply = owe(std::move(result));
	whenLogsAllowed(
		caller, scope, [reply](std::exception_ptr error) { reply->fail(error); },
		[this, reply, lines,
		 afterCursor = std::move(afterCursor)](std::vector<std::string> units) {
			logs_.read(
				{std::move(units), lines, afterCursor},
				[reply](std::vector<LogEntry> entries, std::exception_ptr failure) {
					if (failure)
						reply->fail(failure);
					else
						reply->succeed(logRows(std::move(entries)));
				});
		});
}

void Requests::followLogs(sdbus::Result<sdbus::UnixFd> &&result, const Caller &caller,
			  const std::function<LogScope()> &scope, std::string afterCursor)
{
	auto reply = owe(std::move(result));
	whenLogsAllowed(
		caller, scope, [reply](std::exception_ptr error) { reply->fail(error); },
		[this, reply, afterCursor = std::move(afterCursor),
		 follower = caller.uniqueName](std::vector<std::string> units) {
			CallerQuota::Ticket slot;
			try {
				slot = streamQuota_.takeOrBusy(
					follower, "log streams open",
					"close the file descriptor of one you no longer read");
			} catch (...) {
				reply->fail(std::current_exception());
				return;
			}
			/* The stream ends when the caller leaves the bus (the PeerWatcher). */
			logs_.follow(std::move(units), afterCursor, follower, std::move(slot),
				     [reply](int fd, std::exception_ptr failure) {
					     if (failure)
						     reply->fail(failure);
					     else
						     reply->succeed(
							     sdbus::UnixFd(fd, sdbus::adopt_fd));
				     });
		});
}

} /* namespace plinth */

/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The adaptor's log methods: GetUnitLogs, GetAppLogs, FollowUnitLogs and FollowAppLogs. */
#include <unistd.h>

#include "app_manager.h"
#include "caller.h"
#include "daemons_adaptor.h"
#include "log_service.h"
#include "requests.h"

namespace plinth {

namespace {

/* Runs fn; if it throws, answers result with the error and returns true. */
template<typename Result, typename Fn>
bool answeredWithError(Result &result, Fn fn)
{
	try {
		fn();
		return false;
	} catch (...) {
		result.returnError(toBusError(std::current_exception()));
		return true;
	}
}

} /* namespace */

void DaemonsAdaptor::GetUnitLogs(sdbus::Result<std::vector<LogRow>> &&result, std::string unit,
				 std::uint32_t lines, std::string afterCursor)
{
	/* Refusing an undeclared unit needs no authorization. */
	if (answeredWithError(result, [&] { unit = apps_.managedUnitName(unit); }))
		return;
	readLogs(std::move(result), {{"unit", unit}}, {unit}, lines, std::move(afterCursor));
}

void DaemonsAdaptor::GetAppLogs(sdbus::Result<std::vector<LogRow>> &&result, std::string app,
				std::uint32_t lines, std::string afterCursor)
{
	std::vector<std::string> units;
	if (answeredWithError(result, [&] { units = requests_.unitsOf(app); }))
		return;
	readLogs(std::move(result), {{"app", app}}, std::move(units), lines,
		 std::move(afterCursor));
}

void DaemonsAdaptor::FollowUnitLogs(sdbus::Result<sdbus::UnixFd> &&result, std::string unit,
				    std::string afterCursor)
{
	if (answeredWithError(result, [&] { unit = apps_.managedUnitName(unit); }))
		return;
	followLogs(std::move(result), {{"unit", unit}}, {unit}, std::move(afterCursor));
}

void DaemonsAdaptor::FollowAppLogs(sdbus::Result<sdbus::UnixFd> &&result, std::string app,
				   std::string afterCursor)
{
	std::vector<std::string> units;
	if (answeredWithError(result, [&] { units = requests_.unitsOf(app); }))
		return;
	followLogs(std::move(result), {{"app", app}}, std::move(units), std::move(afterCursor));
}

void DaemonsAdaptor::readLogs(sdbus::Result<std::vector<LogRow>> &&result,
			      Authority::Details details, std::vector<std::string> units,
			      std::uint32_t lines, std::string afterCursor)
{
	auto reply = requests_.owe(std::move(result));
	LogQuery query{std::move(units), lines, std::move(afterCursor)};
	requests_.authorize(currentCaller(getObject()), Action::ReadLogs, std::move(details),
			    [this, reply, query = std::move(query)](std::exception_ptr error) {
				    if (error) {
					    reply->fail(error);
					    return;
				    }
				    logs_.read(query, [reply](std::vector<LogEntry> entries,
							      std::exception_ptr failure) {
					    if (failure) {
						    reply->fail(failure);
						    return;
					    }
					    std::vector<LogRow> rows;
					    rows.reserve(entries.size());
					    for (LogEntry &e : entries)
						    rows.emplace_back(e.realtimeUsec,
								      std::move(e.unit), e.priority,
								      std::move(e.identifier),
								      e.pid, std::move(e.message),
								      std::move(e.cursor));
					    reply->succeed(rows);
				    });
			    });
}

void DaemonsAdaptor::followLogs(sdbus::Result<sdbus::UnixFd> &&result, Authority::Details details,
				std::vector<std::string> units, std::string afterCursor)
{
	auto reply = requests_.owe(std::move(result));
	const Caller caller = currentCaller(getObject());
	requests_.authorize(
		caller, Action::ReadLogs, std::move(details),
		[this, reply, units = std::move(units), afterCursor = std::move(afterCursor),
		 follower = caller.uniqueName](std::exception_ptr error) {
			if (error) {
				reply->fail(error);
				return;
			}
			/* The stream ends when the caller leaves the bus (the service's
			 * PeerWatcher). */
			logs_.follow(units, afterCursor, follower,
				     [reply](int fd, std::exception_ptr failure) {
					     if (failure) {
						     reply->fail(failure);
						     return;
					     }
					     reply->succeed(sdbus::UnixFd(fd, sdbus::adopt_fd));
				     });
		});
}

} /* namespace plinth */

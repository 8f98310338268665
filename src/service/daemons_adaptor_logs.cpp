/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The adaptor's log methods: GetUnitLogs, GetAppLogs, FollowUnitLogs and FollowAppLogs. */
#include <unistd.h>

#include <set>

#include "app_manager.h"
#include "daemons_adaptor.h"
#include "log_service.h"
#include "pending_reply.h"

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
	if (answeredWithError(result, [&] { apps_.checkManaged(unit); }))
		return;
	readLogs(std::move(result), {{"unit", unit}}, {unit}, lines, std::move(afterCursor));
}

void DaemonsAdaptor::GetAppLogs(sdbus::Result<std::vector<LogRow>> &&result, std::string app,
				std::uint32_t lines, std::string afterCursor)
{
	std::vector<std::string> units;
	if (answeredWithError(result, [&] { units = unitsOf(app); }))
		return;
	readLogs(std::move(result), {{"app", app}}, std::move(units), lines,
		 std::move(afterCursor));
}

void DaemonsAdaptor::FollowUnitLogs(sdbus::Result<sdbus::UnixFd> &&result, std::string unit,
				    std::string afterCursor)
{
	if (answeredWithError(result, [&] { apps_.checkManaged(unit); }))
		return;
	followLogs(std::move(result), {{"unit", unit}}, {unit}, std::move(afterCursor));
}

void DaemonsAdaptor::FollowAppLogs(sdbus::Result<sdbus::UnixFd> &&result, std::string app,
				   std::string afterCursor)
{
	std::vector<std::string> units;
	if (answeredWithError(result, [&] { units = unitsOf(app); }))
		return;
	followLogs(std::move(result), {{"app", app}}, std::move(units), std::move(afterCursor));
}

void DaemonsAdaptor::readLogs(sdbus::Result<std::vector<LogRow>> &&result,
			      Authority::Details details, std::vector<std::string> units,
			      std::uint32_t lines, std::string afterCursor)
{
	auto reply = owe(std::move(result), inFlight_);
	LogQuery query{std::move(units), lines, std::move(afterCursor)};
	authorized(Action::ReadLogs, std::move(details),
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
					   rows.emplace_back(e.realtimeUsec, std::move(e.unit),
							     e.priority, std::move(e.identifier),
							     e.pid, std::move(e.message),
							     std::move(e.cursor));
				   reply->succeed(rows);
			   });
		   });
}

void DaemonsAdaptor::followLogs(sdbus::Result<sdbus::UnixFd> &&result, Authority::Details details,
				std::vector<std::string> units, std::string afterCursor)
{
	auto reply = owe(std::move(result), inFlight_);
	authorized(Action::ReadLogs, std::move(details),
		   [this, reply, units = std::move(units),
		    afterCursor = std::move(afterCursor)](std::exception_ptr error) {
			   if (error) {
				   reply->fail(error);
				   return;
			   }
			   logs_.follow(units, afterCursor,
					[reply](int fd, std::exception_ptr failure) {
						if (failure) {
							reply->fail(failure);
							return;
						}
						reply->succeed(sdbus::UnixFd(fd, sdbus::adopt_fd));
					});
		   });
}

std::vector<std::string> DaemonsAdaptor::unitsOf(const std::string &app) const
{
	const App &target = apps_.app(app);
	std::set<std::string> units;
	for (const Component &component : target.components) {
		units.insert(component.unit);
		if (!component.alias.empty())
			units.insert(component.alias);
	}
	return {units.begin(), units.end()};
}

} /* namespace plinth */

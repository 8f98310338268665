/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The adaptor's log methods: GetUnitLogs, GetAppLogs, FollowUnitLogs and FollowAppLogs. */
#include "caller.h"
#include "daemons_adaptor.h"
#include "requests.h"

namespace plinth {

void DaemonsAdaptor::GetUnitLogs(sdbus::Result<std::vector<LogRow>> &&result, std::string unit,
				 std::uint32_t lines, std::string afterCursor)
{
	requests_.unitLogs(std::move(result), currentCaller(getObject()), unit, lines,
			   std::move(afterCursor));
}

void DaemonsAdaptor::GetAppLogs(sdbus::Result<std::vector<LogRow>> &&result, std::string app,
				std::uint32_t lines, std::string afterCursor)
{
	requests_.appLogs(std::move(result), currentCaller(getObject()), app, lines,
			  std::move(afterCursor));
}

void DaemonsAdaptor::FollowUnitLogs(sdbus::Result<sdbus::UnixFd> &&result, std::string unit,
				    std::string afterCursor)
{
	requests_.followUnitLogs(std::move(result), currentCaller(getObject()), unit,
				 std::move(afterCursor));
}

void DaemonsAdaptor::FollowAppLogs(sdbus::Result<sdbus::UnixFd> &&result, std::string app,
				   std::string afterCursor)
{
	requests_.followAppLogs(std::move(result), currentCaller(getObject()), app,
				std::move(afterCursor));
}

} /* namespace plinth */

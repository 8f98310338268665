/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The adaptor's log methods: GetUnitLogs, GetAppLogs, FollowUnitLogs and FollowAppLogs. */
#include "daemons_adaptor.h"
#include "method_calls.h"

namespace plinth {

void DaemonsAdaptor::GetUnitLogs(sdbus::Result<std::vector<LogRow>> &&result, std::string unit,
				 std::uint32_t lines, std::string afterCursor)
{
	calls_.request(getObject(), std::move(result), &ReadRequests::unitLogs, std::move(unit),
		       lines, std::move(afterCursor));
}

void DaemonsAdaptor::GetAppLogs(sdbus::Result<std::vector<LogRow>> &&result, std::string app,
				std::uint32_t lines, std::string afterCursor)
{
	calls_.request(getObject(), std::move(result), &ReadRequests::appLogs, std::move(app),
		       lines, std::move(afterCursor));
}

void DaemonsAdaptor::FollowUnitLogs(sdbus::Result<sdbus::UnixFd> &&result, std::string unit,
				    std::string afterCursor)
{
	calls_.request(getObject(), std::move(result), &ReadRequests::followUnitLogs,
		       std::move(unit), std::move(afterCursor));
}

void DaemonsAdaptor::FollowAppLogs(sdbus::Result<sdbus::UnixFd> &&result, std::string app,
				   std::string afterCursor)
{
	calls_.request(getObject(), std::move(result), &ReadRequests::followAppLogs, std::move(app),
		       std::move(afterCursor));
}

} /* namespace plinth */

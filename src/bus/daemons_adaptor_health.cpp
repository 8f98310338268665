/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The adaptor's view of health: each app's, and the service's summary. */
#include "daemons_adaptor.h"
#include "method_calls.h"

namespace plinth {

void DaemonsAdaptor::GetAppHealth(
	sdbus::Result<std::string, std::vector<HealthIssueRow>, std::uint64_t> &&result,
	std::string app)
{
	calls_.request(getObject(), std::move(result), &Queries::appHealth, std::move(app));
}

void DaemonsAdaptor::IgnoreCheck(sdbus::Result<> &&result, std::string app, std::string checkId)
{
	calls_.request(getObject(), std::move(result), &Requests::ignoreCheck, std::move(app),
		       std::move(checkId));
}

void DaemonsAdaptor::UnignoreCheck(sdbus::Result<> &&result, std::string app, std::string checkId)
{
	calls_.request(getObject(), std::move(result), &Requests::unignoreCheck, std::move(app),
		       std::move(checkId));
}

std::string DaemonsAdaptor::Health()
{
	return std::string(healthStateName(health_.summary()));
}

std::vector<std::string> DaemonsAdaptor::AppsNeedingAttention()
{
	return health_.appsNeedingAttention();
}

} /* namespace plinth */

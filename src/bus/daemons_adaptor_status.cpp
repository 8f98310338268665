/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The adaptor's GetUnitStatus and RepairApp: why a unit is as it is, and the way out. */
#include "daemons_adaptor.h"
#include "method_calls.h"

namespace plinth {

void DaemonsAdaptor::GetUnitStatus(sdbus::Result<std::map<std::string, sdbus::Variant>> &&result,
				   std::string unit)
{
	calls_.request(getObject(), std::move(result), &ReadRequests::unitStatus, std::move(unit));
}

void DaemonsAdaptor::RepairApp(sdbus::Result<std::vector<CheckRow>> &&result, std::string app)
{
	calls_.request(getObject(), std::move(result), &Requests::repairApp, std::move(app));
}

} /* namespace plinth */

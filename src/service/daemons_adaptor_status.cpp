/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The adaptor's GetUnitStatus and RepairApp: why a unit is as it is, and the way out. */
#include "caller.h"
#include "daemons_adaptor.h"
#include "requests.h"

namespace plinth {

void DaemonsAdaptor::GetUnitStatus(sdbus::Result<std::map<std::string, sdbus::Variant>> &&result,
				   std::string unit)
{
	requests_.unitStatus(std::move(result), unit);
}

void DaemonsAdaptor::RepairApp(sdbus::Result<std::vector<CheckRow>> &&result, std::string app)
{
	requests_.repairApp(std::move(result), currentCaller(getObject()), app);
}

} /* namespace plinth */

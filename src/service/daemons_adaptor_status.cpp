/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The adaptor's GetUnitStatus and RepairApp: why a unit is as it is, and the way out. */
#include "app_manager.h"
#include "caller.h"
#include "daemons_adaptor.h"
#include "requests.h"
#include "unit_properties.h"

namespace plinth {

void DaemonsAdaptor::GetUnitStatus(sdbus::Result<std::map<std::string, sdbus::Variant>> &&result,
				   std::string unit)
{
	auto reply = requests_.owe(std::move(result));
	try {
		unit = apps_.managedUnitName(unit);
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

void DaemonsAdaptor::RepairApp(sdbus::Result<std::vector<CheckRow>> &&result, std::string app)
{
	requests_.repairApp(std::move(result), currentCaller(getObject()), app);
}

} /* namespace plinth */

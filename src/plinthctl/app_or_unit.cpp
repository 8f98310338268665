/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "app_or_unit.h"

#include <algorithm>

#include "unit_name.h"

namespace plinth {

bool isBareManagedUnit(ServiceProxy &service, const std::string &name, const sdbus::Error &error)
{
	/* A malformed app id may still be a unit's name ("Foo" is no app id). */
	if (error.getName() != "org.freedesktop.Plinth.Daemons.Error.NoSuchApp" &&
	    error.getName() != "org.freedesktop.Plinth.Daemons.Error.InvalidArgument")
		return false;
	const std::string unit = mangleUnitName(name);
	const auto managed = service.ListManagedUnits();
	return std::any_of(managed.begin(), managed.end(),
			   [&](const auto &row) { return row.template get<0>() == unit; });
}

} /* namespace plinth */

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "log_scope.h"

namespace plinth {

namespace {

const char *sharedValue(bool shared)
{
	return shared ? "true" : "false";
}

} /* namespace */

LogScope unitLogScope(const Registry &registry, const std::string &unit)
{
	LogGrant grant{{{"unit", unit}}, {unit}};
	const App *owner = registry.ownerOf(unit);
	grant.details["shared"] = sharedValue(!owner);
	if (owner)
		grant.details["app"] = owner->id;
	return {std::move(grant), std::nullopt};
}

LogScope appLogScope(const Registry &registry, const App &app)
{
	LogGrant own{{{"app", app.id}, {"shared", sharedValue(false)}}, {}};
	LogGrant shared{{{"app", app.id}, {"shared", sharedValue(true)}}, {}};
	for (const std::string &unit : app.declaredUnits())
		(registry.ownerOf(unit) == &app ? own : shared).units.push_back(unit);

	if (shared.units.empty())
		return {std::move(own), std::nullopt};
	if (own.units.empty())
		return {std::move(shared), std::nullopt};
	return {std::move(own), std::move(shared)};
}

} /* namespace plinth */

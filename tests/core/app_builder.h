/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <string>

#include "app.h"

namespace plinth {

/* Short, readable app definitions for the tests. */
inline Component daemon(std::string id, std::string unit, std::string alias = {},
			bool strictCheck = false)
{
	return {std::move(id), ComponentKind::Daemon, std::move(unit),
		strictCheck,   std::move(alias),      {}};
}

inline Component sharedDaemon(std::string id, std::string unit)
{
	return {std::move(id), ComponentKind::SharedDaemon, std::move(unit), false, {}, {}};
}

inline Component relatedDaemon(std::string id, std::string unit)
{
	return {std::move(id), ComponentKind::RelatedDaemon, std::move(unit), false, {}, {}};
}

inline App app(std::string id, std::vector<Component> components,
	       std::vector<std::string> depends = {})
{
	return {id, id, std::move(depends), std::move(components), id + ".toml", {}};
}

} /* namespace plinth */

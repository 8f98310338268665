/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "component.h"

#include <array>
#include <utility>

namespace plinth {

namespace {

constexpr std::array<std::pair<ComponentKind, std::string_view>, 3> kComponentKindNames = {{
	{ComponentKind::Daemon, "daemon"},
	{ComponentKind::SharedDaemon, "shared-daemon"},
	{ComponentKind::RelatedDaemon, "related-daemon"},
}};

} /* namespace */

std::string_view componentKindName(ComponentKind kind)
{
	for (const auto &[k, name] : kComponentKindNames) {
		if (k == kind)
			return name;
	}
	return {};
}

std::optional<ComponentKind> parseComponentKind(std::string_view name)
{
	for (const auto &[kind, n] : kComponentKindNames) {
		if (n == name)
			return kind;
	}
	return std::nullopt;
}

} /* namespace plinth */

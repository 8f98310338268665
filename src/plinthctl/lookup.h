/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <array>
#include <string_view>
#include <utility>

namespace plinth {

/* The value a constant table of names gives name, or fallback when it has none. */
template<typename Value, std::size_t N>
constexpr Value lookup(const std::array<std::pair<std::string_view, Value>, N> &table,
		       std::string_view name, Value fallback)
{
	for (const auto &[key, value] : table) {
		if (key == name)
			return value;
	}
	return fallback;
}

} /* namespace plinth */

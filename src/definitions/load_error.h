/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <cstdint>
#include <string>

namespace plinth {

/* Why one file (a definition or the configuration) was rejected, pointing at the offending spot. */
struct LoadError {
	std::string file;
	/* 1-based; 0 when the problem is the file as a whole (unreadable, ...). */
	std::uint32_t line = 0;
	std::uint32_t column = 0;
	std::string reason;

	/* "file:line:column: reason", or "file: reason" without a position. */
	std::string toString() const;

	bool operator==(const LoadError &) const = default;
};

} /* namespace plinth */

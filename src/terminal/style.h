/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <string>
#include <string_view>

namespace plinth {

enum class Colour {
	None,
	Good,
	Bad,
	Warn,
	Heading,
};

/* How human output looks: colour only for a person at a terminal who did not opt out. */
class Style
{
public:
	explicit Style(bool colour) : colour_(colour) {}

	/* The terminal's own rule: NO_COLOR set to anything non-empty, or TERM=dumb, means none. */
	static bool wantsColour(bool isTerminal, const char *noColor, const char *term);

	bool colour() const { return colour_; }
	std::string paint(std::string_view text, Colour colour) const;

private:
	bool colour_;
};

} /* namespace plinth */

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "style.h"

namespace plinth {

namespace {

std::string_view escapeOf(Colour colour)
{
	switch (colour) {
	case Colour::Good:
		return "\033[32m";
	case Colour::Bad:
		return "\033[1;31m";
	case Colour::Warn:
		return "\033[33m";
	case Colour::Heading:
		return "\033[1m";
	case Colour::None:
		break;
	}
	return {};
}

} /* namespace */

bool Style::wantsColour(bool isTerminal, const char *noColor, const char *term)
{
	if (!isTerminal)
		return false;
	if (noColor && *noColor)
		return false;
	return !(term && std::string_view(term) == "dumb");
}

std::string Style::paint(std::string_view text, Colour colour) const
{
	const std::string_view escape = escapeOf(colour);
	if (!colour_ || escape.empty())
		return std::string(text);
	return std::string(escape) + std::string(text) + "\033[0m";
}

} /* namespace plinth */

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "json_quote.h"

#include <array>

namespace plinth {

std::string jsonQuote(std::string_view text)
{
	constexpr std::array<char, 16> kHex = {'0', '1', '2', '3', '4', '5', '6', '7',
					       '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'};
	std::string out = "\"";
	for (const char c : text) {
		switch (c) {
		case '"':
			out += "\\\"";
			break;
		case '\\':
			out += "\\\\";
			break;
		case '\n':
			out += "\\n";
			break;
		case '\t':
			out += "\\t";
			break;
		case '\r':
			out += "\\r";
			break;
		default:
			if (static_cast<unsigned char>(c) < 0x20) {
				out += "\\u00";
				out += kHex[(c >> 4) & 0xf];
				out += kHex[c & 0xf];
			} else {
				/* UTF-8 passes through: JSON text is UTF-8. */
				out += c;
			}
		}
	}
	out += '"';
	return out;
}

} /* namespace plinth */

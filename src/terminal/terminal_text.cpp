/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "terminal_text.h"

#include "utf8.h"

namespace plinth {

namespace {

/* As systemd's unichar_is_control(): C0 but tab and newline, DEL and C1. */
bool isControl(std::string_view sequence, bool keepNewlines)
{
	const auto lead = static_cast<unsigned char>(sequence.front());
	if (sequence.size() == 1)
		return (lead < 0x20 && lead != '\t' && !(keepNewlines && lead == '\n')) ||
		       lead == 0x7f;
	/* U+0080 to U+009F are encoded as C2 80 to C2 9F. */
	return lead == 0xc2 && static_cast<unsigned char>(sequence[1]) <= 0x9f;
}

void appendEscaped(std::string &out, std::string_view bytes)
{
	constexpr std::string_view kHex = "0123456789abcdef";
	for (const char c : bytes) {
		const auto byte = static_cast<unsigned char>(c);
		out += "\\x";
		out += kHex[byte >> 4];
		out += kHex[byte & 0xf];
	}
}

std::string escaped(std::string_view text, bool keepNewlines)
{
	std::string out;
	out.reserve(text.size());
	while (!text.empty()) {
		const std::size_t length = utf8SequenceLength(text);
		if (length == 0) {
			appendEscaped(out, text.substr(0, 1));
			text.remove_prefix(1);
			continue;
		}
		const std::string_view sequence = text.substr(0, length);
		if (isControl(sequence, keepNewlines))
			appendEscaped(out, sequence);
		else
			out += sequence;
		text.remove_prefix(length);
	}
	return out;
}

} /* namespace */

std::string terminalText(std::string_view text)
{
	return escaped(text, true);
}

std::string terminalLine(std::string_view text)
{
	return escaped(text, false);
}

} /* namespace plinth */

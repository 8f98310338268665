/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "utf8.h"

namespace plinth {

namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";

} /* namespace */

std::size_t utf8SequenceLength(std::string_view text)
{
	if (text.empty())
		return 0;
	const auto byte = [&](std::size_t i) {
		return static_cast<unsigned char>(text[i]);
	};
	const unsigned char lead = byte(0);
	if (lead < 0x80)
		return 1;

	std::size_t length;
	unsigned char low = 0x80, high = 0xBF;
	if (lead >= 0xC2 && lead <= 0xDF) {
		length = 2;
	} else if (lead >= 0xE0 && lead <= 0xEF) {
		length = 3;
		if (lead == 0xE0)
			low = 0xA0;
		else if (lead == 0xED)
			high = 0x9F; /* no surrogates */
	} else if (lead >= 0xF0 && lead <= 0xF4) {
		length = 4;
		if (lead == 0xF0)
			low = 0x90;
		else if (lead == 0xF4)
			high = 0x8F;
	} else {
		return 0;
	}
	if (text.size() < length)
		return 0;
	if (byte(1) < low || byte(1) > high)
		return 0;
	for (std::size_t i = 2; i < length; ++i) {
		if (byte(i) < 0x80 || byte(i) > 0xBF)
			return 0;
	}
	return length;
}

std::string validUtf8(std::string_view text)
{
	std::string out;
	out.reserve(text.size());
	while (!text.empty()) {
		/* A D-Bus string may not hold NUL either. */
		const std::size_t length = text.front() == '\0' ? 0 : utf8SequenceLength(text);
		if (length == 0) {
			out += kReplacement;
			text.remove_prefix(1);
		} else {
			out += text.substr(0, length);
			text.remove_prefix(length);
		}
	}
	return out;
}

} /* namespace plinth */

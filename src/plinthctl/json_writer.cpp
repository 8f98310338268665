/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "json_writer.h"

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

void JsonWriter::separate()
{
	if (afterKey_) {
		afterKey_ = false;
		return;
	}
	if (hasElement_.empty())
		return;
	if (hasElement_.back())
		out_ += ',';
	hasElement_.back() = true;
}

JsonWriter &JsonWriter::open(char bracket)
{
	separate();
	out_ += bracket;
	hasElement_.push_back(false);
	return *this;
}

JsonWriter &JsonWriter::close(char bracket)
{
	out_ += bracket;
	hasElement_.pop_back();
	return *this;
}

JsonWriter &JsonWriter::key(std::string_view name)
{
	separate();
	out_ += jsonQuote(name);
	out_ += ':';
	afterKey_ = true;
	return *this;
}

JsonWriter &JsonWriter::value(std::string_view text)
{
	separate();
	out_ += jsonQuote(text);
	return *this;
}

JsonWriter &JsonWriter::value(bool flag)
{
	separate();
	out_ += flag ? "true" : "false";
	return *this;
}

JsonWriter &JsonWriter::value(std::int64_t number)
{
	separate();
	out_ += std::to_string(number);
	return *this;
}

JsonWriter &JsonWriter::null()
{
	separate();
	out_ += "null";
	return *this;
}

} /* namespace plinth */

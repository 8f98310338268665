/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "json_writer.h"

namespace plinth {

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

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "json_quote.h"

namespace plinth {

/*
 * Writes one JSON document on a single line, in the order the calls come. The caller keeps
 * objects and arrays balanced; keys are written only inside objects.
 */
class JsonWriter
{
public:
	JsonWriter &beginObject() { return open('{'); }
	JsonWriter &endObject() { return close('}'); }
	JsonWriter &beginArray() { return open('['); }
	JsonWriter &endArray() { return close(']'); }

	JsonWriter &key(std::string_view name);
	JsonWriter &value(std::string_view text);
	JsonWriter &value(const char *text) { return value(std::string_view(text)); }
	JsonWriter &value(bool flag);
	JsonWriter &value(std::int64_t number);
	JsonWriter &null();

	const std::string &str() const { return out_; }

private:
	JsonWriter &open(char bracket);
	JsonWriter &close(char bracket);
	void separate();

	std::string out_;
	/* Per open container: whether it has an element yet. */
	std::vector<bool> hasElement_;
	bool afterKey_ = false;
};

} /* namespace plinth */

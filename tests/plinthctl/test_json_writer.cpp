/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <gtest/gtest.h>

#include "json_writer.h"

namespace plinth {
namespace {

TEST(JsonWriter, SeparatesElementsAndNests)
{
	JsonWriter json;
	json.beginObject();
	json.key("a").value(std::int64_t{1});
	json.key("b").beginArray().value(true).value(false).null().endArray();
	json.key("c").beginObject().endObject();
	json.key("d")
		.beginArray()
		.beginObject()
		.key("x")
		.value("y")
		.endObject()
		.beginObject()
		.endObject()
		.endArray();
	json.endObject();
	EXPECT_EQ(json.str(), R"({"a":1,"b":[true,false,null],"c":{},"d":[{"x":"y"},{}]})");
}

TEST(JsonWriter, EscapesWhatJsonRequires)
{
	EXPECT_EQ(jsonQuote("say \"hi\"\\"), R"("say \"hi\"\\")");
	EXPECT_EQ(jsonQuote("a\nb\tc"), R"("a\nb\tc")");
	EXPECT_EQ(jsonQuote(std::string("\x01\x1f", 2)), R"("\u0001\u001f")");
}

TEST(JsonWriter, KeepsUtf8AsItIs)
{
	EXPECT_EQ(jsonQuote("Dienst läuft"), "\"Dienst läuft\"");
}

TEST(JsonWriter, NegativeNumbers)
{
	JsonWriter json;
	json.beginArray().value(std::int64_t{-5}).endArray();
	EXPECT_EQ(json.str(), "[-5]");
}

} /* namespace */
} /* namespace plinth */

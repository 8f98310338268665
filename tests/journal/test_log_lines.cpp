/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What the service writes to a follow stream, and what plinthctl makes of it. */
#include <gtest/gtest.h>

#include "log_entry.h"
#include "log_output.h"
#include "utf8.h"

namespace plinth {
namespace {

TEST(Utf8Test, KeepsValidTextAndReplacesWhatIsNot)
{
	EXPECT_EQ(validUtf8("plain ascii"), "plain ascii");
	EXPECT_EQ(validUtf8("Gr\xC3\xBC\xC3\x9F"
			    "e \xE2\x82\xAC \xF0\x9F\x98\x80"),
		  "Gr\xC3\xBC\xC3\x9F"
		  "e \xE2\x82\xAC \xF0\x9F\x98\x80");
	EXPECT_EQ(validUtf8("a\xFFz"), "a\xEF\xBF\xBDz");
	/* A truncated sequence, an overlong encoding, a surrogate, a NUL. */
	EXPECT_EQ(validUtf8("\xE2\x82"), "\xEF\xBF\xBD\xEF\xBF\xBD");
	EXPECT_EQ(validUtf8("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD");
	EXPECT_EQ(validUtf8("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
	EXPECT_EQ(validUtf8(std::string_view("a\0b", 3)), "a\xEF\xBF\xBD"
							  "b");
}

TEST(LogLineTest, AStreamLineReadsBackAsWritten)
{
	const LogEntry entry{1795992902019934,
			     "web.service",
			     3,
			     "python3",
			     4242,
			     "quote \" backslash \\ tab\t newline\n bell\a end",
			     "s=abc;i=2dd;x=33"};
	const std::string json = toJsonLine(entry);
	EXPECT_EQ(json.find('\n'), std::string::npos);

	const std::optional<LogEntry> line = parseLogEntryJson(json);
	ASSERT_TRUE(line);
	EXPECT_EQ(line->realtimeUsec, entry.realtimeUsec);
	EXPECT_EQ(line->unit, entry.unit);
	EXPECT_EQ(line->priority, entry.priority);
	EXPECT_EQ(line->identifier, entry.identifier);
	EXPECT_EQ(line->pid, entry.pid);
	EXPECT_EQ(line->message, entry.message);
	EXPECT_EQ(line->cursor, entry.cursor);
	EXPECT_EQ(toJsonLine(*line), json);
}

TEST(LogLineTest, ABrokenStreamLineIsRefused)
{
	EXPECT_FALSE(parseLogEntryJson(""));
	EXPECT_FALSE(parseLogEntryJson("not json"));
	EXPECT_FALSE(parseLogEntryJson("{\"message\":\"unterminated"));
	EXPECT_FALSE(parseLogEntryJson("{\"pid\":x}"));
}

TEST(LogLineTest, TextIsColouredByPriorityOnlyWithColour)
{
	LogEntry line{0, "web.service", 3, "python3", 7, "boom", ""};
	const std::string plain = logLineText(line, Style(false), true);
	EXPECT_NE(plain.find(" web.service python3[7]: boom"), std::string::npos) << plain;
	const std::string coloured = logLineText(line, Style(true), false);
	EXPECT_NE(coloured.find("\x1b["), std::string::npos);
	EXPECT_EQ(coloured.find("web.service"), std::string::npos);
	line.priority = 6;
	EXPECT_EQ(logLineText(line, Style(true), false).find("\x1b["), std::string::npos);
}

TEST(LogLineTest, ControlCharactersAreEscapedAndLinesAligned)
{
	const LogEntry line{
		0, "web\x1b[2J.service", 6, "py\nthon", 7, "GET /\x1b]52;c;aGk=\a\nsecond\tline\n",
		""};
	const std::string text = logLineText(line, Style(false), true);
	const std::string prefix = text.substr(0, text.find(": ") + 2);
	EXPECT_NE(prefix.find(" web\\x1b[2J.service py\\x0athon[7]: "), std::string::npos) << text;
	/* The second line starts under the first; the final newline ends the message. */
	EXPECT_EQ(text.substr(prefix.size()),
		  "GET /\\x1b]52;c;aGk=\\x07\n" + std::string(prefix.size(), ' ') + "second\tline")
		<< text;
	EXPECT_EQ(text.find('\x1b'), std::string::npos);
}

TEST(SinceTest, RelativeAndAbsoluteTimes)
{
	const std::uint64_t now = 1'800'000'000'000'000;
	EXPECT_EQ(parseSince("-90s", now), now - 90'000'000);
	EXPECT_EQ(parseSince("-2h", now), now - 7'200'000'000);
	EXPECT_EQ(parseSince("-1d", now), now - 86'400'000'000);
	EXPECT_TRUE(parseSince("2026-11-29 22:40:51", now));
	EXPECT_TRUE(parseSince("2026-11-29", now));
	EXPECT_LE(*parseSince("2026-11-29", now), *parseSince("2026-11-29 22:40:51", now));
	EXPECT_TRUE(parseSince("22:40", now));
	EXPECT_FALSE(parseSince("yesterday", now));
	EXPECT_FALSE(parseSince("-5y", now));
	EXPECT_FALSE(parseSince("2026-11-29 25:00:00", now));
}

} /* namespace */
} /* namespace plinth */

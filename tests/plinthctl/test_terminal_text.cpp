/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What plinthctl lets through to a terminal of text it did not write. */
#include <gtest/gtest.h>

#include "terminal_text.h"

namespace plinth {
namespace {

TEST(TerminalTextTest, PrintableTextIsUnchanged)
{
	EXPECT_EQ(terminalText("GET /index.html 200"), "GET /index.html 200");
	EXPECT_EQ(terminalText("Gr\xC3\xBC\xC3\x9F"
			       "e \xE2\x82\xAC \xF0\x9F\x98\x80 \\x1b"),
		  "Gr\xC3\xBC\xC3\x9F"
		  "e \xE2\x82\xAC \xF0\x9F\x98\x80 \\x1b");
	EXPECT_EQ(terminalText("tab\there\nnext line"), "tab\there\nnext line");
}

TEST(TerminalTextTest, EscapeSequencesBecomeVisibleEscapes)
{
	/* A screen clear, an OSC 52 clipboard write ended by BEL, a CSI as one C1 character. */
	EXPECT_EQ(terminalText("GET /\x1b[2J\x1b[H"), "GET /\\x1b[2J\\x1b[H");
	EXPECT_EQ(terminalText("\x1b]52;c;cm0gLXJmIH4=\a"), "\\x1b]52;c;cm0gLXJmIH4=\\x07");
	EXPECT_EQ(terminalText("a\xC2\x9B"
			       "31mb"),
		  "a\\xc2\\x9b31mb");
	EXPECT_EQ(terminalText("cr\rdel\x7f"), "cr\\x0ddel\\x7f");
	EXPECT_EQ(terminalText(std::string_view("nul\0end", 7)), "nul\\x00end");
}

TEST(TerminalTextTest, InvalidUtf8IsEscapedByteByByte)
{
	EXPECT_EQ(terminalText("a\xFF\xFEz"), "a\\xff\\xfez");
	/* A truncated sequence keeps what follows it. */
	EXPECT_EQ(terminalText("\xE2\x82z"), "\\xe2\\x82z");
	/* U+00A0 is printable, unlike U+0080 to U+009F. */
	EXPECT_EQ(terminalText("\xC2\xA0"), "\xC2\xA0");
}

TEST(TerminalTextTest, ALineKeepsNoNewline)
{
	EXPECT_EQ(terminalLine("web\nfake: line"), "web\\x0afake: line");
	EXPECT_EQ(terminalLine("tab\tstays"), "tab\tstays");
}

} /* namespace */
} /* namespace plinth */

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <gtest/gtest.h>

#include <string>

#include "check.h"
#include "printers.h"
#include "translator.h"

namespace plinth {
namespace {

TEST(CheckResultName, UsesTheReferenceNames)
{
	EXPECT_EQ(checkResultName(CheckResult::Passed), "passed");
	EXPECT_EQ(checkResultName(CheckResult::Failed), "failed");
	EXPECT_EQ(checkResultName(CheckResult::Error), "error");
	EXPECT_EQ(checkResultName(CheckResult::Warning), "warning");
	EXPECT_EQ(checkResultName(CheckResult::NotDone), "not_done");
	EXPECT_EQ(checkResultName(CheckResult::Skipped), "skipped");
}

TEST(FormatDescription, FillsEveryPlaceholderWithItsValue)
{
	const CheckParameters parameters{{"kind", std::string("tcp6")},
					 {"port", std::int64_t{8080}},
					 {"listen_address", std::string("::1")}};
	EXPECT_EQ(formatDescription("Listening on {kind} port {listen_address}:{port}", parameters),
		  "Listening on tcp6 port ::1:8080");
	EXPECT_EQ(formatDescription("{port}/{port}", parameters), "8080/8080");
}

TEST(FormatDescription, WritesBooleansAndNegativeNumbers)
{
	EXPECT_EQ(formatDescription("{a} {b} {n}",
				    {{"a", true}, {"b", false}, {"n", std::int64_t{-3}}}),
		  "true false -3");
}

TEST(FormatDescription, KeepsUnknownPlaceholdersAndUnmatchedBraces)
{
	const CheckParameters parameters{{"host", std::string("example.org")}};
	EXPECT_EQ(formatDescription("Connect to {host}:{port}", parameters),
		  "Connect to example.org:{port}");
	EXPECT_EQ(formatDescription("open { brace {host", parameters), "open { brace {host");
	EXPECT_EQ(formatDescription("close } brace", parameters), "close } brace");
	EXPECT_EQ(formatDescription("", parameters), "");
}

TEST(FormatDescription, DoubledBracesAreLiteral)
{
	const CheckParameters parameters{{"host", std::string("h")}};
	EXPECT_EQ(formatDescription("{{host}} is {host}", parameters), "{host} is h");
	EXPECT_EQ(formatDescription("{{{host}}}", parameters), "{h}");
}

TEST(FormatDescription, DoesNotExpandPlaceholdersInsideValues)
{
	const CheckParameters parameters{{"a", std::string("{b}")}, {"b", std::string("x")}};
	EXPECT_EQ(formatDescription("{a}{b}", parameters), "{b}x");
}

TEST(MakeCheck, WithoutTranslatorKeepsTheTemplateLanguage)
{
	const DiagnosticCheck check =
		makeCheck("id", "component", CheckResult::Failed, "Connect to {host}:{port}",
			  {{"host", std::string("h")}, {"port", std::int64_t{1}}}, Translator());
	EXPECT_EQ(check.checkId, "id");
	EXPECT_EQ(check.componentId, "component");
	EXPECT_EQ(check.result, CheckResult::Failed);
	EXPECT_EQ(check.message, "Connect to h:1");
}

} /* namespace */
} /* namespace plinth */

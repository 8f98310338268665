/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <gtest/gtest.h>
#include <stdlib.h>

#include <future>
#include <optional>
#include <string>
#include <vector>

#include "check.h"
#include "german.h"
#include "test_socket.h"
#include "translator.h"

namespace plinth {
namespace {

const CheckParameters kService{{"service_name", std::string("wiki.service")}};

TEST(Translator, WithoutALocaleKeepsTheEnglishTemplates)
{
	const Translator english;
	EXPECT_EQ(english.locale(), "C");
	EXPECT_EQ(english.message("Service {service_name} is running", kService),
		  "Service wiki.service is running");
	EXPECT_EQ(Translator("C.UTF-8").message("Service {service_name} is running", kService),
		  "Service wiki.service is running");
}

TEST(Translator, LocaleTheSystemLacksFallsBackToEnglish)
{
	const Translator missing("xx_YY.UTF-8");
	EXPECT_EQ(missing.locale(), "C");
	EXPECT_EQ(missing.translate("Connect to {host}:{port}"), "Connect to {host}:{port}");
}

TEST(Translator, TranslatesTheTemplateThenFillsItIn)
{
	PLINTH_REQUIRE(test::missingGerman());
	const Translator german(test::kGerman);
	EXPECT_EQ(german.locale(), test::kGerman);
	EXPECT_EQ(german.translate("Service {service_name} is running"),
		  "Dienst {service_name} läuft");
	EXPECT_EQ(german.message("Service {service_name} is running", kService),
		  "Dienst wiki.service läuft");
	/* A string the catalogue lacks stays as it is. */
	EXPECT_EQ(german.translate("Not in any catalogue"), "Not in any catalogue");
}

TEST(Translator, MakeCheckTranslatesTheMessageButNotTheDescription)
{
	PLINTH_REQUIRE(test::missingGerman());
	const DiagnosticCheck check =
		makeCheck("daemon-running-wiki.service", "daemon-wiki", CheckResult::Passed,
			  "Service {service_name} is running", kService, Translator(test::kGerman));
	EXPECT_EQ(check.description, "Service {service_name} is running");
	EXPECT_EQ(check.message, "Dienst wiki.service läuft");
}

TEST(Translator, MakeCheckTranslatesTheReasonIntoTheMessageOnly)
{
	PLINTH_REQUIRE(test::missingGerman());
	const DiagnosticCheck check =
		makeCheck("daemon-running-wiki.service", "daemon-wiki", CheckResult::Failed,
			  "Service {service_name} is running", kService, Translator(test::kGerman),
			  "the unit does not exist");
	EXPECT_EQ(check.message, "Dienst wiki.service läuft: die Unit existiert nicht");
	EXPECT_EQ(check.parameters.back(),
		  (std::pair<std::string, CheckParameterValue>{
			  "reason", std::string("the unit does not exist")}));
}

/* Sets the variable for the test's duration, then puts back what was there. */
class ScopedVariable
{
public:
	ScopedVariable(const char *name, const char *value) : name_(name)
	{
		if (const char *old = getenv(name))
			old_ = old;
		value ? setenv(name, value, 1) : unsetenv(name);
	}
	~ScopedVariable() { old_ ? setenv(name_, old_->c_str(), 1) : unsetenv(name_); }

private:
	const char *name_;
	std::optional<std::string> old_;
};

TEST(Translator, EmptyLocaleTakesTheEnvironments)
{
	PLINTH_REQUIRE(test::missingGerman());
	const ScopedVariable all("LC_ALL", nullptr), messages("LC_MESSAGES", nullptr);
	{
		const ScopedVariable lang("LANG", test::kGerman);
		const Translator fromLang("");
		EXPECT_EQ(fromLang.locale(), test::kGerman);
		EXPECT_EQ(fromLang.translate("Listening on {kind} port {port}"),
			  "Lauscht auf {kind}-Port {port}");
	}
	const ScopedVariable lang("LANG", "C.UTF-8");
	EXPECT_EQ(Translator("").translate("Listening on {kind} port {port}"),
		  "Listening on {kind} port {port}");
}

/* Two languages at once on many threads: no translator changes another thread's locale. */
TEST(Translator, TranslatesFromManyThreadsAtOnce)
{
	PLINTH_REQUIRE(test::missingGerman());
	const Translator german(test::kGerman), english;

	std::vector<std::future<bool>> results;
	for (int i = 0; i < 8; i++) {
		const Translator &translator = i % 2 ? german : english;
		const std::string expected =
			i % 2 ? "Dienst wiki.service läuft" : "Service wiki.service is running";
		results.push_back(std::async(std::launch::async, [&translator, expected] {
			for (int n = 0; n < 2000; n++) {
				if (translator.message("Service {service_name} is running",
						       kService) != expected)
					return false;
			}
			return true;
		}));
	}
	for (std::future<bool> &result : results)
		EXPECT_TRUE(result.get());
}

} /* namespace */
} /* namespace plinth */

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <gtest/gtest.h>

#include "app_output.h"
#include "diagnostic_output.h"
#include "health_output.h"
#include "unit_output.h"
#include "watch_output.h"

namespace plinth {
namespace {

const Style kPlain(false);

AppDetails wiki()
{
	return {
		{"wiki", "Wiki", true, false},
		{
			{"daemon-wiki",
			 "daemon",
			 "wiki.service",
			 true,
			 "jobs.service",
			 {{8080, "tcp4", ""}, {53, "udp", "127.0.0.1"}, {443, "tcp6", "::1"}}},
			{"related-daemon-wiki-web", "related-daemon", "web.service", false, "", {}},
		},
		{},
		{},
	};
}

TEST(AppOutput, ListIsATableWithACount)
{
	const std::string text =
		appListText({{"wiki", "Wiki", true, true}, {"dns", "DNS", false, false}}, kPlain);
	EXPECT_EQ(text, "APP   NAME  ENABLED  RUNNING\n"
			"wiki  Wiki  yes      yes\n"
			"dns   DNS   no       no\n"
			"\n"
			"2 apps\n");
}

TEST(AppOutput, ListJson)
{
	EXPECT_EQ(appListJson({{"wiki", "Wiki \"W\"", true, false}}),
		  R"({"apps":[{"id":"wiki","name":"Wiki \"W\"","enabled":true,"running":false}]})");
	EXPECT_EQ(appListJson({}), R"({"apps":[]})");
}

TEST(AppOutput, ShowGivesTheDefinition)
{
	const std::string text = appDetailsText({wiki()}, kPlain);
	EXPECT_EQ(text.substr(0, text.find('\n')), "wiki (Wiki): enabled, not running");
	EXPECT_NE(text.find("ALIAS"), std::string::npos);
	EXPECT_NE(text.find("tcp4 8080, udp 127.0.0.1:53, tcp6 [::1]:443"), std::string::npos)
		<< text;
	EXPECT_NE(text.find("jobs.service"), std::string::npos);
	EXPECT_EQ(text.find("RUNNING"), std::string::npos);
}

TEST(AppOutput, StatusGivesTheUnitStates)
{
	AppDetails details = wiki();
	details.unitStates = {{"wiki.service", true, false}, {"web.service", false, true}};
	const std::string text = appDetailsText({details}, kPlain);
	EXPECT_NE(
		text.find(
			"  COMPONENT                KIND            UNIT          ENABLED  "
			"RUNNING\n"
			"  daemon-wiki              daemon          wiki.service  yes      no\n"
			"  related-daemon-wiki-web  related-daemon  web.service   no       yes\n"),
		std::string::npos)
		<< text;
}

TEST(AppOutput, StoppedDaemonOfAnEnabledAppStandsOut)
{
	AppDetails details = wiki();
	details.unitStates = {{"wiki.service", true, false}, {"web.service", false, false}};
	const std::string text = appDetailsText({details}, Style(true));
	/* The daemon's "no" is red; the related daemon's is not: it need not run. */
	EXPECT_NE(text.find("\033[1;31mno\033[0m\n"), std::string::npos) << text;
	EXPECT_NE(text.find("  no\n"), std::string::npos) << text;
}

TEST(AppOutput, AppJsonCarriesUnitStatesOnlyWhenKnown)
{
	AppDetails details = wiki();
	details.components.pop_back();
	EXPECT_EQ(
		appJson(details),
		R"({"id":"wiki","name":"Wiki","enabled":true,"running":false,"components":[)"
		R"({"id":"daemon-wiki","kind":"daemon","unit":"wiki.service","strict_check":true,)"
		R"("alias":"jobs.service","listen_ports":[{"port":8080,"kind":"tcp4","address":""},)"
		R"({"port":53,"kind":"udp","address":"127.0.0.1"},)"
		R"({"port":443,"kind":"tcp6","address":"::1"}]}]})");
	details.unitStates = {{"wiki.service", true, false}};
	EXPECT_NE(appDetailsJson({details}).find(R"("unit_enabled":true,"unit_running":false)"),
		  std::string::npos);
}

TEST(HealthOutput, IssuesUnderTheAppAndTheTimeInUtc)
{
	const std::vector<AppHealthInfo> apps{
		{"wiki",
		 "degraded",
		 {{"daemon-listening-tcp4-80", "failed", "Listening on tcp4 port 80"},
		  {"daemon-listening-tcp6-80", "ignored", "Listening on tcp6 port 80"}},
		 1733456789000000},
		{"mail", "unknown", {}, 0},
	};
	EXPECT_EQ(healthText(apps, kPlain),
		  "wiki: degraded, checked 2024-12-06 03:46:29 UTC\n"
		  "    daemon-listening-tcp4-80: failed (Listening on tcp4 port 80)\n"
		  "    daemon-listening-tcp6-80: ignored (Listening on tcp6 port 80)\n"
		  "mail: unknown, never checked\n");
	EXPECT_EQ(healthJson({apps[1]}),
		  R"({"apps":[{"id":"mail","health":"unknown","last_diagnosed":0,"issues":[]}]})");
	EXPECT_TRUE(needsAttention(apps[0]));
	EXPECT_FALSE(needsAttention(apps[1]));
	EXPECT_TRUE(needsAttention({"x", "failed", {}, 0}));
}

TEST(AppOutput, StatusShowsHealthUnderTheHeading)
{
	AppDetails details = wiki();
	details.health = AppHealthInfo{"wiki", "failed", {}, 0};
	EXPECT_TRUE(appDetailsText({details}, kPlain)
			    .starts_with("wiki (Wiki): enabled, not running\n"
					 "  health: failed, never checked\n"));
	EXPECT_NE(appDetailsJson({details}).find(R"("running":false,"health":"failed",)"),
		  std::string::npos);
}

TEST(UnitOutput, ManagedUnits)
{
	const std::vector<ManagedUnit> units = {
		{"wiki.service", "wiki", "daemon-wiki", true, true}};
	EXPECT_EQ(managedUnitsText(units, kPlain),
		  "UNIT          APP   COMPONENT    ENABLED  RUNNING\n"
		  "wiki.service  wiki  daemon-wiki  yes      yes\n"
		  "\n"
		  "1 unit\n");
	EXPECT_EQ(managedUnitsJson(units),
		  R"({"units":[{"unit":"wiki.service","app":"wiki","component":"daemon-wiki",)"
		  R"("enabled":true,"running":true}]})");
	EXPECT_EQ(unitStatesJson({{"wiki.service", false, true}}),
		  R"({"units":[{"unit":"wiki.service","enabled":false,"running":true}]})");
}

TEST(UnitOutput, StateAnswers)
{
	const std::vector<StateAnswer> answers = {{"wiki", false, true},
						  {"web.service", true, false}};
	EXPECT_EQ(stateAnswersText(answers, "enabled", "disabled"), "enabled\ndisabled\n");
	EXPECT_EQ(stateAnswersJson(answers, "enabled"),
		  R"({"results":[{"name":"wiki","type":"app","enabled":true},)"
		  R"({"name":"web.service","type":"unit","enabled":false}]})");
}

std::vector<AppDiagnosis> diagnosis(const std::string &secondResult)
{
	return {{"wiki",
		 {{"daemon-running-wiki.service",
		   "daemon-wiki",
		   "passed",
		   "Service {service_name} is running",
		   {{"service_name", "wiki.service"}},
		   "Dienst wiki.service läuft"},
		  {"daemon-listening-tcp4-8080",
		   "daemon-wiki",
		   secondResult,
		   "Listening on {kind} port {port}",
		   {{"kind", "tcp4"}, {"port", std::int64_t{8080}}},
		   "Lauscht auf tcp4-Port 8080"}}}};
}

TEST(DiagnosticOutput, MarksEachCheckAndFillsTheTemplate)
{
	EXPECT_EQ(diagnosisText(diagnosis("failed"), kPlain, Translator()),
		  "wiki\n"
		  "  [passed] Service wiki.service is running\n"
		  "  [failed] Listening on tcp4 port 8080\n");
}

TEST(DiagnosticOutput, FailuresAndErrorsAreUnhealthy)
{
	EXPECT_TRUE(diagnosisHealthy(diagnosis("passed")));
	EXPECT_TRUE(diagnosisHealthy(diagnosis("skipped")));
	EXPECT_TRUE(diagnosisHealthy(diagnosis("warning")));
	EXPECT_FALSE(diagnosisHealthy(diagnosis("failed")));
	EXPECT_FALSE(diagnosisHealthy(diagnosis("error")));
}

TEST(DiagnosticOutput, JsonKeepsTheServicesFieldsAndTypes)
{
	const std::string json = diagnosisJson(diagnosis("failed"));
	EXPECT_NE(
		json.find(
			R"({"check_id":"daemon-listening-tcp4-8080","component_id":"daemon-wiki",)"
			R"("result":"failed","description":"Listening on {kind} port {port}",)"
			R"("parameters":{"kind":"tcp4","port":8080},)"
			R"("message":"Lauscht auf tcp4-Port 8080"})"),
		std::string::npos)
		<< json;
	EXPECT_TRUE(json.starts_with(R"({"apps":[{"id":"wiki","checks":[)")) << json;
}

TEST(WatchOutput, OneLinePerSignal)
{
	EXPECT_EQ(appStateChangedLine("wiki", true, false, false, kPlain),
		  "app wiki: enabled, not running\n");
	EXPECT_EQ(appStateChangedLine("wiki", true, false, true, kPlain),
		  R"({"signal":"AppStateChanged","app":"wiki","enabled":true,"running":false})"
		  "\n");
	EXPECT_EQ(unitStateChangedLine("wiki.service", "inactive", "dead", false, kPlain),
		  "unit wiki.service: inactive (dead)\n");
	EXPECT_EQ(unitStateChangedLine("wiki.service", "active", "running", true, kPlain),
		  R"({"signal":"UnitStateChanged","unit":"wiki.service","active_state":"active",)"
		  R"("sub_state":"running"})"
		  "\n");
	EXPECT_EQ(appsReloadedLine(true), "{\"signal\":\"AppsReloaded\"}\n");
}

} /* namespace */
} /* namespace plinth */

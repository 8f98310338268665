/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <gtest/gtest.h>

#include "app_builder.h"
#include "fake_units.h"
#include "plan.h"
#include "temp_dir.h"

namespace plinth {
namespace {

PlanTarget required(std::string unit)
{
	return {std::move(unit), false};
}

PlanTarget bestEffort(std::string unit)
{
	return {std::move(unit), true};
}

/* A daemon's unit, whose failure counts only when its alias failed too. */
PlanTarget requiredOr(std::string unit, std::string alias)
{
	return {std::move(unit), false, std::move(alias)};
}

class PlanTest : public testing::Test
{
protected:
	const StatusQueries &load(std::vector<App> apps)
	{
		std::vector<std::string> warnings;
		registry_ = std::make_unique<Registry>(std::move(apps), warnings);
		queries_ = std::make_unique<StatusQueries>(*registry_, units_, records_);
		return *queries_;
	}

	const App &appNamed(std::string_view id) { return *registry_->findApp(id); }

	TempDir dir_;
	FakeUnits units_;
	EnableStateStore records_{dir_.path() / "state.toml"};
	std::unique_ptr<Registry> registry_;
	std::unique_ptr<StatusQueries> queries_;
};

TEST_F(PlanTest, EnableAppEnablesThenStartsInComponentOrderWithAliases)
{
	load({app("wiki",
		  {daemon("d1", "one.service", "old-one.service"), sharedDaemon("s", "db.service"),
		   relatedDaemon("r", "web.service"), daemon("d2", "two.socket")})});

	const std::vector<PlanTarget> targets = {requiredOr("one.service", "old-one.service"),
						 bestEffort("old-one.service"),
						 required("db.service"), required("two.socket")};
	const Plan expected = {{UnitVerb::Enable, targets}, {UnitVerb::Start, targets}};
	EXPECT_EQ(planEnableApp(appNamed("wiki")), expected);
}

TEST_F(PlanTest, EnableAppWithOnlyRelatedDaemonsDoesNothingInSystemd)
{
	load({app("web-tools", {relatedDaemon("r", "web.service")})});
	EXPECT_TRUE(planEnableApp(appNamed("web-tools")).empty());
}

TEST_F(PlanTest, DisableAppDisablesThenStopsInReverseOrder)
{
	const StatusQueries &q = load(
		{app("wiki", {daemon("d1", "one.service", "old-one.service"),
			      relatedDaemon("r", "web.service"), daemon("d2", "two.service")})});

	const Plan expected = {
		{UnitVerb::Disable,
		 {required("two.service"), requiredOr("one.service", "old-one.service"),
		  bestEffort("old-one.service")}},
		{UnitVerb::Stop,
		 {required("two.service"), requiredOr("one.service", "old-one.service"),
		  bestEffort("old-one.service")}},
	};
	EXPECT_EQ(planDisableApp(appNamed("wiki"), q), expected);
}

TEST_F(PlanTest, DisableAppStopsASocketsServiceToo)
{
	const StatusQueries &q = load({app("echo", {daemon("d", "echo.socket")})});
	const Plan expected = {
		{UnitVerb::Disable, {required("echo.socket")}},
		{UnitVerb::Stop, {required("echo.socket"), bestEffort("echo.service")}},
	};
	EXPECT_EQ(planDisableApp(appNamed("echo"), q), expected);
}

TEST_F(PlanTest, DisableAppKeepsASharedDaemonAnotherEnabledAppUses)
{
	const StatusQueries &q = load({
		app("one", {daemon("d1", "one.service"), sharedDaemon("s1", "db.service")}),
		app("two", {daemon("d2", "two.service"), sharedDaemon("s2", "db.service")}),
	});

	units_.setFileState("one.service", "enabled");
	const Plan keep = {{UnitVerb::Disable, {required("two.service")}},
			   {UnitVerb::Stop, {required("two.service")}}};
	EXPECT_EQ(planDisableApp(appNamed("two"), q), keep);

	units_.setFileState("one.service", "disabled");
	const Plan last = {
		{UnitVerb::Disable, {required("db.service"), required("two.service")}},
		{UnitVerb::Stop, {required("db.service"), required("two.service")}},
	};
	EXPECT_EQ(planDisableApp(appNamed("two"), q), last);
}

TEST_F(PlanTest, RepairResetsFailedUnitsAndStartsWhatDoesNotRun)
{
	load({app("wiki", {daemon("d", "one.service"), sharedDaemon("s", "db.service"),
			   relatedDaemon("r", "web.service")})});
	units_.setFileState("one.service", "enabled");
	units_.setFileState("db.service", "enabled");
	units_.setActiveState("one.service", "failed");
	units_.setActiveState("db.service", "active");
	units_.setActiveState("web.service", "failed");

	const Plan expected = {{UnitVerb::ResetFailed, {required("one.service")}},
			       {UnitVerb::Start, {required("one.service")}}};
	EXPECT_EQ(planRepairApp(appNamed("wiki"), *queries_), expected);
}

TEST_F(PlanTest, RepairReenablesASharedDaemonsUnitFile)
{
	load({app("wiki", {daemon("d", "one.service", "old-one.service"),
			   sharedDaemon("s", "db.service")})});
	units_.setFileState("one.service", "enabled");
	units_.setFileState("db.service", "disabled");
	units_.setActiveState("one.service", "inactive");
	units_.setActiveState("db.service", "active");

	const Plan expected = {
		{UnitVerb::Enable, {required("db.service")}},
		{UnitVerb::Start,
		 {requiredOr("one.service", "old-one.service"), bestEffort("old-one.service")}},
	};
	EXPECT_EQ(planRepairApp(appNamed("wiki"), *queries_), expected);
}

TEST_F(PlanTest, RepairOfAHealthyAppDoesNothing)
{
	load({app("wiki", {daemon("d", "one.service")})});
	units_.setFileState("one.service", "enabled");
	units_.setActiveState("one.service", "active");
	EXPECT_TRUE(planRepairApp(appNamed("wiki"), *queries_).empty());
}

TEST_F(PlanTest, RepairNeverTouchesADisabledApp)
{
	load({app("wiki", {daemon("d", "one.service"), sharedDaemon("s", "db.service")})});
	units_.setFileState("one.service", "disabled");
	units_.setActiveState("one.service", "failed");
	units_.setActiveState("db.service", "failed");
	EXPECT_TRUE(planRepairApp(appNamed("wiki"), *queries_).empty());
}

TEST_F(PlanTest, SharedDaemonRuleCountsAnEnabledAppWithoutDaemon)
{
	const StatusQueries &q = load({
		app("backup", {sharedDaemon("s1", "db.service")}),
		app("two", {daemon("d2", "two.service"), sharedDaemon("s2", "db.service")}),
	});

	records_.setEnabled("backup", true);
	EXPECT_EQ(planDisableApp(appNamed("two"), q).front().targets,
		  std::vector<PlanTarget>{required("two.service")});

	records_.setEnabled("backup", false);
	EXPECT_EQ(planDisableApp(appNamed("two"), q).front().targets,
		  (std::vector<PlanTarget>{required("db.service"), required("two.service")}));
}

struct VerbCase {
	UnitVerb verb;
	std::string unit;
	Plan plan;
};

class UnitVerbPlanTest : public testing::TestWithParam<VerbCase>
{
};

TEST_P(UnitVerbPlanTest, AppliesSocketRules)
{
	EXPECT_EQ(planUnitVerb(GetParam().verb, GetParam().unit), GetParam().plan)
		<< unitVerbName(GetParam().verb) << " " << GetParam().unit;
}

INSTANTIATE_TEST_SUITE_P(
	Table, UnitVerbPlanTest,
	testing::Values(
		VerbCase{
			UnitVerb::Start, "a.service", {{UnitVerb::Start, {required("a.service")}}}},
		VerbCase{UnitVerb::Start, "a.socket", {{UnitVerb::Start, {required("a.socket")}}}},
		VerbCase{UnitVerb::Stop, "a.service", {{UnitVerb::Stop, {required("a.service")}}}},
		VerbCase{UnitVerb::Stop,
			 "a.socket",
			 {{UnitVerb::Stop, {required("a.socket"), bestEffort("a.service")}}}},
		VerbCase{UnitVerb::Restart,
			 "a.service",
			 {{UnitVerb::Restart, {required("a.service")}}}},
		VerbCase{UnitVerb::Restart,
			 "a.socket",
			 {{UnitVerb::Stop, {bestEffort("a.service")}}}},
		VerbCase{UnitVerb::TryRestart,
			 "a.socket",
			 {{UnitVerb::Stop, {bestEffort("a.service")}}}},
		VerbCase{UnitVerb::Reload,
			 "a.service",
			 {{UnitVerb::Reload, {required("a.service")}}}},
		VerbCase{UnitVerb::Reload,
			 "a.socket",
			 {{UnitVerb::Reload, {required("a.service")}}}},
		VerbCase{UnitVerb::TryReloadOrRestart,
			 "a.socket",
			 {{UnitVerb::TryReloadOrRestart, {required("a.service")}}}},
		VerbCase{UnitVerb::Enable,
			 "a.service",
			 {{UnitVerb::Enable, {required("a.service")}},
			  {UnitVerb::Start, {required("a.service")}}}},
		VerbCase{UnitVerb::Disable,
			 "a.socket",
			 {{UnitVerb::Disable, {required("a.socket")}},
			  {UnitVerb::Stop, {required("a.socket"), bestEffort("a.service")}}}},
		VerbCase{UnitVerb::Mask, "a.service", {{UnitVerb::Mask, {required("a.service")}}}},
		VerbCase{UnitVerb::Unmask,
			 "a.service",
			 {{UnitVerb::Unmask, {required("a.service")}}}},
		VerbCase{UnitVerb::ResetFailed,
			 "a.socket",
			 {{UnitVerb::ResetFailed, {required("a.socket")}}}}));

TEST(UnitVerbNameTest, RoundTripsEveryVerb)
{
	for (const char *name :
	     {"start", "stop", "restart", "try-restart", "reload", "try-reload-or-restart",
	      "enable", "disable", "mask", "unmask", "reset-failed"}) {
		const std::optional<UnitVerb> verb = parseUnitVerb(name);
		ASSERT_TRUE(verb) << name;
		EXPECT_EQ(unitVerbName(*verb), name);
	}
	EXPECT_EQ(parseUnitVerb("kill"), std::nullopt);
}

TEST(VerbTableTest, EachVerbSaysHowSystemdDoesIt)
{
	EXPECT_EQ(verbInfo(UnitVerb::Start).kind, VerbKind::Job);
	EXPECT_EQ(verbInfo(UnitVerb::TryReloadOrRestart).method, "ReloadOrTryRestartUnit");
	EXPECT_EQ(verbInfo(UnitVerb::Mask).kind, VerbKind::UnitFiles);
	EXPECT_EQ(verbInfo(UnitVerb::Mask).method, "MaskUnitFiles");
	EXPECT_EQ(verbInfo(UnitVerb::ResetFailed).kind, VerbKind::Call);
	EXPECT_EQ(verbInfo(UnitVerb::ResetFailed).method, "ResetFailedUnit");
}

} /* namespace */
} /* namespace plinth */

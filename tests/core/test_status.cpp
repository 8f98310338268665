/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <gtest/gtest.h>

#include "app_builder.h"
#include "fake_units.h"
#include "status.h"
#include "temp_dir.h"

namespace plinth {
namespace {

class StatusTest : public testing::Test
{
protected:
	StatusQueries makeQueries(std::vector<App> apps)
	{
		std::vector<std::string> warnings;
		registry_ = std::make_unique<Registry>(std::move(apps), warnings);
		return StatusQueries(*registry_, units_, records_);
	}

	const App &appNamed(std::string_view id) { return *registry_->findApp(id); }

	TempDir dir_;
	FakeUnits units_;
	EnableStateStore records_{dir_.path() / "state.toml"};
	std::unique_ptr<Registry> registry_;
};

TEST(ComponentTest, DefaultsMatchAPlainDaemon)
{
	const Component c = daemon("test-daemon", "test-unit.service");
	EXPECT_EQ(c.id, "test-daemon");
	EXPECT_EQ(c.unit, "test-unit.service");
	EXPECT_FALSE(c.strictCheck);
	EXPECT_TRUE(c.listenPorts.empty());
	EXPECT_TRUE(c.alias.empty());
	EXPECT_TRUE(c.isLeader());
	EXPECT_TRUE(c.followsApp());
}

TEST(ComponentTest, SharedDaemonIsNotALeaderAndRelatedDaemonFollowsNothing)
{
	EXPECT_FALSE(sharedDaemon("s", "db.service").isLeader());
	EXPECT_TRUE(sharedDaemon("s", "db.service").followsApp());
	EXPECT_FALSE(relatedDaemon("r", "web.service").isLeader());
	EXPECT_FALSE(relatedDaemon("r", "web.service").followsApp());
}

TEST(UnitFileStateTest, NonStrictAcceptsWhatIsEnabledAccepts)
{
	for (const char *state :
	     {"enabled", "enabled-runtime", "alias", "static", "indirect", "generated"}) {
		EXPECT_TRUE(isEnabledUnitFileState(state, false)) << state;
	}
	for (const char *state : {"disabled", "masked", "masked-runtime", "linked",
				  "linked-runtime", "bad", "transient", ""}) {
		EXPECT_FALSE(isEnabledUnitFileState(state, false)) << state;
	}
}

TEST(UnitFileStateTest, StrictAcceptsOnlyEnabled)
{
	EXPECT_TRUE(isEnabledUnitFileState("enabled", true));
	for (const char *state : {"enabled-runtime", "alias", "static", "indirect", "generated"})
		EXPECT_FALSE(isEnabledUnitFileState(state, true)) << state;
}

TEST(ActiveStateTest, ActiveAndReloadingAreRunning)
{
	EXPECT_TRUE(isRunningActiveState("active"));
	EXPECT_TRUE(isRunningActiveState("reloading"));
	for (const char *state : {"inactive", "failed", "activating", "deactivating", ""})
		EXPECT_FALSE(isRunningActiveState(state)) << state;
}

TEST_F(StatusTest, DaemonEnabledFollowsItsUnit)
{
	const StatusQueries q = makeQueries({app("a", {daemon("d", "test-unit.service")})});
	const Component &c = appNamed("a").components[0];

	units_.setFileState("test-unit.service", "enabled");
	EXPECT_TRUE(q.isComponentEnabled(c));
	units_.setFileState("test-unit.service", "disabled");
	EXPECT_FALSE(q.isComponentEnabled(c));
}

TEST_F(StatusTest, StrictCheckRefusesEnabledRuntime)
{
	const StatusQueries q = makeQueries(
		{app("a", {daemon("d", "u.service"), daemon("s", "s.service", {}, true)})});
	units_.setFileState("u.service", "enabled-runtime");
	units_.setFileState("s.service", "enabled-runtime");
	EXPECT_TRUE(q.isComponentEnabled(appNamed("a").components[0]));
	EXPECT_FALSE(q.isComponentEnabled(appNamed("a").components[1]));
}

TEST_F(StatusTest, EitherTheAliasOrTheUnitMakesADaemonEnabled)
{
	const StatusQueries q =
		makeQueries({app("a", {daemon("d", "new-name.service", "old-name.service")})});
	const Component &c = appNamed("a").components[0];

	units_.setFileState("new-name.service", "disabled");
	units_.setFileState("old-name.service", "enabled");
	EXPECT_TRUE(q.isComponentEnabled(c));

	units_.setFileState("new-name.service", "enabled");
	units_.setFileState("old-name.service", "");
	EXPECT_TRUE(q.isComponentEnabled(c));

	units_.setFileState("new-name.service", "disabled");
	EXPECT_FALSE(q.isComponentEnabled(c));
}

TEST_F(StatusTest, DaemonRunningFollowsItsUnitWhereItExists)
{
	const StatusQueries q = makeQueries({app("a", {daemon("d", "u.service", "old.service")})});
	const Component &c = appNamed("a").components[0];

	units_.setLoadState("u.service", "loaded");
	units_.setLoadState("old.service", "loaded");
	units_.setActiveState("u.service", "active");
	EXPECT_TRUE(q.isComponentRunning(c));
	units_.setActiveState("u.service", "failed");
	units_.setActiveState("old.service", "active");
	EXPECT_FALSE(q.isComponentRunning(c));
	EXPECT_EQ(q.daemonUnit(c), "u.service");
}

TEST_F(StatusTest, ADaemonKnownOnlyByItsAliasRunsUnderIt)
{
	const StatusQueries q = makeQueries(
		{app("a", {daemon("d", "new.service", "old.service"), daemon("e", "e.service")})});
	const Component &c = appNamed("a").components[0];
	units_.setLoadState("e.service", "loaded");
	units_.setActiveState("e.service", "active");

	units_.setLoadState("new.service", "not-found");
	units_.setActiveState("new.service", "inactive");
	units_.setLoadState("old.service", "loaded");
	units_.setActiveState("old.service", "active");
	EXPECT_EQ(q.daemonUnit(c), "old.service");
	EXPECT_TRUE(q.isComponentRunning(c));
	EXPECT_TRUE(q.isAppRunning(appNamed("a")));

	units_.setActiveState("old.service", "inactive");
	EXPECT_FALSE(q.isAppRunning(appNamed("a")));

	/* Neither name exists: the daemon is its declared unit, which does not run. */
	units_.setLoadState("old.service", "not-found");
	EXPECT_EQ(q.daemonUnit(c), "new.service");
}

TEST_F(StatusTest, SharedDaemonEnabledIsItsUnitState)
{
	const StatusQueries q = makeQueries({app("a", {sharedDaemon("s", "db.service")})});
	const Component &c = appNamed("a").components[0];

	units_.setFileState("db.service", "disabled");
	EXPECT_FALSE(q.isComponentEnabled(c));
	units_.setFileState("db.service", "enabled");
	EXPECT_TRUE(q.isComponentEnabled(c));
}

TEST_F(StatusTest, RelatedDaemonIsNeverEnabledNorRunning)
{
	const StatusQueries q = makeQueries({app("a", {relatedDaemon("r", "web.service")})});
	units_.setFileState("web.service", "enabled");
	units_.setActiveState("web.service", "active");
	EXPECT_FALSE(q.isComponentEnabled(appNamed("a").components[0]));
	EXPECT_FALSE(q.isComponentRunning(appNamed("a").components[0]));
}

TEST_F(StatusTest, AppIsEnabledWhenAllDaemonsAreIgnoringSharedAndRelated)
{
	const StatusQueries q = makeQueries({app(
		"wiki", {daemon("d1", "one.service"), daemon("d2", "two.service"),
			 sharedDaemon("s", "db.service"), relatedDaemon("r", "web.service")})});
	const App &wiki = appNamed("wiki");

	units_.setFileState("one.service", "enabled");
	units_.setFileState("two.service", "disabled");
	EXPECT_FALSE(q.isAppEnabled(wiki));

	units_.setFileState("two.service", "static");
	units_.setFileState("db.service", "disabled");
	units_.setFileState("web.service", "disabled");
	EXPECT_TRUE(q.isAppEnabled(wiki));
}

TEST_F(StatusTest, AppWithoutDaemonIsEnabledAsRecorded)
{
	const StatusQueries q = makeQueries({app("backup", {sharedDaemon("s", "db.service")})});
	const App &backup = appNamed("backup");

	units_.setFileState("db.service", "enabled");
	EXPECT_FALSE(q.isAppEnabled(backup));
	records_.setEnabled("backup", true);
	EXPECT_TRUE(q.isAppEnabled(backup));
	units_.setFileState("db.service", "disabled");
	EXPECT_TRUE(q.isAppEnabled(backup));
	records_.setEnabled("backup", false);
	EXPECT_FALSE(q.isAppEnabled(backup));
}

TEST_F(StatusTest, AppIsRunningWhenEveryDaemonAndSharedDaemonRuns)
{
	const StatusQueries q = makeQueries(
		{app("wiki", {daemon("d", "one.service"), sharedDaemon("s", "db.service"),
			      relatedDaemon("r", "web.service")})});
	const App &wiki = appNamed("wiki");

	units_.setActiveState("one.service", "active");
	units_.setActiveState("db.service", "inactive");
	EXPECT_FALSE(q.isAppRunning(wiki));

	units_.setActiveState("one.service", "inactive");
	units_.setActiveState("db.service", "active");
	EXPECT_FALSE(q.isAppRunning(wiki));

	units_.setActiveState("one.service", "active");
	units_.setActiveState("web.service", "failed");
	EXPECT_TRUE(q.isAppRunning(wiki));
}

TEST_F(StatusTest, SharedWithOtherEnabledAppLooksOnlyAtOtherEnabledApps)
{
	const StatusQueries q = makeQueries({
		app("one", {daemon("d1", "one.service"), sharedDaemon("s1", "db.service")}),
		app("two", {daemon("d2", "two.service"), sharedDaemon("s2", "db.service")}),
		app("three", {daemon("d3", "three.service"), daemon("d3db", "db.service")}),
	});
	units_.setFileState("three.service", "enabled");
	units_.setFileState("db.service", "enabled");

	units_.setFileState("one.service", "enabled");
	EXPECT_TRUE(q.isSharedWithOtherEnabledApp(appNamed("two"), "db.service"));
	EXPECT_FALSE(q.isSharedWithOtherEnabledApp(appNamed("one"), "db.service"))
		<< "a Daemon (not SharedDaemon) on the same unit does not count";

	units_.setFileState("one.service", "disabled");
	EXPECT_FALSE(q.isSharedWithOtherEnabledApp(appNamed("two"), "db.service"));
}

TEST_F(StatusTest, UnitMethodsAreNonStrict)
{
	const StatusQueries q = makeQueries({app("a", {daemon("d", "u.service", {}, true)})});
	units_.setFileState("u.service", "enabled-runtime");
	units_.setActiveState("u.service", "reloading");
	EXPECT_TRUE(q.isUnitEnabled("u.service"));
	EXPECT_TRUE(q.isUnitRunning("u.service"));
	EXPECT_FALSE(q.isUnitEnabled("unknown.service"));
	EXPECT_FALSE(q.isUnitRunning("unknown.service"));
}

} /* namespace */
} /* namespace plinth */

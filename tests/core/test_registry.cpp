/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "app_builder.h"
#include "registry.h"

namespace plinth {
namespace {

std::vector<std::string> appIds(const Registry &registry)
{
	std::vector<std::string> ids;
	for (const App &a : registry.apps())
		ids.push_back(a.id);
	return ids;
}

TEST(RegistryTest, OrdersAppsAfterTheirDependenciesAndKeepsLoadOrderOtherwise)
{
	std::vector<std::string> warnings;
	const Registry registry({app("wiki", {}, {"apache", "db"}), app("apache", {}),
				 app("zeta", {}), app("db", {}, {"apache"})},
				warnings);
	EXPECT_THAT(appIds(registry), testing::ElementsAre("apache", "zeta", "db", "wiki"));
	EXPECT_TRUE(warnings.empty());
}

TEST(RegistryTest, AnAppWaitsForEveryOneOfItsDependenciesEvenWhenNamedTwice)
{
	std::vector<std::string> warnings;
	const Registry registry({app("wiki", {}, {"db", "db", "apache"}), app("db", {}, {"apache"}),
				 app("mail", {}, {"mail"}), app("apache", {}), app("zeta", {})},
				warnings);
	EXPECT_THAT(appIds(registry), testing::ElementsAre("apache", "db", "wiki", "zeta", "mail"));
	EXPECT_THAT(warnings, testing::ElementsAre(testing::HasSubstr("'mail' is part of a "
								      "dependency cycle")));
}

TEST(RegistryTest, UnknownDependencyIsAWarningAndTheAppStillLoads)
{
	std::vector<std::string> warnings;
	const Registry registry({app("wiki", {}, {"apache"})}, warnings);
	EXPECT_THAT(appIds(registry), testing::ElementsAre("wiki"));
	EXPECT_THAT(warnings, testing::ElementsAre("wiki.toml: app 'wiki' depends on unknown app "
						   "'apache'; the dependency is ignored"));
}

TEST(RegistryTest, DependencyCycleIsAWarningAndEveryAppStillLoads)
{
	std::vector<std::string> warnings;
	const Registry registry({app("a", {}, {"b"}), app("b", {}, {"a"}), app("c", {})}, warnings);
	EXPECT_THAT(appIds(registry), testing::ElementsAre("c", "a", "b"));
	EXPECT_EQ(warnings.size(), 2u);
	EXPECT_THAT(warnings[0], testing::HasSubstr("'a' is part of a dependency cycle"));
}

TEST(RegistryTest, FindsAppsAndComponents)
{
	std::vector<std::string> warnings;
	const Registry registry({app("wiki", {daemon("daemon-wiki", "wiki.service")})}, warnings);
	ASSERT_NE(registry.findApp("wiki"), nullptr);
	EXPECT_EQ(registry.findApp("wiki")->components.size(), 1u);
	EXPECT_EQ(registry.findApp("apache"), nullptr);

	const std::optional<ComponentRef> ref = registry.findComponent("daemon-wiki");
	ASSERT_TRUE(ref);
	EXPECT_EQ(ref->app->id, "wiki");
	EXPECT_EQ(ref->component->unit, "wiki.service");
	EXPECT_FALSE(registry.findComponent("daemon-none"));
}

TEST(RegistryTest, ManagedUnitsAreDaemonUnitsAliasesAndRelatedUnits)
{
	std::vector<std::string> warnings;
	const Registry registry(
		{app("wiki", {daemon("d", "wiki.service", "old-wiki.service"),
			      sharedDaemon("s", "db.service"), relatedDaemon("r", "web.service")}),
		 app("blog", {sharedDaemon("s2", "db.service")})},
		warnings);

	for (const char *unit : {"wiki.service", "old-wiki.service", "db.service", "web.service"})
		EXPECT_TRUE(registry.isManaged(unit)) << unit;
	EXPECT_FALSE(registry.isManaged("sshd.service"));

	const std::vector<ComponentRef> &db = registry.declarersOf("db.service");
	ASSERT_EQ(db.size(), 2u);
	EXPECT_EQ(db[0].component->id, "s");
	EXPECT_EQ(db[1].component->id, "s2");
	EXPECT_EQ(registry.declarersOf("old-wiki.service").at(0).component->id, "d");
	EXPECT_TRUE(registry.declarersOf("sshd.service").empty());

	std::vector<std::string> rows;
	for (const ManagedUnit &m : registry.managedUnits())
		rows.push_back(m.unit + " " + m.appId + " " + m.componentId);
	EXPECT_THAT(rows, testing::ElementsAre("wiki.service wiki d", "old-wiki.service wiki d",
					       "db.service wiki s", "web.service wiki r",
					       "db.service blog s2"));
}

TEST(RegistryTest, AUnitBelongsToTheOneAppWhoseDaemonItIs)
{
	std::vector<std::string> warnings;
	const Registry registry({app("web", {daemon("d-web", "web.service")}),
				 app("wiki", {daemon("d-wiki", "wiki.service", "old-wiki.service"),
					      sharedDaemon("s-wiki", "db.service"),
					      relatedDaemon("r-wiki", "web.service")}),
				 app("tools", {sharedDaemon("s-tools", "tools.service")}),
				 app("mail", {daemon("d-mail", "mail.service"),
					      relatedDaemon("r-mail", "spam.service")}),
				 app("mail2", {daemon("d-mail2", "mail.service")}),
				 app("backup", {daemon("d-backup", "backup.service"),
						sharedDaemon("s-backup", "backup.service")})},
				warnings);

	auto owner = [&registry](const char *unit) {
		const App *app = registry.ownerOf(unit);
		return app ? app->id : std::string("(shared)");
	};
	/* Another app's RelatedDaemon on it leaves the unit its owner's. */
	EXPECT_EQ(owner("web.service"), "web");
	EXPECT_EQ(owner("wiki.service"), "wiki");
	EXPECT_EQ(owner("old-wiki.service"), "wiki");
	EXPECT_EQ(owner("db.service"), "(shared)");
	EXPECT_EQ(owner("tools.service"), "(shared)");
	EXPECT_EQ(owner("spam.service"), "(shared)");
	EXPECT_EQ(owner("mail.service"), "(shared)");
	EXPECT_EQ(owner("backup.service"), "(shared)");
	EXPECT_EQ(owner("sshd.service"), "(shared)");
}

} /* namespace */
} /* namespace plinth */

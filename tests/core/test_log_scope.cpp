/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "app_builder.h"
#include "log_scope.h"

namespace plinth {
namespace {

using Details = std::map<std::string, std::string>;
using testing::ElementsAre;

class LogScopeTest : public testing::Test
{
protected:
	std::vector<std::string> warnings_;
	/* web runs the web server wiki serves through; wiki and tools share the database. */
	const Registry registry_{{app("web", {daemon("d-web", "web.service")}),
				  app("wiki", {daemon("d-wiki", "wiki.service", "old-wiki.service"),
					       sharedDaemon("s-wiki", "db.service"),
					       relatedDaemon("r-wiki", "web.service")}),
				  app("tools", {sharedDaemon("s-tools", "db.service")})},
				 warnings_};

	const App &find(const char *id) const { return *registry_.findApp(id); }
};

TEST_F(LogScopeTest, AnOwnUnitNamesItsApp)
{
	const LogScope scope = unitLogScope(registry_, "old-wiki.service");
	EXPECT_EQ(scope.needed.details,
		  (Details{{"unit", "old-wiki.service"}, {"app", "wiki"}, {"shared", "false"}}));
	EXPECT_THAT(scope.needed.units, ElementsAre("old-wiki.service"));
	EXPECT_FALSE(scope.extra);
}

TEST_F(LogScopeTest, ASharedUnitNamesNoApp)
{
	const LogScope scope = unitLogScope(registry_, "db.service");
	EXPECT_EQ(scope.needed.details, (Details{{"unit", "db.service"}, {"shared", "true"}}));
	EXPECT_THAT(scope.needed.units, ElementsAre("db.service"));
	EXPECT_FALSE(scope.extra);
}

TEST_F(LogScopeTest, AnAppNeedsItsOwnUnitsAndAddsItsSharedOnes)
{
	const LogScope scope = appLogScope(registry_, find("wiki"));
	EXPECT_EQ(scope.needed.details, (Details{{"app", "wiki"}, {"shared", "false"}}));
	EXPECT_THAT(scope.needed.units, ElementsAre("old-wiki.service", "wiki.service"));
	ASSERT_TRUE(scope.extra);
	EXPECT_EQ(scope.extra->details, (Details{{"app", "wiki"}, {"shared", "true"}}));
	/* The web server is web's: wiki only uses it, and so do other apps. */
	EXPECT_THAT(scope.extra->units, ElementsAre("db.service", "web.service"));
}

TEST_F(LogScopeTest, AnAppWithOnlyOwnUnitsHasNoExtra)
{
	const LogScope scope = appLogScope(registry_, find("web"));
	EXPECT_EQ(scope.needed.details, (Details{{"app", "web"}, {"shared", "false"}}));
	EXPECT_THAT(scope.needed.units, ElementsAre("web.service"));
	EXPECT_FALSE(scope.extra);
}

TEST_F(LogScopeTest, AnAppWithoutOwnUnitsNeedsItsSharedOnes)
{
	const LogScope scope = appLogScope(registry_, find("tools"));
	EXPECT_EQ(scope.needed.details, (Details{{"app", "tools"}, {"shared", "true"}}));
	EXPECT_THAT(scope.needed.units, ElementsAre("db.service"));
	EXPECT_FALSE(scope.extra);
}

} /* namespace */
} /* namespace plinth */

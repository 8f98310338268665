/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "app_builder.h"
#include "operation_scope.h"

namespace plinth {
namespace {

using testing::ElementsAre;

class OperationScopeTest : public testing::Test
{
protected:
	OperationScopeTest()
		: registry_(
			  {
				  app("web", {daemon("daemon-web", "web.service", "httpd.service"),
					      sharedDaemon("shared-web-db", "db.service"),
					      relatedDaemon("related-web-proxy", "proxy.service")}),
				  app("blog", {daemon("daemon-blog", "blog.service"),
					       sharedDaemon("shared-blog-db", "db.service")}),
				  app("tools", {sharedDaemon("shared-tools-db", "db.service")}),
				  app("echo", {daemon("daemon-echo", "echo.socket")}),
				  app("other", {daemon("daemon-other", "other.service")}),
			  },
			  warnings_)
	{
	}

	const App &find(std::string_view id) const { return *registry_.findApp(id); }

	std::vector<std::string> warnings_;
	Registry registry_;
};

TEST_F(OperationScopeTest, AnAppCoversItsDaemonsAliasesAndRecordedState)
{
	EXPECT_THAT(appOperationScope(registry_, find("other")),
		    ElementsAre("app:other", "other.service"));
	EXPECT_THAT(appOperationScope(registry_, find("echo")),
		    ElementsAre("app:echo", "echo.service", "echo.socket"));
}

TEST_F(OperationScopeTest, ASharedDaemonBringsInTheStateOfEveryAppSharingIt)
{
	/* Disabling web keeps db while blog or tools is enabled: it reads their states. */
	EXPECT_THAT(appOperationScope(registry_, find("web")),
		    ElementsAre("app:blog", "app:tools", "app:web", "blog.service", "db.service",
				"httpd.service", "web.service"));
}

TEST_F(OperationScopeTest, ARelatedDaemonIsNotPartOfItsAppsOperations)
{
	EXPECT_FALSE(appOperationScope(registry_, find("web")).contains("proxy.service"));
}

TEST_F(OperationScopeTest, AUnitCoversBothNamesOfItsComponent)
{
	EXPECT_THAT(unitOperationScope(registry_, "httpd.service"),
		    ElementsAre("httpd.service", "web.service"));
	EXPECT_THAT(unitOperationScope(registry_, "echo.socket"),
		    ElementsAre("echo.service", "echo.socket"));
}

TEST_F(OperationScopeTest, OverlapIsAnyNameInCommon)
{
	const OperationScope blog = appOperationScope(registry_, find("blog"));
	EXPECT_TRUE(scopesOverlap(appOperationScope(registry_, find("tools")), blog));
	EXPECT_TRUE(scopesOverlap(unitOperationScope(registry_, "db.service"), blog));
	EXPECT_FALSE(scopesOverlap(appOperationScope(registry_, find("other")), blog));
	EXPECT_FALSE(scopesOverlap({}, blog));
}

} /* namespace */
} /* namespace plinth */

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <gtest/gtest.h>

#include <memory>

#include "app_builder.h"
#include "fake_units.h"
#include "lease_plan.h"
#include "temp_dir.h"

namespace plinth {
namespace {

const std::string kWiki = "wiki.service";
const std::string kOther = "other.service";
const Plan kStop = {{UnitVerb::Stop, {{kWiki}}}};
const Plan kRuntimeDisable = {{UnitVerb::DisableRuntime, {{kWiki}}}};
const Plan kRuntimeDisableAndStop = {{UnitVerb::DisableRuntime, {{kWiki}}},
				     {UnitVerb::Stop, {{kWiki}}}};

/* The app "wiki" has wiki.service as its Daemon and shares other.service. */
class LeasePlanTest : public testing::Test
{
protected:
	void SetUp() override
	{
		std::vector<std::string> warnings;
		registry_ = std::make_unique<Registry>(
			std::vector<App>{
				app("wiki", {daemon("daemon-wiki", kWiki),
					     sharedDaemon("shared-wiki", kOther)}),
			},
			warnings);
		units_.setLoadState(kWiki, "loaded");
		units_.setActiveState(kWiki, "active");
		units_.setLoadState(kOther, "loaded");
	}

	StatusQueries status() const { return StatusQueries(*registry_, units_, records_); }

	TempDir dir_;
	FakeUnits units_;
	EnableStateStore records_{dir_.path() / "state.toml"};
	std::unique_ptr<Registry> registry_;
};

TEST_F(LeasePlanTest, AStoppedUnitIsEnabledForTheRuntimeOnlyWhereItIsNot)
{
	units_.setActiveState(kWiki, "inactive");
	units_.setFileState(kWiki, "disabled");
	const Plan enableAndStart = {{UnitVerb::EnableRuntime, {{kWiki}}},
				     {UnitVerb::Start, {{kWiki}}}};
	EXPECT_EQ(planLeaseStart(kWiki, status()), enableAndStart);

	units_.setFileState(kWiki, "enabled");
	const Plan start = {{UnitVerb::Start, {{kWiki}}}};
	EXPECT_EQ(planLeaseStart(kWiki, status()), start);
}

TEST_F(LeasePlanTest, LinksStillTheLeasesOwnAreRemovedAndTheUnitStopped)
{
	units_.setFileState(kWiki, "enabled-runtime");
	/* The app looks enabled, but only through the lease's own links: that does not count. */
	EXPECT_TRUE(status().isAppEnabled(*registry_->findApp("wiki")));
	EXPECT_EQ(planLeaseEnd(kWiki, {.linked = true, .started = true}, status()),
		  kRuntimeDisableAndStop);
}

TEST_F(LeasePlanTest, AnEnableForGoodMeanwhileKeepsTheAppsDaemonEnabledAndRunning)
{
	/* EnableApp or `systemctl enable` while the lease was held: links for good now. */
	units_.setFileState(kWiki, "enabled");
	EXPECT_EQ(planLeaseEnd(kWiki, {.linked = true, .started = true}, status()),
		  kRuntimeDisable);
}

TEST_F(LeasePlanTest, AnAppEnabledMeanwhileKeepsItsDaemonRunning)
{
	units_.setFileState(kWiki, "enabled");
	EXPECT_EQ(planLeaseEnd(kWiki, {.linked = false, .started = true}, status()), Plan{});
}

TEST_F(LeasePlanTest, AnAppAlreadyEnabledWhenTheLeaseStartedDoesNotKeepItRunning)
{
	/* Its daemon did not run then: the lease's end puts that back. */
	units_.setFileState(kWiki, "enabled");
	EXPECT_EQ(planLeaseEnd(kWiki, {.linked = false, .started = true, .wantedByApp = true},
			       status()),
		  kStop);
}

TEST_F(LeasePlanTest, AnEnabledAppKeepsItsSharedDaemonRunning)
{
	units_.setFileState(kWiki, "enabled");
	units_.setFileState(kOther, "enabled-runtime");
	units_.setActiveState(kOther, "active");
	const Plan disableOnly = {{UnitVerb::DisableRuntime, {{kOther}}}};
	EXPECT_EQ(planLeaseEnd(kOther, {.linked = true, .started = true}, status()), disableOnly);
}

TEST_F(LeasePlanTest, ADisabledAppDoesNotKeepItRunning)
{
	units_.setFileState(kWiki, "disabled");
	EXPECT_EQ(planLeaseEnd(kWiki, {.linked = false, .started = true}, status()), kStop);
}

TEST_F(LeasePlanTest, ARelatedDaemonsAppDoesNotKeepItRunning)
{
	/* tools has wiki.service only as a RelatedDaemon, which its app never starts. */
	records_.load();
	units_.setFileState(kWiki, "disabled");
	std::vector<std::string> warnings;
	registry_ = std::make_unique<Registry>(
		std::vector<App>{app("tools", {relatedDaemon("related-tools", kWiki)})}, warnings);
	records_.setEnabled("tools", true);
	EXPECT_EQ(planLeaseEnd(kWiki, {.linked = false, .started = true}, status()), kStop);
}

} /* namespace */
} /* namespace plinth */

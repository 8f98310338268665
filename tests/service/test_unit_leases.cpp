/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <exception>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "../core/fake_units.h"
#include "enable_state_store.h"
#include "event_loop.h"
#include "lease_records.h"
#include "plan.h"
#include "registry.h"
#include "status.h"
#include "temp_dir.h"
#include "unit_leases.h"
#include "unit_operations.h"

namespace plinth {
namespace {

using namespace std::chrono_literals;

const std::string kUnit = "plinth-test-db.service";

/* Generous: only a broken lease gets near it. */
constexpr auto kPatience = 5s;

const Plan kEnableAndStart = {{UnitVerb::EnableRuntime, {{kUnit}}}, {UnitVerb::Start, {{kUnit}}}};
const Plan kDisableAndStop = {{UnitVerb::DisableRuntime, {{kUnit}}}, {UnitVerb::Stop, {{kUnit}}}};

/*
 * Runs every plan as AppChanges does, later on the loop, against unit states the test sets,
 * and answers with the error and the unit-file changes the test chose for it.
 */
class FakeUnitOperations : public UnitOperations
{
public:
	explicit FakeUnitOperations(EventLoop &loop) : loop_(loop) {}

	void runUnitPlan(std::string_view, UnitPlanner planner, PlanDone done) override
	{
		plans.push_back(planner(StatusQueries(registry_, units, records_)));
		loop_.post([this, done = std::move(done)] { done(error, reported); });
	}

	FakeUnits units;
	/* What systemd "reports" for every plan from now on. */
	std::exception_ptr error;
	PlanOutcome reported;
	std::vector<Plan> plans;

private:
	EventLoop &loop_;
	const Registry registry_;
	/* Never read: a lease asks nothing of the apps' recorded states. */
	const EnableStateStore records_{"/nonexistent/state.toml"};
};

class UnitLeasesTest : public testing::Test
{
protected:
	void SetUp() override
	{
		/* A stopped unit whose enable the service has not seen yet, or that is not. */
		operations_.units.setLoadState(kUnit, "loaded");
		operations_.units.setActiveState(kUnit, "inactive");
		operations_.units.setFileState(kUnit, "disabled");
	}

	/* The lease's descriptor, or -1 with the error the caller got. */
	int acquire()
	{
		bool answered = false;
		int lease = -1;
		detach(leases_.acquire(":1.42", kUnit),
		       [&](std::exception_ptr error, const UnitLeases::Granted &granted) {
			       answered = true;
			       lastError_ = error;
			       lease = granted.fd;
		       });
		EXPECT_TRUE(loop_.runUntil([&] { return answered; }, kPatience));
		return lease;
	}

	/* Ends the lease and waits for the plan that puts the unit back. */
	Plan release(int lease)
	{
		const std::size_t before = operations_.plans.size();
		::close(lease);
		EXPECT_TRUE(loop_.runUntil([&] { return operations_.plans.size() > before; },
					   kPatience));
		return operations_.plans.back();
	}

	LeaseRecordStore::Units recorded() const
	{
		LeaseRecordStore store(records_);
		store.load();
		return store.units();
	}

	test::TempDir state_;
	const std::filesystem::path records_ = state_.path() / "leases.toml";
	EventLoop loop_;
	FakeUnitOperations operations_{loop_};
	UnitLeases leases_{operations_, loop_, records_};
	std::exception_ptr lastError_;
};

TEST_F(UnitLeasesTest, AnEnableThatCreatedNoLinkIsNotUndone)
{
	/* The admin's `systemctl enable` came first: systemd reports no change. */
	const int lease = acquire();
	ASSERT_GE(lease, 0);
	ASSERT_EQ(operations_.plans.size(), 1u);
	EXPECT_EQ(operations_.plans[0], kEnableAndStart);

	EXPECT_EQ(release(lease), planUnitVerb(UnitVerb::Stop, kUnit));
}

TEST_F(UnitLeasesTest, TheLinksALeasesEnableCreatedAreRemovedWhenItEnds)
{
	operations_.reported.unitFileEdits = {
		{"symlink", "/etc/systemd/system/multi-user.target.wants/" + kUnit,
		 "/usr/lib/systemd/system/" + kUnit}};
	const int lease = acquire();
	ASSERT_GE(lease, 0);

	EXPECT_EQ(release(lease), kDisableAndStop);
}

TEST_F(UnitLeasesTest, AFailedStartUndoesOnlyTheLinksTheEnableCreated)
{
	operations_.error = std::make_exception_ptr(std::runtime_error("start failed"));
	operations_.reported.unitFileEdits = {
		{"symlink", "/etc/systemd/system/multi-user.target.wants/" + kUnit,
		 "/usr/lib/systemd/system/" + kUnit}};
	EXPECT_EQ(acquire(), -1);
	EXPECT_TRUE(lastError_);
	ASSERT_EQ(operations_.plans.size(), 2u);
	EXPECT_EQ(operations_.plans[1], kDisableAndStop);

	operations_.reported = {};
	EXPECT_EQ(acquire(), -1);
	ASSERT_EQ(operations_.plans.size(), 4u);
	EXPECT_EQ(operations_.plans[3], planUnitVerb(UnitVerb::Stop, kUnit));
}

TEST_F(UnitLeasesTest, AUnitTheServiceSawEnabledIsOnlyStartedAndStopped)
{
	operations_.units.setFileState(kUnit, "enabled");
	const int lease = acquire();
	ASSERT_GE(lease, 0);
	EXPECT_EQ(operations_.plans[0], planUnitVerb(UnitVerb::Start, kUnit));

	EXPECT_EQ(release(lease), planUnitVerb(UnitVerb::Stop, kUnit));
}

TEST_F(UnitLeasesTest, WhatALeaseChangedIsRecordedWhileItIsHeld)
{
	operations_.reported.unitFileEdits = {
		{"symlink", "/run/systemd/system/multi-user.target.wants/" + kUnit,
		 "/usr/lib/systemd/system/" + kUnit}};
	const int lease = acquire();
	ASSERT_GE(lease, 0);
	const LeaseRecordStore::Units held = recorded();
	ASSERT_EQ(held.size(), 1u);
	EXPECT_EQ(held.at(kUnit).changes, (LeaseChanges{.linked = true, .started = true}));
	ASSERT_EQ(held.at(kUnit).holders.size(), 1u);
	EXPECT_EQ(held.at(kUnit).holders.begin()->second, ":1.42");

	release(lease);
	EXPECT_TRUE(recorded().empty());
}

TEST_F(UnitLeasesTest, ALeaseWhoseDescriptorDidNotComeBackIsPutBackAtStart)
{
	{
		LeaseRecordStore store(records_);
		store.set(kUnit,
			  {{.linked = true, .started = true}, {{"lease-4-" + kUnit, ":1.7"}}});
	}
	/* Run by hand: systemd passes nothing back. */
	UnitLeases restarted(operations_, loop_, records_);
	restarted.restore();
	ASSERT_EQ(operations_.plans.size(), 1u);
	EXPECT_EQ(operations_.plans[0], kDisableAndStop);
	EXPECT_TRUE(recorded().empty());
}

} /* namespace */
} /* namespace plinth */

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <gtest/gtest.h>

#include "app_health.h"

namespace plinth {
namespace {

const HealthCheck kRunning{"daemon-running-web.service", "passed",
			   "Service web.service is running"};
const HealthCheck kNotRunning{"daemon-running-web.service", "failed",
			      "Service web.service is running"};
const HealthCheck kListening{"daemon-listening-tcp4-80", "passed", "Listening on tcp4 port 80"};
const HealthCheck kNotListening{"daemon-listening-tcp4-80", "failed", "Listening on tcp4 port 80"};

const std::set<std::string, std::less<>> kNoneIgnored;

TEST(AppHealthTest, DisabledAppIsDisabledWhateverItsChecksSay)
{
	const DiagnosisRecord last{42, {kNotRunning, kNotListening}};
	const AppHealth health = assessHealth(false, {kNotRunning}, &last, kNoneIgnored);
	EXPECT_EQ(health.state, HealthState::Disabled);
	EXPECT_TRUE(health.issues.empty());
	EXPECT_EQ(health.lastDiagnosed, 42u);
}

TEST(AppHealthTest, RunningDaemonsBeforeAnyDiagnosisAreUnknown)
{
	const AppHealth health = assessHealth(true, {kRunning}, nullptr, kNoneIgnored);
	EXPECT_EQ(health.state, HealthState::Unknown);
	EXPECT_TRUE(health.issues.empty());
	EXPECT_EQ(health.lastDiagnosed, 0u);
}

TEST(AppHealthTest, DaemonDownFailsAtOnceWithoutDiagnosis)
{
	const AppHealth health = assessHealth(true, {kNotRunning}, nullptr, kNoneIgnored);
	EXPECT_EQ(health.state, HealthState::Failed);
	EXPECT_EQ(health.issues, std::vector<HealthCheck>{kNotRunning});
}

TEST(AppHealthTest, AllPassedIsOk)
{
	const DiagnosisRecord last{7, {kRunning, kListening}};
	const AppHealth health = assessHealth(true, {kRunning}, &last, kNoneIgnored);
	EXPECT_EQ(health.state, HealthState::Ok);
	EXPECT_TRUE(health.issues.empty());
	EXPECT_EQ(health.lastDiagnosed, 7u);
}

TEST(AppHealthTest, PortNotListeningIsDegraded)
{
	const DiagnosisRecord last{7, {kRunning, kNotListening}};
	const AppHealth health = assessHealth(true, {kRunning}, &last, kNoneIgnored);
	EXPECT_EQ(health.state, HealthState::Degraded);
	EXPECT_EQ(health.issues, std::vector<HealthCheck>{kNotListening});
}

TEST(AppHealthTest, UnitStatesNowOverrideTheDiagnosedRunningCheck)
{
	const DiagnosisRecord passed{7, {kRunning, kListening}};
	EXPECT_EQ(assessHealth(true, {kNotRunning}, &passed, kNoneIgnored).state,
		  HealthState::Failed);

	/* Restarted by systemd since a diagnosis that found it down. */
	const DiagnosisRecord down{7, {kNotRunning, kListening}};
	const AppHealth health = assessHealth(true, {kRunning}, &down, kNoneIgnored);
	EXPECT_EQ(health.state, HealthState::Ok);
	EXPECT_TRUE(health.issues.empty());
}

TEST(AppHealthTest, FailedOutranksDegraded)
{
	const DiagnosisRecord last{7, {kNotRunning, kNotListening}};
	const AppHealth health = assessHealth(true, {kNotRunning}, &last, kNoneIgnored);
	EXPECT_EQ(health.state, HealthState::Failed);
	EXPECT_EQ(health.issues, (std::vector<HealthCheck>{kNotRunning, kNotListening}));
}

TEST(AppHealthTest, ErrorAndWarningCountNotDoneAndSkippedDoNot)
{
	for (const char *result : {"error", "warning"}) {
		const DiagnosisRecord last{7, {{"connect-x", result, "Connect to x:1"}}};
		EXPECT_EQ(assessHealth(true, {kRunning}, &last, kNoneIgnored).state,
			  HealthState::Degraded)
			<< result;
	}
	for (const char *result : {"not_done", "skipped"}) {
		const DiagnosisRecord last{7, {{"connect-x", result, "Connect to x:1"}}};
		EXPECT_EQ(assessHealth(true, {kRunning}, &last, kNoneIgnored).state,
			  HealthState::Ok)
			<< result;
	}
}

TEST(AppHealthTest, IgnoredCheckIsShownButDoesNotCount)
{
	const DiagnosisRecord last{7, {kRunning, kNotListening}};
	const std::set<std::string, std::less<>> ignored{kNotListening.checkId};
	const AppHealth health = assessHealth(true, {kRunning}, &last, ignored);
	EXPECT_EQ(health.state, HealthState::Ok);
	ASSERT_EQ(health.issues.size(), 1u);
	EXPECT_EQ(health.issues[0].checkId, kNotListening.checkId);
	EXPECT_EQ(health.issues[0].result, kIgnoredResult);
	EXPECT_EQ(health.issues[0].message, kNotListening.message);

	const std::set<std::string, std::less<>> runningIgnored{kNotRunning.checkId};
	EXPECT_EQ(assessHealth(true, {kNotRunning}, nullptr, runningIgnored).state,
		  HealthState::Unknown);
}

TEST(AppHealthTest, NamesAreTheBusWords)
{
	EXPECT_EQ(healthStateName(HealthState::Unknown), "unknown");
	EXPECT_EQ(healthStateName(HealthState::Ok), "ok");
	EXPECT_EQ(healthStateName(HealthState::Degraded), "degraded");
	EXPECT_EQ(healthStateName(HealthState::Failed), "failed");
	EXPECT_EQ(healthStateName(HealthState::Disabled), "disabled");
	EXPECT_TRUE(needsAttention(HealthState::Failed));
	EXPECT_TRUE(needsAttention(HealthState::Degraded));
	EXPECT_FALSE(needsAttention(HealthState::Unknown));
	EXPECT_FALSE(needsAttention(HealthState::Disabled));
	EXPECT_FALSE(needsAttention(HealthState::Ok));
}

} /* namespace */
} /* namespace plinth */

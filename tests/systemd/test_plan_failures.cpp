/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <gtest/gtest.h>

#include "error.h"
#include "plan_failures.h"

namespace plinth {
namespace {

Error reported(const PlanFailures &report)
{
	try {
		std::rethrow_exception(report.error());
	} catch (const Error &e) {
		return e;
	}
}

std::exception_ptr failure(ErrorCode code, const std::string &message)
{
	return std::make_exception_ptr(Error(code, message));
}

TEST(PlanFailuresTest, NothingFailedIsSuccess)
{
	PlanFailures report;
	report.add("a.service", nullptr);
	EXPECT_TRUE(report.empty());
	EXPECT_EQ(report.error(), nullptr);
}

TEST(PlanFailuresTest, OneFailureIsReportedAsItIs)
{
	PlanFailures report;
	report.add("a.service",
		   failure(ErrorCode::Timeout, "The job to start a.service timed out."));
	const Error error = reported(report);
	EXPECT_EQ(error.code(), ErrorCode::Timeout);
	EXPECT_STREQ(error.what(), "The job to start a.service timed out.");
}

TEST(PlanFailuresTest, SeveralFailuresAreNamedInOrderInOneError)
{
	PlanFailures report;
	report.add("a.service",
		   failure(ErrorCode::JobFailed, "Cannot enable a.service: no such file."));
	report.add("a.service", nullptr);
	report.add("b.service",
		   failure(ErrorCode::Timeout, "The job to start b.service timed out."));
	const Error error = reported(report);
	EXPECT_EQ(error.code(), ErrorCode::JobFailed);
	EXPECT_STREQ(error.what(), "Cannot enable a.service: no such file. The job to start "
				   "b.service timed out.");
}

TEST(PlanFailuresTest, FailuresOfOneKindKeepTheirCode)
{
	PlanFailures report;
	report.add("a.service", failure(ErrorCode::SystemdUnavailable, "a: systemd is gone."));
	report.add("b.service", failure(ErrorCode::SystemdUnavailable, "b: systemd is gone."));
	EXPECT_EQ(reported(report).code(), ErrorCode::SystemdUnavailable);
}

TEST(PlanFailuresTest, EachFailureKeepsItsUnitAndSystemdsJobResult)
{
	PlanFailures report;
	report.add("app-db.service",
		   std::make_exception_ptr(JobResultError(
			   "dependency", "The job to start app-db.service ended with result "
					 "'dependency'.")));
	report.add({}, failure(ErrorCode::JobFailed, "Cannot reload systemd's configuration."));
	try {
		std::rethrow_exception(report.error());
	} catch (const PlanError &e) {
		ASSERT_EQ(e.failures().size(), 2u);
		EXPECT_EQ(e.failures()[0].unit, "app-db.service");
		EXPECT_EQ(e.failures()[0].jobResult, "dependency");
		EXPECT_EQ(e.failures()[1].unit, "");
		EXPECT_EQ(e.failures()[1].jobResult, "");
		return;
	}
	ADD_FAILURE() << "not a PlanError";
}

TEST(PlanFailuresTest, HowEachUnitEndedFollowsTheSentencesOncePerUnit)
{
	UnitFailure enable{.unit = "a.service", .reason = "Cannot enable a.service."};
	UnitFailure start{.unit = "a.service",
			  .reason = "The job to start a.service failed.",
			  .jobResult = "failed"};
	UnitFailure other{.unit = "b.service", .reason = "The job to start b.service failed."};
	enable.unitResult = "exit-code";
	enable.exitStatus = 3;
	enable.lastLines = {"Dec 06 03:00:00 a[12]: no config"};
	other.unitResult = "signal";
	other.signal = 9;

	const PlanError error({enable, start, other});
	EXPECT_EQ(error.code(), ErrorCode::JobFailed);
	EXPECT_STREQ(error.what(),
		     "Cannot enable a.service. The job to start a.service failed. The job to start "
		     "b.service failed. a.service: Result=exit-code, exit status 3. Its last "
		     "lines:\n  Dec 06 03:00:00 a[12]: no config b.service: Result=signal, signal "
		     "9.");
}

} /* namespace */
} /* namespace plinth */

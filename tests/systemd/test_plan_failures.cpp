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
	report.add(nullptr);
	EXPECT_TRUE(report.empty());
	EXPECT_EQ(report.error(), nullptr);
}

TEST(PlanFailuresTest, OneFailureIsReportedAsItIs)
{
	PlanFailures report;
	report.add(failure(ErrorCode::Timeout, "The job to start a.service timed out."));
	const Error error = reported(report);
	EXPECT_EQ(error.code(), ErrorCode::Timeout);
	EXPECT_STREQ(error.what(), "The job to start a.service timed out.");
}

TEST(PlanFailuresTest, SeveralFailuresAreNamedInOrderInOneError)
{
	PlanFailures report;
	report.add(failure(ErrorCode::JobFailed, "Cannot enable a.service: no such file."));
	report.add(nullptr);
	report.add(failure(ErrorCode::Timeout, "The job to start b.service timed out."));
	const Error error = reported(report);
	EXPECT_EQ(error.code(), ErrorCode::JobFailed);
	EXPECT_STREQ(error.what(), "Cannot enable a.service: no such file. The job to start "
				   "b.service timed out.");
}

TEST(PlanFailuresTest, FailuresOfOneKindKeepTheirCode)
{
	PlanFailures report;
	report.add(failure(ErrorCode::SystemdUnavailable, "a: systemd is gone."));
	report.add(failure(ErrorCode::SystemdUnavailable, "b: systemd is gone."));
	EXPECT_EQ(reported(report).code(), ErrorCode::SystemdUnavailable);
}

} /* namespace */
} /* namespace plinth */

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <cstdint>
#include <exception>
#include <optional>
#include <string>
#include <vector>

#include "error.h"

namespace plinth {

/* One failure of a plan: the unit, what systemd said, and how the unit itself ended. */
struct UnitFailure {
	/* Empty for a failure of a whole step (the manager's Reload). */
	std::string unit = {};
	ErrorCode code = ErrorCode::JobFailed;
	/* The sentence that says what failed and what to do about it. */
	std::string reason = {};
	/* systemd's result for the unit's job (failed, dependency, ...); empty where none ended. */
	std::string jobResult = {};
	/* The unit's own Result (exit-code, signal, ...), filled in by whoever asked the unit. */
	std::string unitResult = {};
	/* How its main process ended, where it did. */
	std::optional<std::int32_t> exitStatus = {};
	std::optional<std::int32_t> signal = {};
	/* Its last lines in the journal, for a caller allowed to read them. */
	std::vector<std::string> lastLines = {};
};

/*
 * A plan's failures as one plinth::Error: its message has every failure's sentence in the
 * order they happened, then how each unit that failed ended (its Result, exit status and
 * last lines), where known. Its code is theirs when they agree, JobFailed when they do not.
 */
class PlanError : public Error
{
public:
	explicit PlanError(std::vector<UnitFailure> failures);

	const std::vector<UnitFailure> &failures() const { return failures_; }

private:
	std::vector<UnitFailure> failures_;
};

/* A job that ended with a result other than done or skipped. */
class JobResultError : public Error
{
public:
	JobResultError(std::string result, const std::string &message)
		: Error(ErrorCode::JobFailed, message), result_(std::move(result))
	{
	}

	const std::string &result() const { return result_; }

private:
	std::string result_;
};

/* The failures of a plan whose every unit was attempted, reported as one PlanError. */
class PlanFailures
{
public:
	/* unit's failure, or a step's with no unit; nothing for a nullptr. */
	void add(const std::string &unit, const std::exception_ptr &error);
	bool empty() const { return failures_.empty(); }
	/* nullptr when nothing failed. */
	std::exception_ptr error() const;

private:
	std::vector<UnitFailure> failures_;
};

} /* namespace plinth */

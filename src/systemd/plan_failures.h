/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <exception>
#include <vector>

namespace plinth {

/*
 * The failures of a plan whose every unit was attempted, reported as one error: nothing when
 * all went well; otherwise a plinth::Error whose message has every failure's sentence, in the
 * order they were added, and whose code is theirs when they agree, JobFailed when they do not.
 */
class PlanFailures
{
public:
	void add(std::exception_ptr error);
	bool empty() const { return failures_.empty(); }
	std::exception_ptr error() const;

private:
	std::vector<std::exception_ptr> failures_;
};

} /* namespace plinth */

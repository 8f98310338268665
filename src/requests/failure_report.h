/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <exception>
#include <string>
#include <vector>

#include "authority.h"
#include "task.h"

namespace plinth {

/*
 * What makes a change's JobFailed say why its units failed, for the caller who asked
 * (UnitFailureReport: each unit's Result and exit status, and its last lines).
 */
class FailureReport
{
public:
	virtual ~FailureReport() = default;

	/* error, and for a JobFailed about units, the same with their failures described. */
	virtual Task<std::exception_ptr> explained(std::exception_ptr error, Caller caller,
						   std::vector<std::string> units) = 0;
};

} /* namespace plinth */

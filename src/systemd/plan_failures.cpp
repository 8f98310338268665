/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "plan_failures.h"

#include <string>

#include "error.h"

namespace plinth {

namespace {

Error asError(const std::exception_ptr &failure)
{
	try {
		std::rethrow_exception(failure);
	} catch (const Error &e) {
		return e;
	} catch (const std::exception &e) {
		return Error(ErrorCode::JobFailed, e.what());
	}
}

} /* namespace */

void PlanFailures::add(std::exception_ptr error)
{
	if (error)
		failures_.push_back(std::move(error));
}

std::exception_ptr PlanFailures::error() const
{
	if (failures_.empty())
		return nullptr;
	if (failures_.size() == 1)
		return failures_.front();

	const Error first = asError(failures_.front());
	ErrorCode code = first.code();
	std::string message = first.what();
	for (std::size_t i = 1; i < failures_.size(); i++) {
		const Error next = asError(failures_[i]);
		if (next.code() != code)
			code = ErrorCode::JobFailed;
		message += ' ';
		message += next.what();
	}
	return std::make_exception_ptr(Error(code, message));
}

} /* namespace plinth */

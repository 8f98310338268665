/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "operation.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <memory>
#include <utility>

#include "error.h"

namespace plinth {

namespace {

using Clock = std::chrono::steady_clock;

/* The operation's state while it is asynchronous: one per request. */
struct Running {
	Operation::Request request;
	Operation::Completion reply;
	Clock::time_point arrived = Clock::now();

	void finish(std::exception_ptr error)
	{
		const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() -
										      arrived)
					.count();
		if (error)
			spdlog::info("{} for {} failed after {} ms: {}", request.description,
				     request.caller.uniqueName, ms, errorText(error));
		else
			spdlog::info("{} for {} done in {} ms", request.description,
				     request.caller.uniqueName, ms);
		Operation::Completion done = std::move(reply);
		reply = nullptr;
		if (done)
			done(std::move(error));
	}
};

} /* namespace */

void Operation::run(Authority &authority, Request request, Completion reply)
{
	auto op = std::make_shared<Running>(Running{std::move(request), std::move(reply)});

	try {
		op->request.validate();
	} catch (...) {
		op->finish(std::current_exception());
		return;
	}

	const Caller caller = op->request.caller;
	const Action action = op->request.action;
	authority.authorize(
		caller, action, std::move(op->request.details), [op](std::exception_ptr error) {
			if (error) {
				op->finish(std::move(error));
				return;
			}
			try {
				op->request.change(op->request.caller,
						   [op](std::exception_ptr result) {
							   op->finish(std::move(result));
						   });
			} catch (...) {
				op->finish(std::current_exception());
			}
		});
}

} /* namespace plinth */

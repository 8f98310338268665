/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <chrono>
#include <exception>

#include <sdbus-c++/sdbus-c++.h>

#include "await_callback.h"

namespace plinth {

/*
 * The reply to an asynchronous method call, awaited: a failed call throws its sdbus::Error.
 * When the proxy goes away first, the call goes with it and its awaiter is abandoned
 * (task.h).
 */
inline auto awaitReply(sdbus::IProxy &proxy, const sdbus::MethodCall &call,
		       std::chrono::milliseconds timeout)
{
	return awaitCallback<sdbus::MethodReply>(
		[&proxy, &call, timeout](Resumer<sdbus::MethodReply> resume) {
			proxy.callMethod(
				call,
				[resume](sdbus::MethodReply &reply, const sdbus::Error *error) {
					if (error)
						resume.fail(std::make_exception_ptr(*error));
					else
						resume(reply);
				},
				timeout);
		});
}

} /* namespace plinth */

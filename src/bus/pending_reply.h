/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <cstddef>
#include <exception>
#include <memory>
#include <utility>

#include <sdbus-c++/sdbus-c++.h>

#include "bus_error.h"

namespace plinth {

/*
 * A reply owed later. It keeps the call counted in flight, so SIGTERM waits for it, and if it
 * is dropped unanswered, say because the service stops, the caller still gets an error
 * instead of waiting for its timeout.
 */
template<typename... Results>
class PendingReply
{
public:
	PendingReply(sdbus::Result<Results...> &&result, std::shared_ptr<std::size_t> inFlight)
		: result_(std::move(result)), inFlight_(std::move(inFlight))
	{
		++*inFlight_;
	}

	~PendingReply()
	{
		if (!answered_) {
			try {
				result_.returnError(
					sdbus::Error("org.freedesktop.DBus.Error.Failed",
						     "The service stopped before it "
						     "could answer; call again."));
			} catch (...) {
				/* The bus is gone: nobody is left to answer. */
			}
		}
		--*inFlight_;
	}

	PendingReply(const PendingReply &) = delete;
	PendingReply &operator=(const PendingReply &) = delete;

	/*
	 * A reply that cannot be sent (larger than sd-bus allows, or the bus's outgoing queue
	 * full) turns into an error the caller hears, rather than a wait until its timeout.
	 */
	void succeed(const Results &...values)
	{
		answered_ = true;
		try {
			result_.returnResults(values...);
		} catch (const sdbus::Error &error) {
			try {
				result_.returnError(sdbus::Error(
					"org.freedesktop.DBus.Error.LimitsExceeded",
					"The answer could not be sent (" + error.getMessage() +
						"); ask for less at once."));
			} catch (...) {
				/* The bus is gone: nobody is left to answer. */
			}
		}
	}

	void fail(std::exception_ptr error)
	{
		answered_ = true;
		result_.returnError(toBusError(error));
	}

private:
	sdbus::Result<Results...> result_;
	std::shared_ptr<std::size_t> inFlight_;
	bool answered_ = false;
};

} /* namespace plinth */

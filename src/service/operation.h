/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <exception>
#include <functional>
#include <string>

#include "authority.h"

namespace plinth {

/*
 * One request that changes something, from its arrival to its reply (PackageKit's
 * transaction): it owns the reply, the caller, what polkit is asked and the change, and
 * goes through validate, authorize, change and reply, each at most once, in that order. The
 * change is an AppManager call, which queues it behind overlapping operations and plans it
 * when it starts. Knows nothing of D-Bus: the reply is the completion's, given by Requests.
 */
class Operation
{
public:
	using Completion = std::function<void(std::exception_ptr error)>;

	struct Request {
		/* "enable app web", for the log. */
		std::string description{};
		/* Copied from the message by whoever received it. */
		Caller caller{};
		Action action = Action::ManageApps;
		Authority::Details details{};
		/* Throws what makes the request wrong; runs before polkit is asked anything. */
		std::function<void()> validate = [] {
		};
		/* The change, for the caller; calls its completion once, or throws. */
		std::function<void(const Caller &caller, Completion done)> change{};
	};

	/* Runs the request; reply gets nullptr or the error, exactly once. */
	static void run(Authority &authority, Request request, Completion reply);
};

} /* namespace plinth */

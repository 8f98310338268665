/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <exception>
#include <functional>
#include <map>
#include <string>

namespace plinth {

enum class Action {
	ManageApps,
	ManageUnits,
	Reload,
	ReadLogs,
	IgnoreChecks,
};

/* Who sent a method call, copied from the message before anything goes asynchronous. */
struct Caller {
	std::string uniqueName;
	bool allowInteractiveAuthorization = false;
	/* The service itself (SIGHUP), which needs nobody's permission. */
	bool isService = false;
};

/*
 * Decides whether a caller may do an action, asynchronously: done gets nullptr or a
 * plinth::Error that says why not (NotAuthorized, InteractiveAuthorizationRequired, Busy).
 * Details let rules grant per app, unit or verb. The service's is polkit's (PolkitAuthority);
 * the tests of the request pipeline use their own.
 */
class Authority
{
public:
	using Details = std::map<std::string, std::string>;
	using Completion = std::function<void(std::exception_ptr error)>;

	virtual ~Authority() = default;

	virtual void authorize(const Caller &caller, Action action, Details details,
			       Completion done) = 0;
};

} /* namespace plinth */

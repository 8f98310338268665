/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "settings.h"

namespace sdbus {
class IConnection;
class IProxy;
} /* namespace sdbus */

namespace plinth {

enum class Action {
	ManageApps,
	ManageUnits,
	Reload,
	ReadLogs,
};

/* "org.freedesktop.Plinth.Daemons.manage-apps", ... */
std::string actionId(Action action);

/* Who sent a method call, copied from the message before anything goes asynchronous. */
struct Caller {
	std::string uniqueName;
	bool allowInteractiveAuthorization = false;
};

/*
 * Decides whether a caller may change something: asks the bus for the caller's uid (root
 * always passes), then polkit's CheckAuthorization on the caller's bus name, with details so
 * rules can grant per app or per unit. Everything asynchronous; done gets nullptr or a
 * plinth::Error NotAuthorized that says why.
 */
class Authority
{
public:
	using Details = std::map<std::string, std::string>;
	using Completion = std::function<void(std::exception_ptr error)>;

	Authority(sdbus::IConnection &bus, Authorization mode);
	~Authority();
	Authority(const Authority &) = delete;
	Authority &operator=(const Authority &) = delete;

	void authorize(const Caller &caller, Action action, Details details, Completion done);

private:
	void checkWithPolkit(const Caller &caller, Action action, Details details, Completion done);

	Authorization mode_;
	std::unique_ptr<sdbus::IProxy> busDaemon_;
	std::unique_ptr<sdbus::IProxy> polkit_;
};

} /* namespace plinth */

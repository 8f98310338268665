/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>

#include "authority.h"
#include "caller_quota.h"
#include "settings.h"

namespace sdbus {
class IConnection;
class IProxy;
} /* namespace sdbus */

namespace plinth {

/* "org.freedesktop.Plinth.Daemons.manage-apps", ... */
std::string actionId(Action action);

/*
 * The service's Authority: asks the bus for the caller's uid (root always passes), then polkit's
 * CheckAuthorization on the caller's bus name, with details so rules can grant per app or per unit.
 * Everything asynchronous; done gets nullptr or a plinth::Error that says why: NotAuthorized,
 * InteractiveAuthorizationRequired (polkit would ask for a password but the caller did not allow
 * that), or Busy (the caller already has kMaxPendingPerCaller polkit checks waiting; root's calls
 * and --authorization=none never count, since nothing of theirs waits). A caller that leaves the
 * bus has its checks cancelled in polkit, which closes any password dialog they opened.
 */
class PolkitAuthority final : public Authority
{
public:
	/* Checks one caller may have waiting at once: a password dialog each, at most. */
	static constexpr std::size_t kMaxPendingPerCaller = 8;

	PolkitAuthority(sdbus::IConnection &bus, Authorization mode);
	~PolkitAuthority() override;
	PolkitAuthority(const PolkitAuthority &) = delete;
	PolkitAuthority &operator=(const PolkitAuthority &) = delete;

	void authorize(const Caller &caller, Action action, Details details,
		       Completion done) override;

	/* The caller left the bus: its polkit checks in flight are cancelled. */
	void callerLeft(const std::string &caller);

private:
	void checkWithPolkit(const Caller &caller, Action action, Details details, Completion done);
	/* Registers a check; returns its cancellation id. */
	std::string startTracking(const std::string &caller);
	void stopTracking(const std::string &caller, const std::string &cancellationId);

	Authorization mode_;
	std::unique_ptr<sdbus::IProxy> busDaemon_;
	std::unique_ptr<sdbus::IProxy> polkit_;
	CallerQuota pending_{kMaxPendingPerCaller};
	/* The cancellation ids of each caller's polkit checks in flight. */
	std::map<std::string, std::set<std::string>> checks_;
	std::uint64_t nextCancellationId_ = 1;
};

} /* namespace plinth */

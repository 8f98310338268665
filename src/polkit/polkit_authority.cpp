/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "polkit_authority.h"

#include <spdlog/spdlog.h>

#include <chrono>

#include <sdbus-c++/sdbus-c++.h>

#include "error.h"

namespace plinth {

namespace {

constexpr const char *kPolkitName = "org.freedesktop.PolicyKit1";
constexpr const char *kPolkitPath = "/org/freedesktop/PolicyKit1/Authority";
constexpr const char *kPolkitInterface = "org.freedesktop.PolicyKit1.Authority";
/* CheckAuthorizationFlags.AllowUserInteraction */
constexpr std::uint32_t kAllowUserInteraction = 1;
/*
 * A check that may show a password dialog lasts as long as the person takes, not the bus's
 * default 25 s; it ends earlier when the caller leaves the bus (the check is cancelled).
 */
constexpr std::chrono::minutes kInteractiveCheckTimeout{5};

std::string_view actionVerb(Action action)
{
	switch (action) {
	case Action::ManageApps:
		return "manage apps";
	case Action::ManageUnits:
		return "manage units";
	case Action::Reload:
		return "reload the app definitions";
	case Action::ReadLogs:
		return "read the logs of apps and units";
	case Action::IgnoreChecks:
		return "ignore checks of apps";
	}
	return {};
}

std::exception_ptr notAuthorized(const std::string &message)
{
	return std::make_exception_ptr(Error(ErrorCode::NotAuthorized, message));
}

} /* namespace */

std::string actionId(Action action)
{
	switch (action) {
	case Action::ManageApps:
		return "org.freedesktop.Plinth.Daemons.manage-apps";
	case Action::ManageUnits:
		return "org.freedesktop.Plinth.Daemons.manage-units";
	case Action::Reload:
		return "org.freedesktop.Plinth.Daemons.reload";
	case Action::ReadLogs:
		return "org.freedesktop.Plinth.Daemons.read-logs";
	case Action::IgnoreChecks:
		return "org.freedesktop.Plinth.Daemons.ignore-checks";
	}
	return {};
}

PolkitAuthority::PolkitAuthority(sdbus::IConnection &bus, Authorization mode)
	: mode_(mode),
	  busDaemon_(sdbus::createProxy(bus, "org.freedesktop.DBus", "/org/freedesktop/DBus")),
	  polkit_(sdbus::createProxy(bus, kPolkitName, kPolkitPath))
{
	busDaemon_->finishRegistration();
	polkit_->finishRegistration();
	if (mode_ == Authorization::None)
		spdlog::warn(
			"*** --authorization=none: EVERY caller may enable, disable, start and "
			"stop every managed unit. Use this only in a throw-away sandbox. ***");
}

PolkitAuthority::~PolkitAuthority() = default;

void PolkitAuthority::authorize(const Caller &caller, Action action, Details details,
				Completion done)
{
	if (mode_ == Authorization::None) {
		done(nullptr);
		return;
	}

	/*
	 * The caller's uid decides first: root passes at once, so no check of root's ever waits
	 * and none counts against its limit. Only a polkit check, which may wait for a person,
	 * takes a slot; the uid lookup before it is one quick call to the bus.
	 */
	busDaemon_->callMethodAsync("GetConnectionUnixUser")
		.onInterface("org.freedesktop.DBus")
		.withArguments(caller.uniqueName)
		.uponReplyInvoke(
			[this, caller, action, details = std::move(details),
			 done = std::move(done)](const sdbus::Error *error, std::uint32_t uid) {
				if (error) {
					done(notAuthorized("Cannot tell who the caller " +
							   caller.uniqueName +
							   " is: " + error->getMessage()));
					return;
				}
				if (uid == 0) {
					done(nullptr);
					return;
				}
				if (mode_ == Authorization::Uid0) {
					done(notAuthorized(
						"Only root may " + std::string(actionVerb(action)) +
						": this service runs with --authorization=uid0."));
					return;
				}
				checkWithPolkit(caller, action, details, done);
			});
}

void PolkitAuthority::checkWithPolkit(const Caller &caller, Action action, Details details,
				      Completion done)
{
	CallerQuota::Ticket ticket = pending_.take(caller.uniqueName);
	if (!ticket) {
		done(std::make_exception_ptr(
			Error(ErrorCode::Busy,
			      "This caller already has " + std::to_string(pending_.limit()) +
				      " authorization checks waiting (password dialogs, perhaps); "
				      "answer or cancel them, then call again.")));
		return;
	}
	/* The slot is free again once done has run, whichever way. */
	done = [ticket = std::move(ticket), done = std::move(done)](std::exception_ptr error) {
		done(error);
	};

	const sdbus::Struct<std::string, std::map<std::string, sdbus::Variant>> subject{
		"system-bus-name", {{"name", sdbus::Variant(caller.uniqueName)}}};
	const std::uint32_t flags =
		caller.allowInteractiveAuthorization ? kAllowUserInteraction : 0;
	const std::string id = actionId(action);

	const std::string cancellationId = startTracking(caller.uniqueName);
	/* 0 is the bus's default. One expression: the invoker refers to the method's name. */
	const std::chrono::microseconds timeout = caller.allowInteractiveAuthorization
							  ? kInteractiveCheckTimeout
							  : std::chrono::microseconds(0);
	polkit_->callMethodAsync("CheckAuthorization")
		.onInterface(kPolkitInterface)
		.withArguments(subject, id, details, flags, cancellationId)
		.withTimeout(timeout)
		.uponReplyInvoke([this, id, action, caller, cancellationId, done = std::move(done)](
					 const sdbus::Error *error,
					 sdbus::Struct<bool, bool,
						       std::map<std::string, std::string>>
						 result) {
			stopTracking(caller.uniqueName, cancellationId);
			if (error) {
				spdlog::warn("polkit could not check {}: {}: {}", id,
					     error->getName(), error->getMessage());
				done(notAuthorized("Cannot check authorization with polkit (" +
						   error->getName() + ": " + error->getMessage() +
						   "). Make sure polkitd runs, or call as root."));
				return;
			}
			const bool authorized = result.get<0>();
			const bool challenge = result.get<1>();
			if (!authorized && challenge && !caller.allowInteractiveAuthorization) {
				done(std::make_exception_ptr(Error(
					ErrorCode::InteractiveAuthorizationRequired,
					"Authentication is required to " +
						std::string(actionVerb(action)) +
						" (polkit action " + id +
						"). Call again allowing interactive authorization "
						"(busctl --allow-interactive-authorization=yes; "
						"plinthctl "
						"does so and asks for the password), or as "
						"root.")));
				return;
			}
			if (!authorized) {
				done(notAuthorized(
					"Not authorized to " + std::string(actionVerb(action)) +
					" (polkit action " + id +
					"). Ask an administrator for it, or call as root."));
				return;
			}
			done(nullptr);
		});
}

std::string PolkitAuthority::startTracking(const std::string &caller)
{
	const std::string cancellationId =
		"plinth-daemons-" + std::to_string(nextCancellationId_++);
	checks_[caller].insert(cancellationId);
	return cancellationId;
}

void PolkitAuthority::stopTracking(const std::string &caller, const std::string &cancellationId)
{
	const auto it = checks_.find(caller);
	if (it == checks_.end())
		return;
	it->second.erase(cancellationId);
	if (it->second.empty())
		checks_.erase(it);
}

void PolkitAuthority::callerLeft(const std::string &caller)
{
	const auto it = checks_.find(caller);
	if (it == checks_.end())
		return;
	/* Only asked to cancel: polkit then answers each check, which ends its tracking. */
	spdlog::info("{} left the bus: cancelling its {} authorization checks", caller,
		     it->second.size());
	for (const std::string &cancellationId : it->second) {
		polkit_->callMethodAsync("CancelCheckAuthorization")
			.onInterface(kPolkitInterface)
			.withArguments(cancellationId)
			.uponReplyInvoke([cancellationId](const sdbus::Error *error) {
				if (error)
					spdlog::debug("polkit did not cancel check {}: {}",
						      cancellationId, error->getMessage());
			});
	}
}

} /* namespace plinth */

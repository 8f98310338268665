/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "authority.h"

#include <spdlog/spdlog.h>

#include <sdbus-c++/sdbus-c++.h>

#include "error.h"

namespace plinth {

namespace {

constexpr const char *kPolkitName = "org.freedesktop.PolicyKit1";
constexpr const char *kPolkitPath = "/org/freedesktop/PolicyKit1/Authority";
constexpr const char *kPolkitInterface = "org.freedesktop.PolicyKit1.Authority";
/* CheckAuthorizationFlags.AllowUserInteraction */
constexpr std::uint32_t kAllowUserInteraction = 1;

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
	}
	return {};
}

Authority::Authority(sdbus::IConnection &bus, Authorization mode)
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

Authority::~Authority() = default;

void Authority::authorize(const Caller &caller, Action action, Details details, Completion done)
{
	if (mode_ == Authorization::None) {
		done(nullptr);
		return;
	}

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

void Authority::checkWithPolkit(const Caller &caller, Action action, Details details,
				Completion done)
{
	const sdbus::Struct<std::string, std::map<std::string, sdbus::Variant>> subject{
		"system-bus-name", {{"name", sdbus::Variant(caller.uniqueName)}}};
	const std::uint32_t flags =
		caller.allowInteractiveAuthorization ? kAllowUserInteraction : 0;
	const std::string id = actionId(action);

	polkit_->callMethodAsync("CheckAuthorization")
		.onInterface(kPolkitInterface)
		.withArguments(subject, id, details, flags, std::string())
		.uponReplyInvoke([id, action, done = std::move(done)](
					 const sdbus::Error *error,
					 sdbus::Struct<bool, bool,
						       std::map<std::string, std::string>>
						 result) {
			if (error) {
				spdlog::warn("polkit could not check {}: {}: {}", id,
					     error->getName(), error->getMessage());
				done(notAuthorized("Cannot check authorization with polkit (" +
						   error->getName() + ": " + error->getMessage() +
						   "). Make sure polkitd runs, or call as root."));
				return;
			}
			if (!result.get<0>()) {
				done(notAuthorized(
					"Not authorized to " + std::string(actionVerb(action)) +
					" (polkit action " + id +
					"). Ask an administrator for it, or call as root."));
				return;
			}
			done(nullptr);
		});
}

} /* namespace plinth */

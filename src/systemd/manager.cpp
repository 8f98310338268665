/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "manager.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <utility>

namespace plinth {

namespace systemd {
const std::string kManagerInterface = "org.freedesktop.systemd1.Manager";
const std::string kUnitInterface = "org.freedesktop.systemd1.Unit";
const std::string kPropertiesInterface = "org.freedesktop.DBus.Properties";
} /* namespace systemd */

namespace {

const std::string kService = "org.freedesktop.systemd1";
const std::string kManagerPath = "/org/freedesktop/systemd1";

const std::string kManagerSignals =
	"path='/org/freedesktop/systemd1',interface='org.freedesktop.systemd1.Manager'";
const std::string kUnitPropertiesChanged =
	"path_namespace='/org/freedesktop/systemd1/unit',"
	"interface='org.freedesktop.DBus.Properties',member='PropertiesChanged',"
	"arg0='org.freedesktop.systemd1.Unit'";

} /* namespace */

std::exception_ptr makeError(ErrorCode code, const std::string &message)
{
	return std::make_exception_ptr(Error(code, message));
}

Manager::Manager(SignalGate &signals, std::chrono::milliseconds callTimeout)
	: signals_(signals), connection_(signals.connection()), callTimeout_(callTimeout),
	  manager_(sdbus::createProxy(connection_, kService, kManagerPath))
{
	/* Every signal handler is in place before the first call. */
	const auto forward = [this](sdbus::Message &message) {
		if (signal_)
			signal_(message);
	};
	matches_.push_back(signals_.fromOwnerOf(kService, kManagerSignals, forward));
	matches_.push_back(signals_.fromOwnerOf(kService, kUnitPropertiesChanged, forward));
	matches_.push_back(signals_.onOwnerChanged(
		kService, [this](const std::string &oldOwner, const std::string &newOwner) {
			ownerChanged(oldOwner, newOwner);
		}));

	subscribe();
}

/* A re-exec is a new connection: the old owner leaves, then the new one takes the name. */
void Manager::ownerChanged(const std::string &oldOwner, const std::string &newOwner)
{
	if (!oldOwner.empty() && presence_)
		presence_(false);
	if (!newOwner.empty()) {
		subscribe();
		if (presence_)
			presence_(true);
	}
}

bool Manager::isAvailable() const
{
	const std::optional<std::string> owner = signals_.ownerOf(kService);
	return owner && !owner->empty();
}

void Manager::onPresence(PresenceHandler handler)
{
	presence_ = std::move(handler);
}

void Manager::onSignal(SignalHandler handler)
{
	signal_ = std::move(handler);
}

sdbus::IProxy &Manager::objectProxy(const std::string &path)
{
	std::unique_ptr<sdbus::IProxy> &proxy = objects_[path];
	if (!proxy)
		proxy = sdbus::createProxy(connection_, kService, path);
	return *proxy;
}

void Manager::subscribe()
{
	manager_->callMethodAsync("Subscribe")
		.onInterface(systemd::kManagerInterface)
		.uponReplyInvoke([](const sdbus::Error *error) {
			if (error)
				spdlog::warn("Cannot subscribe to systemd's signals: {}",
					     error->getMessage());
		});
}

std::exception_ptr Manager::callError(const sdbus::Error &e, const std::string &what) const
{
	const std::string &name = e.getName();
	const bool gone = name == "org.freedesktop.DBus.Error.ServiceUnknown" ||
			  name == "org.freedesktop.DBus.Error.NameHasNoOwner" ||
			  name == "org.freedesktop.DBus.Error.Disconnected";
	/* The bus daemon answers NoReply for a manager that left; sd-bus for a late one. */
	const bool noReply = name == "org.freedesktop.DBus.Error.NoReply";

	if (gone || (noReply && !isAvailable()))
		return makeError(ErrorCode::SystemdUnavailable,
				 fmt::format("Cannot {}: systemd is not available on its bus ({}); "
					     "check that the manager runs.",
					     what, e.getMessage()));
	if (noReply)
		return makeError(ErrorCode::Timeout,
				 fmt::format("Cannot {}: systemd did not answer in time.", what));
	return makeError(ErrorCode::JobFailed,
			 fmt::format("Cannot {}: systemd says: {}", what, e.getMessage()));
}

} /* namespace plinth */

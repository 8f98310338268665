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

/* Routed by the bus daemon, which resolves the well-known sender to its current owner. */
const std::string kManagerSignals = "type='signal',sender='org.freedesktop.systemd1',"
				    "path='/org/freedesktop/systemd1',"
				    "interface='org.freedesktop.systemd1.Manager'";
const std::string kUnitPropertiesChanged =
	"type='signal',sender='org.freedesktop.systemd1',"
	"path_namespace='/org/freedesktop/systemd1/unit',"
	"interface='org.freedesktop.DBus.Properties',member='PropertiesChanged',"
	"arg0='org.freedesktop.systemd1.Unit'";
const std::string kManagerOwnerChanged =
	"type='signal',sender='org.freedesktop.DBus',path='/org/freedesktop/DBus',"
	"interface='org.freedesktop.DBus',member='NameOwnerChanged',"
	"arg0='org.freedesktop.systemd1'";

} /* namespace */

std::exception_ptr makeError(ErrorCode code, const std::string &message)
{
	return std::make_exception_ptr(Error(code, message));
}

Manager::Manager(sdbus::IConnection &connection, std::chrono::milliseconds callTimeout)
	: connection_(connection), callTimeout_(callTimeout),
	  bus_(sdbus::createProxy(connection, "org.freedesktop.DBus", "/org/freedesktop/DBus")),
	  manager_(sdbus::createProxy(connection, kService, kManagerPath))
{
	/* Every signal handler is in place before the first call. */
	const auto forward = [this](sdbus::Message &message) {
		if (signal_)
			signal_(message);
	};
	matches_.push_back(connection_.addMatch(kManagerSignals, forward));
	matches_.push_back(connection_.addMatch(kUnitPropertiesChanged, forward));
	matches_.push_back(connection_.addMatch(kManagerOwnerChanged, [this](sdbus::Message &m) {
		std::string name, oldOwner, newOwner;
		m >> name >> oldOwner >> newOwner;
		if (!oldOwner.empty()) {
			available_ = false;
			if (presence_)
				presence_(false);
		}
		if (!newOwner.empty()) {
			available_ = true;
			subscribe();
			if (presence_)
				presence_(true);
		}
	}));

	checkOwner();
	subscribe();
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

void Manager::checkOwner()
{
	bus_->callMethodAsync("GetNameOwner")
		.onInterface("org.freedesktop.DBus")
		.withArguments(kService)
		.uponReplyInvoke([this](const sdbus::Error *error, const std::string &) {
			available_ = !error;
			if (error)
				spdlog::warn("systemd is not on its bus yet: {}",
					     error->getMessage());
		});
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

	if (gone || (noReply && !available_))
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

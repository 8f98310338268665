/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <chrono>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <sdbus-c++/sdbus-c++.h>

#include "error.h"
#include "signal_gate.h"

namespace plinth {

namespace systemd {
extern const std::string kManagerInterface;
extern const std::string kUnitInterface;
extern const std::string kPropertiesInterface;
} /* namespace systemd */

using Completion = std::function<void(std::exception_ptr error)>;

/* A plinth::Error as an exception_ptr (errorText() in error.h reads any back). */
std::exception_ptr makeError(ErrorCode code, const std::string &message);

/*
 * org.freedesktop.systemd1 on one connection: its proxies, whether it owns its name, and its
 * signals, which reach the handler only through the connection's signal gate. Every failed
 * call is mapped to a plinth::Error here, at one place.
 */
class Manager
{
public:
	using PresenceHandler = std::function<void(bool present)>;
	using SignalHandler = std::function<void(sdbus::Message &message)>;

	/* The gate, and its connection, must outlive the manager. */
	Manager(SignalGate &signals, std::chrono::milliseconds callTimeout);
	Manager(const Manager &) = delete;
	Manager &operator=(const Manager &) = delete;

	/* Both are set before the first message is dispatched. */
	void onPresence(PresenceHandler handler);
	void onSignal(SignalHandler handler);

	bool isAvailable() const;
	std::chrono::milliseconds callTimeout() const { return callTimeout_; }

	sdbus::IProxy &proxy() { return *manager_; }
	sdbus::IProxy &objectProxy(const std::string &path);

	/* Without a subscriber, the manager sends no JobRemoved and no PropertiesChanged. */
	void subscribe();

	/* SystemdUnavailable, Timeout or JobFailed, saying what could not be done and why. */
	std::exception_ptr callError(const sdbus::Error &error, const std::string &what) const;

private:
	void ownerChanged(const std::string &oldOwner, const std::string &newOwner);

	SignalGate &signals_;
	sdbus::IConnection &connection_;
	std::chrono::milliseconds callTimeout_;
	std::unique_ptr<sdbus::IProxy> manager_;
	std::map<std::string, std::unique_ptr<sdbus::IProxy>> objects_;
	std::vector<sdbus::Slot> matches_;
	PresenceHandler presence_;
	SignalHandler signal_;
};

} /* namespace plinth */

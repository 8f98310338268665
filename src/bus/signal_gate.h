/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include <sdbus-c++/sdbus-c++.h>

#include "signal_checks.h"

namespace plinth {

/*
 * The one way in for every signal the service listens to on a connection. sd-bus hands a
 * signal to a match naming a well-known sender without checking it: on a bus, any peer may
 * send a signal to one connection, and only the bus daemon, not sd-bus, resolves well-known
 * names. So the gate checks the real sender before a handler sees the signal: the bus driver's
 * signals only from org.freedesktop.DBus itself, another name's only from the unique name that
 * owns it now (from GetNameOwner, then the driver's own NameOwnerChanged, which passes the same
 * gate) and only when broadcast. Anything else is dropped with a debug line and counted. A
 * handler that throws, as reading a body of unexpected types does, drops that signal and logs
 * it; nothing a signal holds ends the service.
 */
class SignalGate
{
public:
	using Handler = SignalHandler;
	using OwnerHandler =
		std::function<void(const std::string &oldOwner, const std::string &newOwner)>;

	/* The connection must outlive the gate, and the gate every slot it returned. */
	explicit SignalGate(sdbus::IConnection &connection);
	SignalGate(const SignalGate &) = delete;
	SignalGate &operator=(const SignalGate &) = delete;

	sdbus::IConnection &connection() { return connection_; }

	/* rule is a match rule without type and sender; the handler runs while the slot lives. */
	[[nodiscard]] sdbus::Slot fromBusDriver(const std::string &rule, Handler handler);
	/* Broadcasts of name's current owner; from now on the gate follows who owns name. */
	[[nodiscard]] sdbus::Slot fromOwnerOf(const std::string &name, const std::string &rule,
					      Handler handler);
	/*
	 * Each change of name's owner the driver announces, after the gate took it into account;
	 * not the first answer to GetNameOwner, which ownerOf() gives.
	 */
	[[nodiscard]] sdbus::Slot onOwnerChanged(const std::string &name, OwnerHandler handler);

	/* nullopt until the driver said; empty while nobody owns name. */
	std::optional<std::string> ownerOf(const std::string &name) const;
	const SignalCounts &counts() const { return counts_; }

private:
	struct Owner {
		std::optional<std::string> unique;
		sdbus::Slot changes;
	};

	sdbus::Slot admit(const std::string &expected, const std::string &rule, Handler handler);
	void follow(const std::string &name);
	void ownerChanged(sdbus::Message &signal);

	sdbus::IConnection &connection_;
	std::unique_ptr<sdbus::IProxy> driver_;
	std::map<std::string, Owner> owners_;
	std::map<std::uint64_t, std::pair<std::string, OwnerHandler>> ownerHandlers_;
	std::uint64_t nextOwnerHandler_ = 0;
	SignalCounts counts_;
};

} /* namespace plinth */

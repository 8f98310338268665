/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "signal_gate.h"

#include <spdlog/spdlog.h>

#include <utility>
#include <vector>

namespace plinth {

namespace {

const std::string kDriverPath = "/org/freedesktop/DBus";

std::string ownerChangedRule(const std::string &name)
{
	return "path='" + kDriverPath + "',interface='" + kBusDriver +
	       "',member='NameOwnerChanged',arg0='" + name + "'";
}

} /* namespace */

SignalGate::SignalGate(sdbus::IConnection &connection)
	: connection_(connection), driver_(sdbus::createProxy(connection, kBusDriver, kDriverPath))
{
}

sdbus::Slot SignalGate::fromBusDriver(const std::string &rule, Handler handler)
{
	return admit(kBusDriver, rule, std::move(handler));
}

sdbus::Slot SignalGate::fromOwnerOf(const std::string &name, const std::string &rule,
				    Handler handler)
{
	follow(name);
	return admit(name, rule, std::move(handler));
}

sdbus::Slot SignalGate::onOwnerChanged(const std::string &name, OwnerHandler handler)
{
	follow(name);
	const std::uint64_t id = nextOwnerHandler_++;
	ownerHandlers_.emplace(id, std::make_pair(name, std::move(handler)));
	return sdbus::Slot(reinterpret_cast<void *>(id + 1),
			   [this, id](void *) { ownerHandlers_.erase(id); });
}

std::optional<std::string> SignalGate::ownerOf(const std::string &name) const
{
	const auto it = owners_.find(name);
	if (it == owners_.end())
		return std::nullopt;
	return it->second.unique;
}

sdbus::Slot SignalGate::admit(const std::string &expected, const std::string &rule, Handler handler)
{
	const std::string match = "type='signal',sender='" + expected + "'," + rule;
	return connection_.addMatch(match, [this, expected,
					    handler = std::move(handler)](sdbus::Message &signal) {
		const SignalVerdict verdict = judgeSignal(expected, ownerOf(expected),
							  senderOf(signal), destinationOf(signal));
		if (verdict != SignalVerdict::Deliver) {
			counts_.dropped++;
			const std::string destination = destinationOf(signal);
			spdlog::debug(
				"Dropped the signal {}.{} on {} from {} to {} (for {}): {}; {} "
				"dropped so far",
				signal.getInterfaceName(), signal.getMemberName(), signal.getPath(),
				senderOf(signal), destination.empty() ? "everyone" : destination,
				expected, describe(verdict), counts_.dropped);
			return;
		}
		deliverSignal(signal, handler, counts_);
	});
}

/*
 * The match goes in before GetNameOwner is sent, and the driver answers in order: a change
 * that arrives before the answer is older than it, one after it newer.
 */
void SignalGate::follow(const std::string &name)
{
	if (owners_.contains(name))
		return;
	Owner &owner = owners_[name];
	owner.changes = fromBusDriver(ownerChangedRule(name),
				      [this](sdbus::Message &signal) { ownerChanged(signal); });
	driver_->callMethodAsync("GetNameOwner")
		.onInterface(kBusDriver)
		.withArguments(name)
		.uponReplyInvoke([this, name](const sdbus::Error *error,
					      const std::string &unique) {
			Owner &owner = owners_.at(name);
			if (owner.unique)
				return;
			owner.unique = error ? std::string() : unique;
			if (error)
				spdlog::info("{} has no owner on the bus yet ({}); its signals "
					     "count once it has one",
					     name, error->getMessage());
		});
}

void SignalGate::ownerChanged(sdbus::Message &signal)
{
	const auto [name, oldOwner, newOwner] = readNameOwnerChanged(signal);
	const auto it = owners_.find(name);
	if (it == owners_.end())
		return;
	it->second.unique = newOwner;
	/* A handler may drop a slot, its own or another's. */
	std::vector<std::uint64_t> ids;
	for (const auto &[id, entry] : ownerHandlers_) {
		if (entry.first == name)
			ids.push_back(id);
	}
	for (std::uint64_t id : ids) {
		const auto handler = ownerHandlers_.find(id);
		if (handler != ownerHandlers_.end())
			handler->second.second(oldOwner, newOwner);
	}
}

} /* namespace plinth */

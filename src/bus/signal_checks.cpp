/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "signal_checks.h"

#include <spdlog/spdlog.h>

#include <exception>

#include <sdbus-c++/Error.h>

#include "raw_message.h"

namespace plinth {

const std::string kBusDriver = "org.freedesktop.DBus";

namespace {

/* A malformed signal from a trusted sender is worth a warning, but not a flood of them. */
constexpr std::chrono::minutes kMalformedWarningInterval{1};

void noteMalformed(const sdbus::Message &signal, const char *why, SignalCounts &counts)
{
	counts.malformed++;
	const auto now = std::chrono::steady_clock::now();
	const bool warn = counts.malformed == 1 ||
			  now - counts.lastMalformedWarning >= kMalformedWarningInterval;
	if (warn)
		counts.lastMalformedWarning = now;
	spdlog::log(warn ? spdlog::level::warn : spdlog::level::debug,
		    "Ignored the signal {}.{} on {} from {}, which it could not read: {}; {} "
		    "ignored so far",
		    signal.getInterfaceName(), signal.getMemberName(), signal.getPath(),
		    senderOf(signal), why, counts.malformed);
}

} /* namespace */

std::string senderOf(const sdbus::Message &message)
{
	const char *sender = sd_bus_message_get_sender(RawMessage::of(message));
	return sender ? sender : "";
}

std::string destinationOf(const sdbus::Message &message)
{
	const char *destination = sd_bus_message_get_destination(RawMessage::of(message));
	return destination ? destination : "";
}

SignalVerdict judgeSignal(const std::string &expected, const std::optional<std::string> &owner,
			  const std::string &sender, const std::string &destination)
{
	if (expected == kBusDriver)
		return sender == kBusDriver ? SignalVerdict::Deliver : SignalVerdict::WrongSender;
	if (!owner || owner->empty())
		return SignalVerdict::NoOwner;
	if (sender != *owner)
		return SignalVerdict::WrongSender;
	if (!destination.empty())
		return SignalVerdict::Unicast;
	return SignalVerdict::Deliver;
}

const char *describe(SignalVerdict verdict)
{
	switch (verdict) {
	case SignalVerdict::Deliver:
		break;
	case SignalVerdict::WrongSender:
		return "not from the sender the match is for";
	case SignalVerdict::Unicast:
		return "sent to this connection only";
	case SignalVerdict::NoOwner:
		return "the name it is for has no known owner";
	}
	return "delivered";
}

void deliverSignal(sdbus::Message &signal, const SignalHandler &handler, SignalCounts &counts)
{
	try {
		handler(signal);
		counts.delivered++;
	} catch (const std::exception &e) {
		noteMalformed(signal, e.what(), counts);
	} catch (...) {
		noteMalformed(signal, "unknown exception", counts);
	}
}

void requireWhole(const sdbus::Message &signal)
{
	if (!signal)
		throw sdbus::Error("org.freedesktop.DBus.Error.InvalidArgs",
				   "the signal has fewer arguments than it should");
}

NameOwnerChange readNameOwnerChanged(sdbus::Message &signal)
{
	NameOwnerChange change;
	readWhole(signal, change.name, change.oldOwner, change.newOwner);
	return change;
}

} /* namespace plinth */

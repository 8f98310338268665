/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include <sdbus-c++/Message.h>

namespace plinth {

/* What the signal gate decides, apart from the connection it listens on. */

extern const std::string kBusDriver;

/* Why a signal was let through to its handler, or not. */
enum class SignalVerdict {
	Deliver,
	/* The driver's name, or the owner of the name the match is for, did not send it. */
	WrongSender,
	/* A signal the owner sent to one connection only: only a broadcast is its own news. */
	Unicast,
	/* Who owns the name is not known yet, or nobody owns it. */
	NoOwner,
};

/*
 * expected is kBusDriver or the well-known name a match is for; owner is that name's current
 * unique owner (nullopt while unknown, empty when it has none); sender and destination are the
 * signal's. The driver's signals come from its own name, which no peer can own.
 */
SignalVerdict judgeSignal(const std::string &expected, const std::optional<std::string> &owner,
			  const std::string &sender, const std::string &destination);
const char *describe(SignalVerdict verdict);

/*
 * A message's sender and destination, empty where it has none (sdbus-c++ 1.2's getSender()
 * throws std::logic_error for a message without a sender, as on a connection without a bus).
 */
std::string senderOf(const sdbus::Message &message);
std::string destinationOf(const sdbus::Message &message);

struct SignalCounts {
	std::uint64_t delivered = 0;
	std::uint64_t dropped = 0;
	std::uint64_t malformed = 0;
	std::chrono::steady_clock::time_point lastMalformedWarning;
};

using SignalHandler = std::function<void(sdbus::Message &signal)>;

/*
 * Runs handler on a signal that passed the gate. Whatever it throws (reading a body of other
 * types than expected throws) drops that signal, is counted and logged: a warning now and
 * then, debug lines in between, so that no sender can fill the journal.
 */
void deliverSignal(sdbus::Message &signal, const SignalHandler &handler, SignalCounts &counts);

struct NameOwnerChange {
	std::string name;
	std::string oldOwner;
	std::string newOwner;
};

/* Throws sdbus::Error when a read went past the body's last argument. */
void requireWhole(const sdbus::Message &signal);

/*
 * Reads the body's first arguments into values, in order. sdbus-c++ reads past a body's last
 * argument without throwing, leaving the rest unset; this throws sdbus::Error then, as it
 * does for an argument of another type.
 */
template<typename... Values>
void readWhole(sdbus::Message &signal, Values &...values)
{
	(signal >> ... >> values);
	requireWhole(signal);
}

/* The body of the bus driver's NameOwnerChanged; throws sdbus::Error on other types. */
NameOwnerChange readNameOwnerChanged(sdbus::Message &signal);

} /* namespace plinth */

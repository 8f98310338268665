/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <cstdint>
#include <string>

namespace plinth {

/*
 * A `[[checks]]` entry of an app definition: "can a client reach this service?", the question
 * the reference asks netcat.
 */
struct ConnectCheckSpec {
	/* A name or a numeric IPv4/IPv6 address; every address it resolves to is tried. */
	std::string host;
	std::uint16_t port = 0;
	/* Written once connected; empty writes nothing. */
	std::string input;
	/* Passes when no connection can be made: a port that must stay closed. */
	bool negate = false;

	bool operator==(const ConnectCheckSpec &) const = default;
};

} /* namespace plinth */

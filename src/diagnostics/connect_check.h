/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "check.h"

namespace plinth {

/* "Can a client reach this service?" — what the reference asks netcat. */
struct ConnectCheck {
	/* A name or a numeric IPv4/IPv6 address; every address it resolves to is tried. */
	std::string host;
	std::uint16_t port = 0;
	/* Written once connected; empty writes nothing. */
	std::string input;
	/* Passes when no connection can be made: a port that must stay closed. */
	bool negate = false;
};

/*
 * daemon-netcat-<host>-<port> "Connect to {host}:{port}", or with negate
 * daemon-netcat-negate-<host>-<port> "Cannot connect to {host}:{port}". It passes when a TCP
 * connection is made and the input fully written (the opposite with negate).
 *
 * It blocks the calling thread: run it on a worker thread, never on the event loop. The
 * connects and the write are non-blocking and bounded together by timeout; resolving a name
 * (getaddrinfo, numeric addresses never leave the process) is bounded only by the resolver's
 * own timeouts from resolv.conf.
 */
DiagnosticCheck runConnectCheck(const ConnectCheck &check, const std::string &componentId,
				std::chrono::milliseconds timeout,
				const Translator &translate = {});

} /* namespace plinth */

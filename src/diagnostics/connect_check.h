/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <chrono>
#include <string>

#include "check.h"
#include "connect_check_spec.h"

namespace plinth {

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
DiagnosticCheck runConnectCheck(const ConnectCheckSpec &check, const std::string &componentId,
				std::chrono::milliseconds timeout, const Translator &translator);

} /* namespace plinth */

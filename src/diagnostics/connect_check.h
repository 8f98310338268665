/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "check.h"
#include "connect_check_spec.h"
#include "name_resolver.h"

namespace plinth {

/* What one connect check connects to, once its host is resolved. */
struct ConnectTarget {
	std::vector<SocketAddress> addresses;
	std::string input;
};

/*
 * Makes every connect check at once on the calling thread, with non-blocking sockets and one
 * poll(2) however many there are: each target tries its addresses in turn until a TCP
 * connection is made and its input fully written. Gives up on what is unfinished at the
 * deadline, or as soon as stopFd (if not -1) is readable. Returns, per target, whether it
 * connected.
 */
std::vector<bool> connectAll(const std::vector<ConnectTarget> &targets,
			     std::chrono::steady_clock::time_point deadline, int stopFd = -1);

/*
 * daemon-netcat-<host>-<port> "Connect to {host}:{port}", or with negate
 * daemon-netcat-negate-<host>-<port> "Cannot connect to {host}:{port}": passed when connected
 * (the opposite with negate).
 */
DiagnosticCheck makeConnectCheck(const ConnectCheckSpec &check, const std::string &componentId,
				 bool connected, const Translator &translator);

/*
 * One check, blocking the calling thread: the name look-up waits on resolv.conf's timeouts,
 * the connects and the write are bounded together by timeout. The service uses the runner,
 * which bounds look-ups too.
 */
DiagnosticCheck runConnectCheck(const ConnectCheckSpec &check, const std::string &componentId,
				std::chrono::milliseconds timeout, const Translator &translator);

} /* namespace plinth */

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "listen_port.h"
#include "socket_table.h"

namespace plinth {

/*
 * The reference's rule: a TCP socket must be listening, a UDP socket must have no peer; the
 * local port and, when one is asked for, the local address must match. tcp6/udp6 need an IPv6
 * socket; tcp4/udp4 take an IPv4 socket or one bound to the IPv6 wildcard "::", which accepts
 * IPv4 too; tcp/udp take either family.
 */
bool isListening(const SocketSnapshot &snapshot, const ListenPort &port);

} /* namespace plinth */

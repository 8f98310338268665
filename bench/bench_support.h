/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <vector>

#include "socket_table.h"

/* What the bench programs share: sockets to fill the tables, the /proc baseline, the median. */
namespace plinth::bench {

/* Prints what failed with errno's reason and exits 1: a bench has nothing to recover. */
[[noreturn]] void die(const char *what);

/*
 * count sockets on 127.0.0.1, ephemeral ports, alternating a listening TCP socket and an
 * unconnected UDP one, the descriptor limit raised to hold them. Closed by the caller.
 */
std::vector<int> openExtraSockets(int count);

std::uint16_t portOf(int fd);

/*
 * The sockets as psutil gets them for the reference: by parsing /proc/net/{tcp,tcp6,udp,
 * udp6}. The baseline the netlink read is measured against, and nothing else.
 */
SocketSnapshot readProcNet();

/* The median of the samples, which one slow run cannot move. */
double median(std::vector<double> samples);

/* The median of runs measurements. */
double medianOf(int runs, const std::function<double()> &measure);

double millisecondsSince(std::chrono::steady_clock::time_point start);

} /* namespace plinth::bench */

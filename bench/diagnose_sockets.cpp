/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * How long ten port checks take on a machine with 10 000 sockets: one netlink read of the
 * socket tables filtered by the kernel to the checked ports (what the service does), the same
 * read unfiltered, and parsing /proc/net/{tcp,tcp6,udp,udp6}, the way psutil gets them for the
 * reference (bench_support.cpp has that parser, as the baseline).
 *
 *   diagnose-sockets [sockets] [runs]
 */
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <vector>

#include "bench_support.h"
#include "port_check.h"
#include "socket_table.h"

using namespace plinth;

namespace {

using Clock = std::chrono::steady_clock;

std::vector<bool> diagnose(const std::function<SocketSnapshot()> &read,
			   const std::vector<ListenPort> &ports)
{
	const SocketSnapshot snapshot = read();
	std::vector<bool> results;
	for (const ListenPort &port : ports)
		results.push_back(isListening(snapshot, port));
	return results;
}

double medianMicroseconds(const std::function<SocketSnapshot()> &read,
			  const std::vector<ListenPort> &ports, int runs)
{
	std::vector<double> times;
	for (int i = 0; i < runs; i++) {
		const auto start = Clock::now();
		diagnose(read, ports);
		times.push_back(
			std::chrono::duration<double, std::micro>(Clock::now() - start).count());
	}
	return bench::median(std::move(times));
}

} /* namespace */

int main(int argc, char **argv)
{
	const int sockets = argc > 1 ? std::atoi(argv[1]) : 10000;
	const int runs = argc > 2 ? std::atoi(argv[2]) : 51;
	if (sockets < 10 || runs < 1) {
		std::fprintf(stderr, "usage: %s [sockets >= 10] [runs >= 1]\n", argv[0]);
		return 2;
	}

	const std::vector<int> fds = bench::openExtraSockets(sockets);

	/* Ten checks of a typical app set: most pass, some ports are not there. */
	const std::vector<ListenPort> ports = {
		{bench::portOf(fds[0]), PortKind::Tcp4, ""},
		{bench::portOf(fds[2]), PortKind::Tcp, "127.0.0.1"},
		{bench::portOf(fds[4]), PortKind::Tcp6, ""},
		{bench::portOf(fds[1]), PortKind::Udp4, ""},
		{bench::portOf(fds[3]), PortKind::Udp, ""},
		{bench::portOf(fds[fds.size() - 2]), PortKind::Tcp, ""},
		{bench::portOf(fds[fds.size() - 1]), PortKind::Udp, "127.0.0.1"},
		{1, PortKind::Tcp, ""},
		{2, PortKind::Udp6, ""},
		{bench::portOf(fds[fds.size() / 2]), PortKind::Tcp, ""},
	};

	std::vector<std::uint16_t> portNumbers;
	for (const ListenPort &port : ports)
		portNumbers.push_back(port.port);
	const auto filtered = [&] {
		return readSocketTables(portNumbers);
	};
	const auto whole = [] {
		return readSocketTables();
	};

	for (const SocketSnapshot &check : {filtered(), whole()}) {
		for (const SocketProtocol protocol : {SocketProtocol::Tcp, SocketProtocol::Udp}) {
			if (!check.error(protocol).empty()) {
				std::fprintf(stderr, "%s\n", check.error(protocol).c_str());
				return 1;
			}
		}
	}
	const std::vector<bool> expected = diagnose(bench::readProcNet, ports);
	if (diagnose(filtered, ports) != expected || diagnose(whole, ports) != expected) {
		std::fprintf(stderr, "netlink and /proc disagree\n");
		return 1;
	}

	const double filteredTime = medianMicroseconds(filtered, ports, runs);
	const double wholeTime = medianMicroseconds(whole, ports, runs);
	const double procTime = medianMicroseconds(bench::readProcNet, ports, runs);

	std::printf("%d extra sockets (%d TCP listeners, %d UDP on 127.0.0.1), %zu port checks, "
		    "median of %d runs\n",
		    sockets, (sockets + 1) / 2, sockets / 2, ports.size(), runs);
	std::printf("netlink, kernel port filter: %10.1f us\n", filteredTime);
	std::printf("netlink, whole tables:       %10.1f us\n", wholeTime);
	std::printf("/proc/net parse:             %10.1f us\n", procTime);
	std::printf("/proc / filtered netlink: %.0fx, /proc / whole netlink: %.1fx\n",
		    procTime / filteredTime, procTime / wholeTime);

	for (const int fd : fds)
		close(fd);
	return 0;
}

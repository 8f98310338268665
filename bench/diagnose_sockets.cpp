/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * How long ten port checks take on a machine with 10 000 sockets: one netlink read of the
 * socket tables filtered by the kernel to the checked ports (what the service does), the same
 * read unfiltered, and parsing /proc/net/{tcp,tcp6,udp,udp6}, the way psutil gets them for the
 * reference. The /proc parser exists only here, as the baseline.
 *
 *   diagnose-sockets [sockets] [runs]
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "port_check.h"
#include "socket_table.h"

using namespace plinth;

namespace {

using Clock = std::chrono::steady_clock;

[[noreturn]] void die(const char *what)
{
	std::perror(what);
	std::exit(1);
}

int openSocket(int type, bool listening)
{
	const int fd = socket(AF_INET, type | SOCK_CLOEXEC, 0);
	if (fd < 0)
		die("socket");
	sockaddr_in address{};
	address.sin_family = AF_INET;
	address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, reinterpret_cast<sockaddr *>(&address), sizeof(address)) < 0)
		die("bind");
	if (listening && listen(fd, 1) < 0)
		die("listen");
	return fd;
}

std::uint16_t portOf(int fd)
{
	sockaddr_in address{};
	socklen_t length = sizeof(address);
	if (getsockname(fd, reinterpret_cast<sockaddr *>(&address), &length) < 0)
		die("getsockname");
	return ntohs(address.sin_port);
}

std::string readFile(const char *path)
{
	const int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		die(path);
	std::string content;
	char buffer[65536];
	ssize_t n;
	while ((n = read(fd, buffer, sizeof(buffer))) > 0)
		content.append(buffer, static_cast<std::size_t>(n));
	close(fd);
	return content;
}

std::uint32_t hex(std::string_view text)
{
	std::uint32_t value = 0;
	std::from_chars(text.data(), text.data() + text.size(), value, 16);
	return value;
}

/* "0100007F:0050": the address words in the kernel's byte order, then the port. */
void parseAddress(std::string_view field, AddressFamily family, std::string &address,
		  std::uint16_t &port, bool &nonZero)
{
	const std::size_t colon = field.find(':');
	const std::size_t words = family == AddressFamily::Ipv4 ? 1 : 4;
	std::uint32_t raw[4] = {};
	nonZero = false;
	for (std::size_t i = 0; i < words; i++) {
		raw[i] = hex(field.substr(i * 8, 8));
		nonZero |= raw[i] != 0;
	}
	port = static_cast<std::uint16_t>(hex(field.substr(colon + 1)));
	char text[INET6_ADDRSTRLEN];
	inet_ntop(family == AddressFamily::Ipv4 ? AF_INET : AF_INET6, raw, text, sizeof(text));
	address = text;
}

void parseProcTable(const char *path, SocketProtocol protocol, AddressFamily family,
		    std::vector<SocketEntry> &entries)
{
	const std::string content = readFile(path);
	std::string_view rest(content);
	rest.remove_prefix(std::min(rest.size(), rest.find('\n') + 1));

	while (!rest.empty()) {
		const std::size_t end = std::min(rest.find('\n'), rest.size());
		std::string_view line = rest.substr(0, end);
		rest.remove_prefix(std::min(rest.size(), end + 1));

		std::string_view fields[4];
		for (std::string_view &field : fields) {
			line.remove_prefix(std::min(line.size(), line.find_first_not_of(' ')));
			const std::size_t space = std::min(line.find(' '), line.size());
			field = line.substr(0, space);
			line.remove_prefix(space);
		}
		if (fields[3].empty())
			continue;

		SocketEntry entry;
		entry.protocol = protocol;
		entry.family = family;
		parseAddress(fields[1], family, entry.localAddress, entry.localPort, entry.hasPeer);
		std::string peer;
		std::uint16_t peerPort;
		parseAddress(fields[2], family, peer, peerPort, entry.hasPeer);
		entry.hasPeer = entry.hasPeer || peerPort != 0;
		entry.state = static_cast<std::uint8_t>(hex(fields[3]));
		entries.push_back(std::move(entry));
	}
}

SocketSnapshot readProc()
{
	std::vector<SocketEntry> entries;
	parseProcTable("/proc/net/tcp", SocketProtocol::Tcp, AddressFamily::Ipv4, entries);
	parseProcTable("/proc/net/tcp6", SocketProtocol::Tcp, AddressFamily::Ipv6, entries);
	parseProcTable("/proc/net/udp", SocketProtocol::Udp, AddressFamily::Ipv4, entries);
	parseProcTable("/proc/net/udp6", SocketProtocol::Udp, AddressFamily::Ipv6, entries);
	return SocketSnapshot(std::move(entries), "", "");
}

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
	std::sort(times.begin(), times.end());
	return times[times.size() / 2];
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

	rlimit limit{};
	if (getrlimit(RLIMIT_NOFILE, &limit) < 0)
		die("getrlimit");
	limit.rlim_cur = std::min<rlim_t>(limit.rlim_max, static_cast<rlim_t>(sockets) + 100);
	if (setrlimit(RLIMIT_NOFILE, &limit) < 0)
		die("setrlimit");

	std::vector<int> fds;
	for (int i = 0; i < sockets; i++)
		fds.push_back(openSocket(i % 2 ? SOCK_DGRAM : SOCK_STREAM, i % 2 == 0));

	/* Ten checks of a typical app set: most pass, some ports are not there. */
	const std::vector<ListenPort> ports = {
		{portOf(fds[0]), PortKind::Tcp4, ""},
		{portOf(fds[2]), PortKind::Tcp, "127.0.0.1"},
		{portOf(fds[4]), PortKind::Tcp6, ""},
		{portOf(fds[1]), PortKind::Udp4, ""},
		{portOf(fds[3]), PortKind::Udp, ""},
		{portOf(fds[fds.size() - 2]), PortKind::Tcp, ""},
		{portOf(fds[fds.size() - 1]), PortKind::Udp, "127.0.0.1"},
		{1, PortKind::Tcp, ""},
		{2, PortKind::Udp6, ""},
		{portOf(fds[fds.size() / 2]), PortKind::Tcp, ""},
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
	const std::vector<bool> expected = diagnose(readProc, ports);
	if (diagnose(filtered, ports) != expected || diagnose(whole, ports) != expected) {
		std::fprintf(stderr, "netlink and /proc disagree\n");
		return 1;
	}

	const double filteredTime = medianMicroseconds(filtered, ports, runs);
	const double wholeTime = medianMicroseconds(whole, ports, runs);
	const double procTime = medianMicroseconds(readProc, ports, runs);

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

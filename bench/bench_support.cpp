/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "bench_support.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace plinth::bench {

namespace {

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

} /* namespace */

[[noreturn]] void die(const char *what)
{
	std::perror(what);
	std::exit(1);
}

std::vector<int> openExtraSockets(int count)
{
	rlimit limit{};
	if (getrlimit(RLIMIT_NOFILE, &limit) < 0)
		die("getrlimit");
	limit.rlim_cur = std::min<rlim_t>(limit.rlim_max, static_cast<rlim_t>(count) + 100);
	if (setrlimit(RLIMIT_NOFILE, &limit) < 0)
		die("setrlimit");

	std::vector<int> fds;
	for (int i = 0; i < count; i++)
		fds.push_back(openSocket(i % 2 ? SOCK_DGRAM : SOCK_STREAM, i % 2 == 0));
	return fds;
}

std::uint16_t portOf(int fd)
{
	sockaddr_in address{};
	socklen_t length = sizeof(address);
	if (getsockname(fd, reinterpret_cast<sockaddr *>(&address), &length) < 0)
		die("getsockname");
	return ntohs(address.sin_port);
}

SocketSnapshot readProcNet()
{
	std::vector<SocketEntry> entries;
	parseProcTable("/proc/net/tcp", SocketProtocol::Tcp, AddressFamily::Ipv4, entries);
	parseProcTable("/proc/net/tcp6", SocketProtocol::Tcp, AddressFamily::Ipv6, entries);
	parseProcTable("/proc/net/udp", SocketProtocol::Udp, AddressFamily::Ipv4, entries);
	parseProcTable("/proc/net/udp6", SocketProtocol::Udp, AddressFamily::Ipv6, entries);
	return SocketSnapshot(std::move(entries), "", "");
}

double median(std::vector<double> samples)
{
	std::sort(samples.begin(), samples.end());
	return samples[samples.size() / 2];
}

double medianOf(int runs, const std::function<double()> &measure)
{
	std::vector<double> samples;
	for (int i = 0; i < runs; i++)
		samples.push_back(measure());
	return median(std::move(samples));
}

double millisecondsSince(std::chrono::steady_clock::time_point start)
{
	return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
		.count();
}

} /* namespace plinth::bench */

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "port_check.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <algorithm>
#include <string>

namespace plinth {

namespace {

/*
 * The address as the kernel's sockets are printed, so that "::0" or "::FFFF:10.0.0.1" in a
 * definition match too. Anything that is no address stays as written and matches nothing.
 */
std::string canonicalAddress(const std::string &address)
{
	for (const int family : {AF_INET, AF_INET6}) {
		in6_addr binary;
		char text[INET6_ADDRSTRLEN];
		if (inet_pton(family, address.c_str(), &binary) == 1 &&
		    inet_ntop(family, &binary, text, sizeof(text)))
			return text;
	}
	return address;
}

bool familyMatches(PortKind kind, const SocketEntry &entry)
{
	switch (kind) {
	case PortKind::Tcp4:
	case PortKind::Udp4:
		return entry.family == AddressFamily::Ipv4 || entry.localAddress == "::";
	case PortKind::Tcp6:
	case PortKind::Udp6:
		return entry.family == AddressFamily::Ipv6;
	case PortKind::Tcp:
	case PortKind::Udp:
		break;
	}
	return true;
}

} /* namespace */

bool isListening(const SocketSnapshot &snapshot, const ListenPort &port)
{
	const bool tcp = isTcp(port.kind);
	const std::string address = port.address.empty() ? "" : canonicalAddress(port.address);

	return std::any_of(
		snapshot.entries().begin(), snapshot.entries().end(), [&](const SocketEntry &e) {
			if (tcp) {
				if (e.protocol != SocketProtocol::Tcp || e.state != TCP_LISTEN)
					return false;
			} else if (e.protocol != SocketProtocol::Udp || e.hasPeer) {
				return false;
			}
			return e.localPort == port.port &&
			       (address.empty() || e.localAddress == address) &&
			       familyMatches(port.kind, e);
		});
}

} /* namespace plinth */

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <ostream>
#include <variant>

#include "check.h"
#include "socket_table.h"

namespace plinth {

/* Readable values in failure messages instead of gtest's byte dumps. */

inline void PrintTo(const SocketEntry &e, std::ostream *os)
{
	*os << (e.protocol == SocketProtocol::Tcp ? "tcp" : "udp")
	    << (e.family == AddressFamily::Ipv4 ? "4 " : "6 ") << e.localAddress << " port "
	    << e.localPort << " state " << int{e.state} << (e.hasPeer ? " with peer" : "");
}

inline void PrintTo(const DiagnosticCheck &c, std::ostream *os)
{
	*os << "{" << c.checkId << ", " << c.componentId << ", " << checkResultName(c.result)
	    << ", \"" << c.description << "\", {";
	for (const auto &[name, value] : c.parameters) {
		*os << name << "=";
		std::visit([os](const auto &v) { *os << v; }, value);
		*os << " ";
	}
	*os << "}, \"" << c.message << "\"}";
}

} /* namespace plinth */

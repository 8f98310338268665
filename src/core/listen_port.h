/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace plinth {

/* The socket kinds a daemon can be declared to listen on, as in the reference. */
enum class PortKind {
	Tcp4,
	Tcp6,
	Tcp,
	Udp4,
	Udp6,
	Udp,
};

std::string_view portKindName(PortKind kind);
std::optional<PortKind> parsePortKind(std::string_view name);
bool isTcp(PortKind kind);

struct ListenPort {
	std::uint16_t port = 0;
	PortKind kind = PortKind::Tcp;
	/* Empty when any local address will do. */
	std::string address;

	bool operator==(const ListenPort &) const = default;
};

} /* namespace plinth */

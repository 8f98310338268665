/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "listen_port.h"

#include <array>
#include <utility>

namespace plinth {

namespace {

constexpr std::array<std::pair<PortKind, std::string_view>, 6> kPortKindNames = {{
	{PortKind::Tcp4, "tcp4"},
	{PortKind::Tcp6, "tcp6"},
	{PortKind::Tcp, "tcp"},
	{PortKind::Udp4, "udp4"},
	{PortKind::Udp6, "udp6"},
	{PortKind::Udp, "udp"},
}};

} /* namespace */

std::string_view portKindName(PortKind kind)
{
	for (const auto &[k, name] : kPortKindNames) {
		if (k == kind)
			return name;
	}
	return {};
}

std::optional<PortKind> parsePortKind(std::string_view name)
{
	for (const auto &[kind, n] : kPortKindNames) {
		if (n == name)
			return kind;
	}
	return std::nullopt;
}

bool isTcp(PortKind kind)
{
	return kind == PortKind::Tcp4 || kind == PortKind::Tcp6 || kind == PortKind::Tcp;
}

} /* namespace plinth */

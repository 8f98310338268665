/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "settings.h"

#include <algorithm>
#include <array>
#include <stdexcept>
#include <utility>

namespace plinth {

namespace {

constexpr std::array<std::pair<Authorization, std::string_view>, 3> kAuthorizationNames = {{
	{Authorization::Polkit, "polkit"},
	{Authorization::Uid0, "uid0"},
	{Authorization::None, "none"},
}};

constexpr std::array<std::pair<spdlog::level::level_enum, std::string_view>, 5> kLogLevelNames = {{
	{spdlog::level::trace, "trace"},
	{spdlog::level::debug, "debug"},
	{spdlog::level::info, "info"},
	{spdlog::level::warn, "warn"},
	{spdlog::level::err, "error"},
}};

[[noreturn]] void invalid(std::string_view expected, std::string_view value)
{
	throw std::invalid_argument("must be " + std::string(expected) + ", not '" +
				    std::string(value) + "'");
}

/* "transport:key=value,...", as D-Bus addresses are; "unix:path=/run/bus" at the least. */
bool looksLikeBusAddress(std::string_view value)
{
	const std::size_t colon = value.find(':');
	return colon != 0 && colon != std::string_view::npos && colon + 1 < value.size() &&
	       std::all_of(value.begin(), value.begin() + colon,
			   [](char c) { return c >= 'a' && c <= 'z'; });
}

BusChoice parseBusWords(std::string_view value, std::string_view userWord)
{
	if (value == "system")
		return {BusChoice::Type::System, {}};
	if (value == userWord)
		return {BusChoice::Type::User, {}};
	if (looksLikeBusAddress(value))
		return {BusChoice::Type::Address, std::string(value)};
	invalid("system, " + std::string(userWord) +
			" or a D-Bus address such as unix:path=/run/dbus/system_bus_socket",
		value);
}

} /* namespace */

BusChoice parseBus(std::string_view value)
{
	return parseBusWords(value, "session");
}

BusChoice parseSystemdBus(std::string_view value)
{
	return parseBusWords(value, "user");
}

Authorization parseAuthorization(std::string_view value)
{
	for (const auto &[authorization, name] : kAuthorizationNames) {
		if (name == value)
			return authorization;
	}
	invalid("polkit, uid0 or none", value);
}

spdlog::level::level_enum parseLogLevel(std::string_view value)
{
	for (const auto &[level, name] : kLogLevelNames) {
		if (name == value)
			return level;
	}
	invalid("trace, debug, info, warn or error", value);
}

} /* namespace plinth */

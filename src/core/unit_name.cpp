/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "unit_name.h"

#include <array>
#include <cctype>

namespace plinth {

namespace {

constexpr std::array<std::string_view, 11> kUnitTypes = {
	"service", "socket", "target", "device", "mount", "automount",
	"swap",	   "timer",  "path",   "slice",	 "scope",
};

bool isNameChar(char c)
{
	/* systemd's VALID_CHARS: ASCII letters, digits and ":-_.\" */
	return std::isalnum(static_cast<unsigned char>(c)) || c == ':' || c == '-' || c == '_' ||
	       c == '.' || c == '\\';
}

bool isKnownType(std::string_view type)
{
	for (std::string_view t : kUnitTypes) {
		if (t == type)
			return true;
	}
	return false;
}

} /* namespace */

std::optional<UnitNameForm> unitNameForm(std::string_view name)
{
	if (name.empty() || name.size() > kUnitNameMaxBytes)
		return std::nullopt;

	const std::size_t dot = name.rfind('.');
	if (dot == std::string_view::npos || dot == 0 || !isKnownType(name.substr(dot + 1)))
		return std::nullopt;

	const std::string_view stem = name.substr(0, dot);
	const std::size_t at = stem.find('@');
	for (char c : stem) {
		if (c != '@' && !isNameChar(c))
			return std::nullopt;
	}

	if (at == std::string_view::npos)
		return UnitNameForm::Plain;
	if (at == 0)
		return std::nullopt;
	return at + 1 == stem.size() ? UnitNameForm::Template : UnitNameForm::Instance;
}

std::string unitNameError(std::string_view name)
{
	if (name.empty())
		return "unit name is empty";
	if (name.size() > kUnitNameMaxBytes)
		return "unit name is longer than " + std::to_string(kUnitNameMaxBytes) + " bytes";

	const std::size_t dot = name.rfind('.');
	if (dot == std::string_view::npos || !isKnownType(name.substr(dot + 1)))
		return "'" + std::string(name) +
		       "' has no unit type suffix such as .service, .socket or .timer";

	const std::optional<UnitNameForm> form = unitNameForm(name);
	if (!form)
		return "'" + std::string(name) +
		       "' is not a valid unit name (allowed: ASCII letters, digits, ':-_.\\' and "
		       "one "
		       "'@' after a non-empty prefix)";
	if (*form == UnitNameForm::Template)
		return "'" + std::string(name) + "' is a template; name an instance such as '" +
		       std::string(name.substr(0, dot)) + "NAME" + std::string(name.substr(dot)) +
		       "'";
	return {};
}

std::optional<std::string> serviceOfSocket(std::string_view unit)
{
	constexpr std::string_view kSocket = ".socket";
	if (unit.size() <= kSocket.size() || !unit.ends_with(kSocket))
		return std::nullopt;
	std::string service =
		std::string(unit.substr(0, unit.size() - kSocket.size())) + ".service";
	/* ".service" is one byte longer: a socket of the longest name has no service systemd
	 * would accept. */
	if (service.size() > kUnitNameMaxBytes)
		return std::nullopt;
	return service;
}

} /* namespace plinth */

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "unit_name.h"

#include <algorithm>
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

bool isGlobChar(char c)
{
	return c == '*' || c == '?' || c == '[' || c == ']' || c == '!';
}

/*
 * systemctl rewrites such a name into another one: a path into a .mount or .device unit, every
 * other character but '/' (which becomes '-') into a \xNN escape. Taking a different unit than
 * the one written would hide the mistake, so the name is refused and the rewrite only shown.
 */
std::string rewriteHint(std::string_view name)
{
	if (name.starts_with('/'))
		return "; a path is not a unit name: name its .mount or .device unit "
		       "(systemd-escape --path --suffix=mount PATH prints it)";
	if (std::any_of(name.begin(), name.end(), isGlobChar))
		return "; patterns are not taken: name each unit";

	static constexpr char kHex[] = "0123456789abcdef";
	std::string escaped;
	for (const char c : name) {
		if (c == '/') {
			escaped += '-';
		} else if (isNameChar(c) || c == '@') {
			escaped += c;
		} else {
			const auto byte = static_cast<unsigned char>(c);
			escaped += "\\x";
			escaped += kHex[byte >> 4];
			escaped += kHex[byte & 0xf];
		}
	}
	escaped = mangleUnitName(escaped);
	const std::optional<UnitNameForm> form = unitNameForm(escaped);
	if (!form || *form == UnitNameForm::Template)
		return {};
	return "; systemctl would escape it into the different name '" + escaped +
	       "': write that name if it is the unit you mean";
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

std::string mangleUnitName(std::string_view name)
{
	const std::size_t dot = name.rfind('.');
	if (dot != std::string_view::npos && isKnownType(name.substr(dot + 1)))
		return std::string(name);
	return std::string(name) + ".service";
}

std::string unitNameError(std::string_view name)
{
	if (name.empty())
		return "unit name is empty";

	const std::string unit = mangleUnitName(name);
	const std::string quoted = "'" + std::string(name) + "'";
	if (unit.size() > kUnitNameMaxBytes)
		return "unit name is longer than " + std::to_string(kUnitNameMaxBytes) + " bytes" +
		       (unit.size() > name.size() ? " once .service is appended" : "");

	const std::optional<UnitNameForm> form = unitNameForm(unit);
	if (!form)
		return quoted +
		       " is not a valid unit name (allowed: ASCII letters, digits, ':-_.\\' " +
		       "and one '@' after a non-empty prefix)" + rewriteHint(name);
	if (*form == UnitNameForm::Template) {
		const std::size_t dot = unit.rfind('.');
		return quoted + " is a template; name an instance such as '" + unit.substr(0, dot) +
		       "NAME" + unit.substr(dot) + "'";
	}
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

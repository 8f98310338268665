/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace plinth {

/* The three shapes of a valid unit name, as systemd distinguishes them. */
enum class UnitNameForm {
	Plain,	  /* foo.service */
	Template, /* foo@.service */
	Instance, /* foo@bar.service */
};

/* systemd's UNIT_NAME_MAX is 256 including the terminating NUL. */
constexpr std::size_t kUnitNameMaxBytes = 255;

/* The form of a full name systemd would accept, or nothing when it would refuse it. */
std::optional<UnitNameForm> unitNameForm(std::string_view name);

/*
 * The unit a name stands for, as systemctl takes names (systemd's unit_name_mangle): a name
 * whose part after the last '.' is no unit type gets ".service" appended ("ssh" ->
 * "ssh.service", "tor@plinth" -> "tor@plinth.service"); any other name is kept as it is.
 * Unlike systemctl, no character is ever escaped and no path is turned into a unit: a name
 * systemctl would have to rewrite stays invalid, and unitNameError says why.
 */
std::string mangleUnitName(std::string_view name);

/*
 * Why the unit a name stands for (see mangleUnitName) cannot be managed: not a valid unit
 * name, or a template, which systemd cannot start or enable without an instance. Empty when
 * it is a plain or instance name. The reason quotes the name as written.
 */
std::string unitNameError(std::string_view name);

/* "x.socket" -> "x.service"; nothing for any other type, or when x.service would be too long. */
std::optional<std::string> serviceOfSocket(std::string_view unit);

} /* namespace plinth */

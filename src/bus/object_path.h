/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <string>
#include <string_view>

namespace plinth {

/* The object manager's path; app and unit objects live below it. */
inline constexpr const char *kObjectManagerPath = "/org/freedesktop/Plinth/Daemons";

/*
 * /org/freedesktop/Plinth/Daemons/app/<id> and .../unit/<name>, the last element escaped
 * as sd_bus_path_encode() does, so that clients can decode it with sd_bus_path_decode() or
 * compute it the way they compute systemd's unit paths.
 */
std::string appObjectPath(std::string_view appId);
std::string unitObjectPath(std::string_view unit);

} /* namespace plinth */

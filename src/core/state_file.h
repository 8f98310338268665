/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <filesystem>
#include <functional>
#include <string_view>

#include <toml++/toml.h>

namespace plinth {

/*
 * Reads a TOML file of the state directory with read, which throws std::exception for a
 * document it refuses. A missing file is nothing to read: returns false. A corrupt or
 * refused one is logged with its position or reason and what follows ("no check is
 * ignored"), left on disk untouched, and returns false too.
 */
bool readStateFile(const std::filesystem::path &file, std::string_view consequence,
		   const std::function<void(const toml::table &document)> &read);

} /* namespace plinth */

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <filesystem>
#include <string_view>

namespace plinth {

/*
 * Replaces file with text so that a crash leaves either the old or the new contents, never a
 * mix: a temporary file beside it, fsync, rename, then fsync of the directory. Throws
 * std::system_error when it cannot, and then the file is as it was.
 */
void replaceFileAtomically(const std::filesystem::path &file, std::string_view text);

} /* namespace plinth */

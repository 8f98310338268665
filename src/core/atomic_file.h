/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <filesystem>
#include <string_view>

namespace plinth {

/*
 * Replaces file with text so that a crash at any moment leaves either the old file or the
 * new one whole: a temporary file beside it, fsync, rename, fsync of the directory. Throws
 * std::system_error when it cannot, and then file is as it was.
 */
void writeFileAtomically(const std::filesystem::path &file, std::string_view text);

} /* namespace plinth */

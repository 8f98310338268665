/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace plinth {

/* What the tests of the state stores read and write as an administrator's editor would. */
inline std::string readFile(const std::filesystem::path &path)
{
	std::ifstream in(path);
	std::stringstream text;
	text << in.rdbuf();
	return text.str();
}

inline void writeFile(const std::filesystem::path &path, const std::string &text)
{
	std::ofstream(path) << text;
}

} /* namespace plinth */

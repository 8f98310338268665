/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "temp_dir.h"

#include <stdlib.h>

#include <cerrno>
#include <fstream>
#include <system_error>

namespace plinth::test {

TempDir::TempDir()
{
	std::string pattern =
		(std::filesystem::temp_directory_path() / "plinth-test-XXXXXX").string();
	if (!mkdtemp(pattern.data()))
		throw std::system_error(errno, std::generic_category(), "mkdtemp " + pattern);
	path_ = pattern;
}

TempDir::~TempDir()
{
	std::error_code ec;
	std::filesystem::remove_all(path_, ec);
}

std::filesystem::path TempDir::write(const std::filesystem::path &relative,
				     std::string_view content) const
{
	const std::filesystem::path file = path_ / relative;
	std::filesystem::create_directories(file.parent_path());
	std::ofstream stream(file, std::ios::binary | std::ios::trunc);
	stream << content;
	if (!stream.flush())
		throw std::system_error(errno, std::generic_category(), "write " + file.string());
	return file;
}

} /* namespace plinth::test */

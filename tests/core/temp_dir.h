/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <string>

namespace plinth {

/* A fresh directory for one test, removed with everything in it afterwards. */
class TempDir
{
public:
	TempDir()
	{
		std::string pattern =
			(std::filesystem::temp_directory_path() / "plinth-test-XXXXXX");
		path_ = ::mkdtemp(pattern.data());
	}
	~TempDir()
	{
		std::error_code ec;
		std::filesystem::remove_all(path_, ec);
	}
	TempDir(const TempDir &) = delete;
	TempDir &operator=(const TempDir &) = delete;

	const std::filesystem::path &path() const { return path_; }

private:
	std::filesystem::path path_;
};

} /* namespace plinth */

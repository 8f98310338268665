/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace plinth::test {

/* A fresh private directory under the system's temporary directory, removed with its contents. */
class TempDir
{
public:
	TempDir();
	~TempDir();

	TempDir(const TempDir &) = delete;
	TempDir &operator=(const TempDir &) = delete;

	const std::filesystem::path &path() const { return path_; }

	/* Writes content to path()/relative, creating the directories on the way. */
	std::filesystem::path write(const std::filesystem::path &relative,
				    std::string_view content) const;

private:
	std::filesystem::path path_;
};

} /* namespace plinth::test */

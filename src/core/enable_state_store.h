/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <filesystem>
#include <set>
#include <string>
#include <string_view>

namespace plinth {

/*
 * The enabled state of apps that have no Daemon: nothing in systemd records it, so the
 * service does, in one small file of its state directory.
 */
class EnableStateStore
{
public:
	explicit EnableStateStore(std::filesystem::path file);

	/*
	 * Reads the file. A missing file means no app is recorded as enabled; a corrupt or
	 * unreadable one is logged and treated the same, and is left on disk untouched.
	 */
	void load();

	bool isEnabled(std::string_view appId) const;

	/*
	 * Records the state and writes the file atomically (temporary file, fsync, rename).
	 * Throws std::system_error when it cannot, and then neither the file nor the state in
	 * memory has changed.
	 */
	void setEnabled(std::string_view appId, bool enabled);

	const std::filesystem::path &file() const { return file_; }

private:
	void write(const std::set<std::string, std::less<>> &apps) const;

	std::filesystem::path file_;
	std::set<std::string, std::less<>> enabledApps_;
};

} /* namespace plinth */

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <string_view>

namespace plinth {

/* App id -> the ids of its checks an admin said not to count. */
using IgnoredChecks = std::map<std::string, std::set<std::string, std::less<>>, std::less<>>;

/* Whether a string may be a check id: 1 to 255 printable ASCII bytes, no spaces. */
bool isValidCheckId(std::string_view checkId);

/* The ignored checks, kept in one file of the state directory across restarts. */
class IgnoredChecksStore
{
public:
	explicit IgnoredChecksStore(std::filesystem::path file);

	/*
	 * A missing file holds nothing; a corrupt or unreadable one is logged, read as nothing,
	 * and left on disk untouched until the next save replaces it.
	 */
	IgnoredChecks load() const;

	/* Writes them all atomically; throws std::system_error when it cannot. */
	void save(const IgnoredChecks &ignored) const;

private:
	std::filesystem::path file_;
};

} /* namespace plinth */

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ignored_checks_store.h"

#include <algorithm>
#include <sstream>
#include <stdexcept>

#include <toml++/toml.h>

#include "atomic_file.h"
#include "identifier.h"
#include "state_file.h"

namespace plinth {

bool isValidCheckId(std::string_view checkId)
{
	return !checkId.empty() && checkId.size() <= 255 &&
	       std::all_of(checkId.begin(), checkId.end(),
			   [](char c) { return c > ' ' && c < 0x7f; });
}

IgnoredChecksStore::IgnoredChecksStore(std::filesystem::path file) : file_(std::move(file))
{
}

IgnoredChecks IgnoredChecksStore::load() const
{
	IgnoredChecks ignored;
	const bool read =
		readStateFile(file_, "no check is ignored", [&](const toml::table &document) {
			for (const auto &[key, node] : document) {
				const toml::array *checks = node.as_array();
				if (!isValidIdentifier(key.str()) || !checks)
					throw std::runtime_error(
						"'" + std::string(key.str()) +
						"' is not an app's list of checks");
				auto &set = ignored[std::string(key.str())];
				for (const toml::node &check : *checks) {
					const std::optional<std::string> id =
						check.value<std::string>();
					if (!id || !isValidCheckId(*id))
						throw std::runtime_error(
							"'" + std::string(key.str()) +
							"' lists something that is not a check id");
					set.insert(*id);
				}
			}
		});
	return read ? ignored : IgnoredChecks{};
}

void IgnoredChecksStore::save(const IgnoredChecks &ignored) const
{
	toml::table document;
	for (const auto &[app, checks] : ignored) {
		if (checks.empty())
			continue;
		toml::array ids;
		for (const std::string &check : checks)
			ids.push_back(check);
		document.insert(app, std::move(ids));
	}
	std::ostringstream text;
	text << "# Written by plinth-daemons: the checks of each app that do not count against "
		"its health.\n"
	     << document << "\n";
	replaceFileAtomically(file_, text.str());
}

} /* namespace plinth */

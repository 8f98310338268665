/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "enable_state_store.h"

#include <stdexcept>

#include <toml++/toml.h>

#include "atomic_file.h"
#include "identifier.h"
#include "state_file.h"

namespace plinth {

namespace {

constexpr std::string_view kEnabledKey = "enabled-apps";

} /* namespace */

EnableStateStore::EnableStateStore(std::filesystem::path file) : file_(std::move(file))
{
}

void EnableStateStore::load()
{
	enabledApps_.clear();

	readStateFile(file_, "treating every app without a daemon as disabled",
		      [&](const toml::table &table) {
			      const toml::array *apps = table[kEnabledKey].as_array();
			      if (!apps)
				      throw std::runtime_error("no '" + std::string(kEnabledKey) +
							       "' array");
			      std::set<std::string, std::less<>> loaded;
			      for (const toml::node &node : *apps) {
				      const std::optional<std::string> id =
					      node.value<std::string>();
				      if (!id || !isValidIdentifier(*id))
					      throw std::runtime_error(
						      "'" + std::string(kEnabledKey) +
						      "' holds something that is not an app id");
				      loaded.insert(*id);
			      }
			      enabledApps_ = std::move(loaded);
		      });
}

bool EnableStateStore::isEnabled(std::string_view appId) const
{
	return enabledApps_.contains(appId);
}

void EnableStateStore::setEnabled(std::string_view appId, bool enabled)
{
	if (isEnabled(appId) == enabled)
		return;

	std::set<std::string, std::less<>> apps = enabledApps_;
	if (enabled)
		apps.emplace(appId);
	else
		apps.erase(apps.find(appId));

	write(apps);
	enabledApps_ = std::move(apps);
}

void EnableStateStore::write(const std::set<std::string, std::less<>> &apps) const
{
	std::string text =
		"# Written by plinth-daemons: the apps without a daemon that are enabled.\n";
	text += std::string(kEnabledKey) + " = [";
	for (const std::string &id : apps)
		text += "\n    \"" + id + "\",";
	text += apps.empty() ? "]\n" : "\n]\n";

	replaceFileAtomically(file_, text);
}

} /* namespace plinth */

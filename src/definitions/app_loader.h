/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "load_error.h"
#include "registry.h"

namespace plinth {

struct LoadResult {
	/* Dependency-ordered registry of every definition that loaded. */
	std::unique_ptr<Registry> registry;
	/* One per rejected file (or unreadable directory); the other files loaded regardless. */
	std::vector<LoadError> errors;
	/* Problems that did not stop an app from loading (an unknown dependency, ...). */
	std::vector<std::string> warnings;
};

/*
 * Reads every *.toml file of the directories, in order; a file in a later directory replaces
 * the one of the same name in an earlier one (vendor first, then the administrator's), and a
 * replacement that is a symlink to /dev/null removes the app, as systemd's masking does. Hidden
 * files are ignored. Files load in name order; a missing directory is not an error.
 *
 * A file is accepted whole or rejected whole, at its first problem. An app or component id
 * already defined by a file loaded earlier rejects the later file. Nothing is logged: the
 * caller decides how to report errors and warnings.
 */
LoadResult loadAppDefinitions(const std::vector<std::filesystem::path> &directories);

} /* namespace plinth */

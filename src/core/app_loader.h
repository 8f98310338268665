/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "app.h"
#include "registry.h"

namespace plinth {

/* Why one definition file was rejected, pointing at the offending spot. */
struct LoadError {
	std::string file;
	std::uint32_t line = 0;
	std::uint32_t column = 0;
	std::string reason;

	/* "file:line:column: reason" */
	std::string toString() const;
};

struct LoadResult {
	/* Dependency-ordered registry of every definition that loaded. */
	std::unique_ptr<Registry> registry;
	/* One per rejected file; the other files loaded regardless. */
	std::vector<LoadError> errors;
	/* Problems that did not stop an app from loading (an unknown dependency, ...). */
	std::vector<std::string> warnings;
};

/*
 * Reads every *.toml file of the directories, in order; a file in a later directory replaces
 * the one of the same name in an earlier one (vendor first, then the administrator's). Files
 * load in name order; a missing directory is not an error.
 */
LoadResult loadAppDefinitions(const std::vector<std::filesystem::path> &directories);

} /* namespace plinth */

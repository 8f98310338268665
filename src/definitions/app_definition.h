/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <vector>

#include <toml++/toml.h>

#include "app.h"

namespace plinth {

/* One definition file's app, and where its ids stand, for messages about duplicates. */
struct AppDefinition {
	App app;
	toml::source_region appIdRegion;
	/* One per component, in the same order. */
	std::vector<toml::source_region> componentIdRegions;
};

/*
 * Reads the document of one definition file (DESIGN.md "App definition") strictly; throws
 * SchemaError at the first problem. Checks everything one file can tell; uniqueness across
 * files is the loader's business. sourceFile is recorded in the App.
 */
AppDefinition readAppDefinition(const toml::table &document, const std::string &sourceFile);

} /* namespace plinth */

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace plinth::bench {

/* One generated app: its id and the units of its Daemons, in order. */
struct GeneratedApp {
	std::string id;
	std::vector<std::string> units;
};

/* Writes one definition per app into dir, each unit a Daemon of its own. */
void writeAppDefinitions(const std::filesystem::path &dir, const std::vector<GeneratedApp> &apps);

/*
 * Writes a template unit name@.service whose instances really run (`sleep infinity`) after
 * startDelay seconds of ExecStartPre, and that can be enabled; returns its path.
 */
std::filesystem::path writeTemplateUnit(const std::filesystem::path &dir, const std::string &name,
					int startDelay);

/* Writes name.service, a unit file of its own that runs as the instances do; returns its path. */
std::filesystem::path writeServiceUnit(const std::filesystem::path &dir, const std::string &name);

/* name@index.service */
std::string instanceOf(const std::string &templateName, int index);

} /* namespace plinth::bench */

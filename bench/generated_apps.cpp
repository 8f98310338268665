/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "generated_apps.h"

#include <fstream>
#include <stdexcept>

namespace plinth::bench {

namespace {

void writeFile(const std::filesystem::path &path, const std::string &text)
{
	std::ofstream out(path);
	out << text;
	if (!out.flush())
		throw std::runtime_error("cannot write " + path.string());
}

} /* namespace */

void writeAppDefinitions(const std::filesystem::path &dir, const std::vector<GeneratedApp> &apps)
{
	std::filesystem::create_directories(dir);
	for (const GeneratedApp &app : apps) {
		std::string text =
			"[app]\nid = \"" + app.id + "\"\nname = \"Bench " + app.id + "\"\n";
		for (std::size_t i = 0; i < app.units.size(); i++)
			text += "\n[[components]]\nkind = \"daemon\"\nid = \"daemon-" + app.id +
				"-" + std::to_string(i) + "\"\nunit = \"" + app.units[i] + "\"\n";
		writeFile(dir / (app.id + ".toml"), text);
	}
}

namespace {

std::filesystem::path writeUnit(const std::filesystem::path &dir, const std::string &fileName,
				int startDelay)
{
	std::filesystem::create_directories(dir);
	std::string text = "[Unit]\nDescription=Bench unit %n\n\n[Service]\n";
	if (startDelay > 0)
		text += "ExecStartPre=/bin/sleep " + std::to_string(startDelay) + "\n";
	text += "ExecStart=/bin/sleep infinity\n\n[Install]\nWantedBy=default.target\n";
	const std::filesystem::path path = dir / fileName;
	writeFile(path, text);
	return path;
}

} /* namespace */

std::filesystem::path writeTemplateUnit(const std::filesystem::path &dir, const std::string &name,
					int startDelay)
{
	return writeUnit(dir, name + "@.service", startDelay);
}

std::filesystem::path writeServiceUnit(const std::filesystem::path &dir, const std::string &name)
{
	return writeUnit(dir, name + ".service", 0);
}

std::string instanceOf(const std::string &templateName, int index)
{
	return templateName + "@" + std::to_string(index) + ".service";
}

} /* namespace plinth::bench */

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "app_loader.h"

#include <map>
#include <system_error>
#include <unordered_map>

#include "app_definition.h"
#include "toml_schema.h"

namespace plinth {

namespace fs = std::filesystem;

namespace {

bool isMask(const fs::path &file)
{
	std::error_code ec;
	return fs::read_symlink(file, ec) == "/dev/null";
}

/* The files to load, in load order: later directories replace same-named files. */
std::vector<fs::path> definitionFiles(const std::vector<fs::path> &directories,
				      std::vector<LoadError> &errors)
{
	std::map<std::string, fs::path> byName;
	for (const fs::path &directory : directories) {
		std::error_code ec;
		fs::directory_iterator it(directory, ec);
		if (ec == std::errc::no_such_file_or_directory)
			continue;
		for (; !ec && it != fs::directory_iterator(); it.increment(ec)) {
			const fs::path &file = it->path();
			const std::string name = file.filename().string();
			if (name.starts_with('.') || file.extension() != ".toml")
				continue;
			std::error_code statError;
			if (!it->is_regular_file(statError) && !isMask(file))
				continue;
			byName[name] = file;
		}
		if (ec)
			errors.push_back({directory.string(), 0, 0,
					  "cannot read the directory: " + ec.message()});
	}

	std::vector<fs::path> files;
	for (const auto &[name, file] : byName) {
		if (!isMask(file))
			files.push_back(file);
	}
	return files;
}

/* Where an id was first defined, for the message that rejects a later file. */
struct Origin {
	std::string file;
	toml::source_position position;

	std::string toString() const
	{
		return file + ":" + std::to_string(position.line) + ":" +
		       std::to_string(position.column);
	}
};

class IdLedger
{
public:
	/* Throws SchemaError when definition reuses an id a previous file defined. */
	void check(const AppDefinition &definition) const
	{
		const App &app = definition.app;
		if (const auto it = apps_.find(app.id); it != apps_.end())
			throw SchemaError(definition.appIdRegion,
					  "app id '" + app.id + "' is already defined at " +
						  it->second.toString());
		for (std::size_t i = 0; i < app.components.size(); ++i) {
			const std::string &id = app.components[i].id;
			if (const auto it = components_.find(id); it != components_.end())
				throw SchemaError(definition.componentIdRegions[i],
						  "component id '" + id +
							  "' is already defined at " +
							  it->second.toString());
		}
	}

	void record(const AppDefinition &definition)
	{
		const App &app = definition.app;
		apps_.emplace(app.id, Origin{app.sourceFile, definition.appIdRegion.begin});
		for (std::size_t i = 0; i < app.components.size(); ++i)
			components_.emplace(
				app.components[i].id,
				Origin{app.sourceFile, definition.componentIdRegions[i].begin});
	}

private:
	std::unordered_map<std::string, Origin> apps_;
	std::unordered_map<std::string, Origin> components_;
};

} /* namespace */

LoadResult loadAppDefinitions(const std::vector<fs::path> &directories)
{
	LoadResult result;
	std::vector<App> apps;
	IdLedger ledger;

	for (const fs::path &file : definitionFiles(directories, result.errors)) {
		try {
			AppDefinition definition =
				readAppDefinition(parseTomlFile(file), file.string());
			ledger.check(definition);
			ledger.record(definition);
			apps.push_back(std::move(definition.app));
		} catch (const SchemaError &e) {
			result.errors.push_back(e.in(file.string()));
		}
	}

	result.registry = std::make_unique<Registry>(std::move(apps), result.warnings);
	return result;
}

} /* namespace plinth */

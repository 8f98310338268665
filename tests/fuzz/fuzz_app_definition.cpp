/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The app-definition reader on any document: it accepts or throws SchemaError, never crashes,
 * and whatever it accepts holds only what the service may act on.
 */
#include <cstddef>
#include <cstdint>
#include <string_view>

#include <toml++/toml.h>

#include "app_definition.h"
#include "identifier.h"
#include "require.h"
#include "toml_schema.h"
#include "unit_name.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
	using namespace plinth;

	const std::string_view text(reinterpret_cast<const char *>(data), size);
	toml::table document;
	try {
		document = toml::parse(text, std::string_view("fuzz.toml"));
	} catch (const toml::parse_error &) {
		return 0;
	}

	try {
		const AppDefinition definition = readAppDefinition(document, "fuzz.toml");
		const App &app = definition.app;
		require(isValidIdentifier(app.id));
		require(definition.componentIdRegions.size() == app.components.size());
		for (const Component &component : app.components) {
			require(isValidIdentifier(component.id));
			/* Stored as the full names the service reports. */
			require(unitNameError(component.unit).empty());
			require(mangleUnitName(component.unit) == component.unit);
			if (!component.alias.empty()) {
				require(unitNameError(component.alias).empty());
				require(mangleUnitName(component.alias) == component.alias);
			}
		}
	} catch (const SchemaError &) {
	}
	return 0;
}

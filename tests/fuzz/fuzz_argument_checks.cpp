/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The checks every app id and unit name from a bus caller goes through before anything
 * reaches systemd: the id syntax, the registry's lookups, and unit-name validation. Whatever
 * a caller sends, only a well-formed id finds an app and only a valid, declared name is managed.
 */
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <toml++/toml.h>

#include "app_definition.h"
#include "identifier.h"
#include "registry.h"
#include "require.h"
#include "unit_name.h"

namespace {

/* The id syntax spelled out once more, independently of the code under test. */
bool looksLikeId(std::string_view text)
{
	const auto lowerOrDigit = [](char c) {
		return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
	};
	if (text.empty() || !lowerOrDigit(text.front()))
		return false;
	for (char c : text) {
		if (!lowerOrDigit(c) && c != '-' && c != '_')
			return false;
	}
	return true;
}

const plinth::Registry &registry()
{
	static const plinth::Registry instance = [] {
		constexpr std::string_view definition = R"(
[app]
id = "web"
[[components]]
kind = "daemon"
id = "daemon-web"
unit = "web.service"
alias = "old-web.service"
[[components]]
kind = "related-daemon"
id = "related-daemon-web-db"
unit = "db@main.service"
)";
		std::vector<plinth::App> apps;
		apps.push_back(plinth::readAppDefinition(toml::parse(definition), "web.toml").app);
		std::vector<std::string> warnings;
		return plinth::Registry(std::move(apps), warnings);
	}();
	return instance;
}

} /* namespace */

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
	using namespace plinth;

	const std::string_view argument(reinterpret_cast<const char *>(data), size);

	require(isValidIdentifier(argument) == looksLikeId(argument));
	if (const App *app = registry().findApp(argument))
		require(isValidIdentifier(argument) && app->id == argument);

	const bool managed = registry().isManaged(argument);
	require(managed == !registry().declarersOf(argument).empty());
	if (managed)
		require(unitNameError(argument).empty());
	return 0;
}

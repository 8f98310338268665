/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config_file.h"

#include <array>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

#include "toml_schema.h"

namespace plinth {

namespace fs = std::filesystem;

namespace {

constexpr std::array<std::string_view, 10> kKeys = {
	"bus",		 "systemd-bus", "apps-dirs",	       "state-dir", "journal-dir",
	"authorization", "log-level",	"job-timeout-seconds", "locale",    "health",
};
constexpr std::array<std::string_view, 2> kHealthKeys = {"interval", "settle-delay"};

/* A job that outlives this is reported as Timeout; a day is surely a typo. */
constexpr std::int64_t kMaxJobTimeoutSeconds = 24 * 60 * 60;

/* A week between two rounds of checks, or an hour's settling, is surely a typo. */
constexpr std::int64_t kMaxHealthIntervalSeconds = 7 * 24 * 60 * 60;
constexpr std::int64_t kMaxSettleDelaySeconds = 60 * 60;

/* what names the node in messages: "'state-dir'", "each entry of 'apps-dirs'". */
std::string stringAt(const toml::node &node, std::string_view what)
{
	std::string value = valueOf<std::string>(node, what);
	if (value.empty())
		throw SchemaError(node.source(), std::string(what) + " is empty");
	return value;
}

/* A relative path in a file read by a service would depend on its working directory. */
fs::path absolutePathAt(const toml::node &node, std::string_view what)
{
	fs::path path = stringAt(node, what);
	if (path.is_relative())
		throw SchemaError(node.source(), std::string(what) +
							 " must be an absolute path, not '" +
							 path.string() + "'");
	return path;
}

template<typename Parser>
auto wordAt(const toml::node &node, std::string_view key, Parser parse)
{
	const std::string value = valueOf<std::string>(node, "'" + std::string(key) + "'");
	try {
		return parse(value);
	} catch (const std::invalid_argument &e) {
		throw SchemaError(node.source(), "'" + std::string(key) + "' " + e.what());
	}
}

std::chrono::seconds secondsAt(const toml::node &node, std::string_view what, std::int64_t min,
			       std::int64_t max)
{
	const std::int64_t seconds = valueOf<std::int64_t>(node, what);
	if (seconds < min || seconds > max)
		throw SchemaError(node.source(), std::string(what) + " must be between " +
							 std::to_string(min) + " and " +
							 std::to_string(max) + " seconds, not " +
							 std::to_string(seconds));
	return std::chrono::seconds(seconds);
}

void readHealth(const toml::node &node, Settings &settings)
{
	const toml::table &health = tableOf(node, "'health'");
	checkKeys(health, "in [health]", kHealthKeys);
	if (const toml::node *interval = health.get("interval"))
		settings.healthInterval =
			secondsAt(*interval, "'interval'", 1, kMaxHealthIntervalSeconds);
	if (const toml::node *settle = health.get("settle-delay"))
		settings.healthSettleDelay =
			secondsAt(*settle, "'settle-delay'", 0, kMaxSettleDelaySeconds);
}

Settings readSettings(const toml::table &document)
{
	checkKeys(document, "in the configuration", kKeys);

	Settings settings;
	if (const toml::node *node = document.get("bus"))
		settings.bus = wordAt(*node, "bus", parseBus);
	if (const toml::node *node = document.get("systemd-bus"))
		settings.systemdBus = wordAt(*node, "systemd-bus", parseSystemdBus);
	if (const toml::node *node = document.get("authorization"))
		settings.authorization = wordAt(*node, "authorization", parseAuthorization);
	if (const toml::node *node = document.get("log-level"))
		settings.logLevel = wordAt(*node, "log-level", parseLogLevel);

	if (const toml::node *node = document.get("apps-dirs")) {
		const toml::array &dirs = arrayOf(*node, "'apps-dirs'");
		if (dirs.empty())
			throw SchemaError(node->source(),
					  "'apps-dirs' is empty, so no app would load");
		settings.appsDirs.emplace();
		for (const toml::node &dir : dirs)
			settings.appsDirs->push_back(
				absolutePathAt(dir, "each entry of 'apps-dirs'"));
	}
	if (const toml::node *node = document.get("state-dir"))
		settings.stateDir = absolutePathAt(*node, "'state-dir'");
	if (const toml::node *node = document.get("journal-dir"))
		settings.journalDir = absolutePathAt(*node, "'journal-dir'");

	if (const toml::node *node = document.get("job-timeout-seconds")) {
		const std::int64_t seconds = valueOf<std::int64_t>(*node, "'job-timeout-seconds'");
		if (seconds < 1 || seconds > kMaxJobTimeoutSeconds)
			throw SchemaError(node->source(),
					  "'job-timeout-seconds' must be between 1 and " +
						  std::to_string(kMaxJobTimeoutSeconds) + ", not " +
						  std::to_string(seconds));
		settings.jobTimeout = std::chrono::seconds(seconds);
	}
	if (const toml::node *node = document.get("locale"))
		settings.locale = stringAt(*node, "'locale'");
	if (const toml::node *node = document.get("health"))
		readHealth(*node, settings);

	return settings;
}

} /* namespace */

Settings readConfigFile(const fs::path &file)
{
	try {
		return readSettings(parseTomlFile(file));
	} catch (const SchemaError &e) {
		throw ConfigFileError(e.in(file.string()));
	}
}

} /* namespace plinth */

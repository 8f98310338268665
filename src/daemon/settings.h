/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <spdlog/common.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace plinth {

enum class Authorization {
	/* Ask polkit for every caller but root. */
	Polkit,
	/* Allow root, refuse everyone else: for sandboxes without polkit. */
	Uid0,
	/* Allow everyone: for tests only. */
	None,
};

/* A bus to connect to: the system bus, the user's bus, or one given by its D-Bus address. */
struct BusChoice {
	enum class Type {
		System,
		/* The session bus for our own name; the user manager for systemd. */
		User,
		Address,
	};
	Type type = Type::System;
	/* Type::Address only, such as "unix:path=/run/user/0/bus". */
	std::string address;

	bool operator==(const BusChoice &) const = default;
};

/*
 * The parsers of the settings the configuration file and the command line share. Each throws
 * std::invalid_argument with the end of a sentence ("must be ..., not 'x'") that the caller
 * prefixes with the name of the option or key.
 */
/* system | session | ADDRESS */
BusChoice parseBus(std::string_view value);
/* system | user | ADDRESS */
BusChoice parseSystemdBus(std::string_view value);
Authorization parseAuthorization(std::string_view value);
spdlog::level::level_enum parseLogLevel(std::string_view value);

/* Settings one source gives; what it leaves unset falls back to the next source down. */
struct Settings {
	std::optional<BusChoice> bus;
	std::optional<BusChoice> systemdBus;
	std::optional<std::vector<std::filesystem::path>> appsDirs;
	std::optional<std::filesystem::path> stateDir;
	/* The journal directory to read logs from; unset: the system journal. */
	std::optional<std::filesystem::path> journalDir;
	std::optional<Authorization> authorization;
	std::optional<spdlog::level::level_enum> logLevel;
	/* Configuration file only. */
	std::optional<std::chrono::seconds> jobTimeout;
	std::optional<std::string> locale;
	/* [health] interval: the time between two background rounds of checks over all apps. */
	std::optional<std::chrono::seconds> healthInterval;
	/* [health] settle-delay: how long a daemon runs before its app is checked. */
	std::optional<std::chrono::seconds> healthSettleDelay;
};

} /* namespace plinth */

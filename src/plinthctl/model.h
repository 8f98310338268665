/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "check.h"

namespace plinth {

/* What the service answers, in plain types, so the output can be built and tested off the bus. */

struct AppState {
	std::string id;
	std::string name;
	bool enabled = false;
	bool running = false;
};

struct PortInfo {
	std::uint16_t port = 0;
	/* tcp4, tcp6, tcp, udp4, udp6, udp */
	std::string kind;
	/* Empty: any address. */
	std::string address;
};

struct ComponentInfo {
	std::string id;
	/* daemon, shared-daemon, related-daemon */
	std::string kind;
	std::string unit;
	bool strictCheck = false;
	/* Empty: none. */
	std::string alias;
	std::vector<PortInfo> ports;
};

struct UnitState {
	std::string unit;
	bool enabled = false;
	bool running = false;
};

struct HealthIssue {
	std::string checkId;
	/* failed, error, warning, or ignored */
	std::string result;
	std::string message;
};

/* GetAppHealth's answer for one app. */
struct AppHealthInfo {
	std::string id;
	/* ok, degraded, failed, disabled, unknown */
	std::string health;
	std::vector<HealthIssue> issues;
	/* µs since the epoch; 0: never checked. */
	std::uint64_t lastDiagnosed = 0;
};

/* An app, its components and, for status, the state of each component's unit in order. */
struct AppDetails {
	AppState app;
	std::vector<ComponentInfo> components;
	std::vector<UnitState> unitStates;
	/* For status only. */
	std::optional<AppHealthInfo> health;
};

struct ManagedUnit {
	std::string unit;
	std::string app;
	std::string component;
	bool enabled = false;
	bool running = false;
};

/* One check of DiagnoseApp; result stays a word so a newer service's results still show. */
struct DiagnosticReport {
	std::string checkId;
	std::string componentId;
	std::string result;
	std::string description;
	CheckParameters parameters;
	std::string message;
};

struct AppDiagnosis {
	std::string app;
	std::vector<DiagnosticReport> checks;
};

} /* namespace plinth */

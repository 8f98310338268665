/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <sdbus-c++/sdbus-c++.h>

#include "app.h"
#include "app_health.h"
#include "check.h"
#include "log_entry.h"

namespace plinth {

/* How core values travel on the bus, the same for the flat methods and the objects. */

/* (id, kind, unit, strict_check, alias, listen_ports (port, kind, address)) */
using ComponentRow =
	sdbus::Struct<std::string, std::string, std::string, bool, std::string,
		      std::vector<sdbus::Struct<std::uint16_t, std::string, std::string>>>;
/* (check_id, component_id, result, description, parameters, message) */
using CheckRow = sdbus::Struct<std::string, std::string, std::string, std::string,
			       std::map<std::string, sdbus::Variant>, std::string>;

/* (check_id, result, message): a health issue */
using HealthIssueRow = sdbus::Struct<std::string, std::string, std::string>;

/* (realtime µs, unit, priority, identifier, PID, message, cursor) */
using LogRow = sdbus::Struct<std::uint64_t, std::string, std::uint32_t, std::string, std::uint32_t,
			     std::string, std::string>;

std::vector<ComponentRow> componentRows(const App &app);
std::vector<CheckRow> checkRows(const std::vector<DiagnosticCheck> &checks);
std::vector<HealthIssueRow> healthIssueRows(const std::vector<HealthCheck> &issues);
std::vector<LogRow> logRows(std::vector<LogEntry> entries);

} /* namespace plinth */

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <string>
#include <vector>

#include "model.h"
#include "style.h"

namespace plinth {

/* list, enable, disable and reload: one row per app. */
std::string appListText(const std::vector<AppState> &apps, const Style &style);
/* {"apps":[{"id","name","enabled","running"}]} */
std::string appListJson(const std::vector<AppState> &apps);

/*
 * status and show: a heading per app, then its components; with unit states (status) their
 * ENABLED and RUNNING columns, without them (show) the definition: alias, strict check, ports.
 */
std::string appDetailsText(const std::vector<AppDetails> &apps, const Style &style);
/* {"apps":[APP]}; APP as appJson() writes it. */
std::string appDetailsJson(const std::vector<AppDetails> &apps);
/*
 * {"id","name","enabled","running","components":[{"id","kind","unit","strict_check","alias",
 * "listen_ports":[{"port","kind","address"}]}]}, each component with "unit_enabled" and
 * "unit_running" when the unit states are known.
 */
std::string appJson(const AppDetails &app);

/* "tcp4 8080", "udp 127.0.0.1:53", "tcp6 [::1]:443" */
std::string portText(const PortInfo &port);

} /* namespace plinth */

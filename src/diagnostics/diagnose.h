/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "app.h"
#include "check.h"
#include "component.h"
#include "listen_port.h"
#include "socket_table.h"
#include "status.h"

namespace plinth {

/* Every port the apps' port checks look at, for readSocketTables(ports). */
std::vector<std::uint16_t> listenPorts(std::span<const App> apps);

/*
 * daemon-running-<unit>, passed while systemd says the unit is active or reloading; where only
 * the daemon's alias exists, the alias is the unit checked (status.daemonUnit()). A unit
 * whose LoadState is not-found does not run: failed, with the parameter "reason" saying that
 * it does not exist. A unit systemd never reported on cannot be checked: error, with the
 * parameter "error" saying why.
 */
DiagnosticCheck diagnoseRunning(const Component &component, const StatusQueries &status,
				const Translator &translator);

/*
 * daemon-listening-<kind>-<port>, or daemon-listening-address-<kind>-<port>-<address>. When the
 * snapshot could not read the port's table, the result is error and the parameter "error"
 * says why.
 */
DiagnosticCheck diagnosePort(const std::string &componentId, const ListenPort &port,
			     const SocketSnapshot &snapshot, const Translator &translator);

} /* namespace plinth */

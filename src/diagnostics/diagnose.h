/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "app.h"
#include "check.h"
#include "component.h"
#include "listen_port.h"
#include "socket_table.h"
#include "status.h"

namespace plinth {

/* Every port the apps' checks look at, for readSocketTables(ports). */
std::vector<std::uint16_t> listenPorts(std::span<const App> apps);

/*
 * daemon-listening-<kind>-<port>, or daemon-listening-address-<kind>-<port>-<address>. When the
 * snapshot could not read the port's table, the result is error and the parameter "error"
 * says why.
 */
DiagnosticCheck diagnosePort(const std::string &componentId, const ListenPort &port,
			     const SocketSnapshot &snapshot, const Translator &translate = {});

/*
 * Daemon, SharedDaemon: daemon-running-<unit>, then one check per listen port, in declaration
 * order. RelatedDaemon: nothing, as in the reference.
 */
std::vector<DiagnosticCheck> diagnoseComponent(const Component &component, bool running,
					       const SocketSnapshot &snapshot,
					       const Translator &translate = {});

/* Every component of the app, in order, running as the status says. */
std::vector<DiagnosticCheck> diagnoseApp(const App &app, const StatusQueries &status,
					 const SocketSnapshot &snapshot,
					 const Translator &translate = {});

} /* namespace plinth */

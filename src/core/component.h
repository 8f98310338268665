/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "listen_port.h"

namespace plinth {

/*
 * Daemon: the app's leader; enabling the app enables it.
 * SharedDaemon: enabled with the app, but disabled only when no other enabled app shares it;
 *   it does not decide whether its app is enabled.
 * RelatedDaemon: never enabled or disabled with the app; declaring it only makes the unit
 *   operable through the unit methods.
 */
enum class ComponentKind {
	Daemon,
	SharedDaemon,
	RelatedDaemon,
};

std::string_view componentKindName(ComponentKind kind);
std::optional<ComponentKind> parseComponentKind(std::string_view name);

struct Component {
	std::string id;
	ComponentKind kind = ComponentKind::Daemon;
	std::string unit;
	/* Only `enabled` counts as enabled, not enabled-runtime, static, ... */
	bool strictCheck = false;
	/* Another name of the same unit file, typically its name before a rename; may be empty. */
	std::string alias;
	std::vector<ListenPort> listenPorts;

	bool isLeader() const { return kind == ComponentKind::Daemon; }
	/* Daemon and SharedDaemon follow their app; RelatedDaemon does not. */
	bool followsApp() const { return kind != ComponentKind::RelatedDaemon; }
};

} /* namespace plinth */

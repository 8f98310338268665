/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <algorithm>
#include <string>
#include <vector>

#include "component.h"
#include "connect_check_spec.h"

namespace plinth {

struct App {
	std::string id;
	/* Human-readable name; falls back to the id when the definition has none. */
	std::string name;
	/* Apps this one needs; the registry orders them first. */
	std::vector<std::string> depends;
	/* Enabled in this order, disabled in reverse. */
	std::vector<Component> components;
	/* The definition file the app came from, for messages. */
	std::string sourceFile;
	/* Diagnosed after the components, in this order. */
	std::vector<ConnectCheckSpec> checks;

	/*
	 * An app without a Daemon has nothing in systemd that says whether it is enabled, so its
	 * state is recorded by the service instead.
	 */
	bool hasLeader() const
	{
		return std::any_of(components.begin(), components.end(),
				   [](const Component &c) { return c.isLeader(); });
	}
};

} /* namespace plinth */

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <algorithm>
#include <set>
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

	/* Every unit the app declares, aliases included, each once, in name order. */
	std::vector<std::string> declaredUnits() const
	{
		std::set<std::string> units;
		for (const Component &component : components) {
			units.insert(component.unit);
			if (!component.alias.empty())
				units.insert(component.alias);
		}
		return {units.begin(), units.end()};
	}
};

} /* namespace plinth */

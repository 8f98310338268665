/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "app.h"

namespace plinth {

struct ComponentRef {
	const App *app = nullptr;
	const Component *component = nullptr;
};

struct ManagedUnit {
	std::string unit;
	std::string appId;
	std::string componentId;
};

/*
 * The apps the service knows, in dependency order. A registry never changes once built: a
 * reload builds a new one, so references into it stay valid while it lives.
 */
class Registry
{
public:
	Registry() = default;
	/*
	 * Apps come in load order with unique app and component ids (the loader guarantees it).
	 * Problems that do not stop an app from loading, such as a dependency on an unknown app
	 * or a dependency cycle, are appended to warnings.
	 */
	Registry(std::vector<App> apps, std::vector<std::string> &warnings);

	Registry(const Registry &) = delete;
	Registry &operator=(const Registry &) = delete;

	const std::vector<App> &apps() const { return apps_; }
	const App *findApp(std::string_view id) const;
	std::optional<ComponentRef> findComponent(std::string_view id) const;

	/* The components that declare unit, as their unit or their alias. */
	const std::vector<ComponentRef> &declarersOf(std::string_view unit) const;
	bool isManaged(std::string_view unit) const;
	/*
	 * The one app a unit belongs to: the app that declares it as a Daemon (its unit or
	 * alias) when no other app declares it as a Daemon or SharedDaemon. nullptr for a unit
	 * shared between apps, declared only as a SharedDaemon or RelatedDaemon, or unmanaged.
	 * Another app's RelatedDaemon on the unit does not share it: that app uses the unit,
	 * the owner runs it (a web server, for the web apps it serves).
	 */
	const App *ownerOf(std::string_view unit) const;
	/* One row per declaration, in app and component order, unit before alias. */
	std::vector<ManagedUnit> managedUnits() const;

private:
	void index();

	std::vector<App> apps_;
	std::unordered_map<std::string_view, std::size_t> appIndex_;
	std::unordered_map<std::string_view, ComponentRef> componentIndex_;
	std::unordered_map<std::string_view, std::vector<ComponentRef>> unitIndex_;
};

} /* namespace plinth */

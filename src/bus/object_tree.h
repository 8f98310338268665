/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <map>
#include <memory>
#include <set>
#include <string>

#include <sdbus-c++/sdbus-c++.h>
#include <systemd/sd-bus.h>

#include "app_catalog.h"
#include "app_object.h"
#include "change_coalescer.h"
#include "health_monitor.h"
#include "unit_object.h"

namespace plinth {

class MethodCalls;

/*
 * org.freedesktop.DBus.ObjectManager at /org/freedesktop/Plinth/Daemons with an App object
 * per app and a Unit object per managed unit. It follows the AppCatalog: a state change,
 * whoever made it, marks the objects it touches, and one flush per loop iteration announces
 * each object's changed properties in one PropertiesChanged; a reload adds and removes
 * objects with InterfacesAdded and InterfacesRemoved, in an order clients can rely on: all
 * InterfacesAdded first, then the PropertiesChanged of the objects that stay, then all
 * InterfacesRemoved: a PropertiesChanged names only objects announced, and once an object's
 * InterfacesRemoved arrives no other object names it (an app renamed is removed and added
 * again at once). Until systemd has answered for every unit of the first load, the objects
 * are exported for their methods but not listed or announced, and their state properties
 * refuse to be read. The object manager is its own, not sd-bus's, so that
 * GetManagedObjects is cheap to answer and small on the bus.
 */
class ObjectTree
{
public:
	/* Exports the objects; they are listed and announced once the states are known. */
	ObjectTree(sdbus::IConnection &bus, AppCatalog &apps, HealthMonitor &health,
		   MethodCalls &calls, ChangeCoalescer::Post post);
	~ObjectTree();
	ObjectTree(const ObjectTree &) = delete;
	ObjectTree &operator=(const ObjectTree &) = delete;

private:
	struct SlotUnref {
		void operator()(sd_bus_slot *slot) const { sd_bus_slot_unref(slot); }
	};

	/* sd-bus's raw callback for every call to the manager's path. */
	static int onManagerCall(sd_bus_message *call, void *tree, sd_bus_error *error);
	/* GetManagedObjects from the objects' own values, with nothing but their interface. */
	void answerManagedObjects(const sdbus::MethodCall &call) const;
	void flush(const std::set<std::string> &paths);
	/* Brings the objects in line with the registry the AppCatalog serves now. */
	void sync();
	/* The app's states with its health. */
	AppObject::State appState(const App &app, const StatusQueries &status) const;

	sdbus::IConnection &bus_;
	AppCatalog &apps_;
	HealthMonitor &health_;
	MethodCalls &calls_;
	std::unique_ptr<sdbus::IObject> manager_;
	/* A message of the bus, kept to reach the sd-bus connection under sdbus-c++. */
	const sdbus::Signal busProbe_;
	std::unique_ptr<sd_bus_slot, SlotUnref> managedObjectsSlot_;
	/* Keyed by object path. */
	std::map<std::string, std::unique_ptr<AppObject>> appObjects_;
	std::map<std::string, std::unique_ptr<UnitObject>> unitObjects_;
	ChangeCoalescer changes_;
	AppCatalog::AppStateListeners::Subscription appStateSubscription_;
	AppCatalog::UnitStateListeners::Subscription unitStateSubscription_;
	AppCatalog::ReloadListeners::Subscription reloadSubscription_;
	HealthMonitor::AppListeners::Subscription healthSubscription_;
	bool statesKnown_ = false;
	/* Lets the wait for the first states end quietly when the tree is gone first. */
	std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

} /* namespace plinth */

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "object_tree.h"

#include <spdlog/spdlog.h>

#include <cstring>

#include "object_path.h"
#include "raw_message.h"

namespace plinth {

namespace {

constexpr const char *kObjectManagerInterface = "org.freedesktop.DBus.ObjectManager";
constexpr const char *kAppInterface =
	org::freedesktop::Plinth::Daemons::App_adaptor::INTERFACE_NAME;
constexpr const char *kUnitInterface =
	org::freedesktop::Plinth::Daemons::Unit_adaptor::INTERFACE_NAME;

/*
 * Each object announced as GetManagedObjects lists it: {path: {interface: {property:
 * value}}}.
 */
template<typename Objects>
void writeEntries(sdbus::Message &message, const Objects &objects)
{
	for (const auto &[path, object] : objects) {
		if (!object->known())
			continue;
		message.openDictEntry("oa{sa{sv}}");
		message << sdbus::ObjectPath(path);
		object->writeInterfaces(message);
		message.closeDictEntry();
	}
}

/* InterfacesAdded with exactly what GetManagedObjects says of the object. */
template<typename Object>
void announceAdded(sdbus::IObject &manager, const std::string &path, const Object &object)
{
	sdbus::Signal signal = manager.createSignal(kObjectManagerInterface, "InterfacesAdded");
	signal << sdbus::ObjectPath(path);
	object.writeInterfaces(signal);
	manager.emitSignal(signal);
}

void announceRemoved(sdbus::IObject &manager, const std::string &path, const char *interface)
{
	manager.emitSignal("InterfacesRemoved")
		.onInterface(kObjectManagerInterface)
		.withArguments(sdbus::ObjectPath(path), std::vector<std::string>{interface});
}

/* Removes the objects whose paths are not wanted any more; those announced, announced. */
template<typename Objects, typename Wanted>
void removeGone(sdbus::IObject &manager, Objects &objects, const Wanted &wanted,
		const char *interface)
{
	for (auto it = objects.begin(); it != objects.end();) {
		if (wanted.count(it->first)) {
			++it;
			continue;
		}
		if (it->second->known())
			announceRemoved(manager, it->first, interface);
		it = objects.erase(it);
	}
}

} /* namespace */

ObjectTree::ObjectTree(sdbus::IConnection &bus, AppCatalog &apps, HealthMonitor &health,
		       MethodCalls &calls, ChangeCoalescer::Post post)
	: bus_(bus), apps_(apps), health_(health), calls_(calls),
	  manager_(sdbus::createObject(bus, kObjectManagerPath)),
	  busProbe_(manager_->createSignal(kObjectManagerInterface, "InterfacesAdded")),
	  changes_(
		  std::move(post), [this](const std::set<std::string> &paths) { flush(paths); },
		  /* An app's state follows from its units': theirs is announced first. */
		  [this](const std::string &path) { return unitObjects_.contains(path); })
{
	/* sd-bus's object manager stays for introspection; its answer is never used. */
	manager_->addObjectManager();
	manager_->finishRegistration();
	/*
	 * sd-bus runs a path's raw object callbacks before its vtables and its built-in
	 * GetManagedObjects, which would walk every property callback of every object and list
	 * the standard interfaces; sd-bus refuses a vtable for a standard interface.
	 */
	sd_bus_slot *slot = nullptr;
	const int r = sd_bus_add_object(sd_bus_message_get_bus(RawMessage::of(busProbe_)), &slot,
					kObjectManagerPath, &ObjectTree::onManagerCall, this);
	if (r < 0)
		throw sdbus::Error("org.freedesktop.DBus.Error.Failed",
				   std::string("cannot serve GetManagedObjects: ") +
					   std::strerror(-r));
	managedObjectsSlot_.reset(slot);
	sync();

	appStateSubscription_ = apps_.onAppStateChanged(
		[this](const std::string &app, bool, bool) { changes_.mark(appObjectPath(app)); });
	unitStateSubscription_ =
		apps_.onUnitStateChanged([this](const std::string &unit, const UnitState &) {
			changes_.mark(unitObjectPath(unit));
		});
	reloadSubscription_ = apps_.onReloaded([this] { sync(); });
	healthSubscription_ = health_.onAppHealthChanged(
		[this](const std::string &app) { changes_.mark(appObjectPath(app)); });

	/*
	 * An object that said Enabled=false or ActiveState "" while systemd had not answered
	 * yet would say what is not so: the objects are exported at once, for their methods
	 * (which wait for the states), but listed and announced only with their states.
	 */
	apps_.whenStatesKnown([this, alive = std::weak_ptr<bool>(alive_)] {
		if (!alive.lock())
			return;
		statesKnown_ = true;
		sync();
	});
}

ObjectTree::~ObjectTree()
{
	managedObjectsSlot_.reset();
	unitObjects_.clear();
	appObjects_.clear();
	manager_->unregister();
}

int ObjectTree::onManagerCall(sd_bus_message *call, void *tree, sd_bus_error *error)
{
	/* Anything else, arguments given too, goes on to sd-bus, which answers or refuses it. */
	if (!sd_bus_message_is_method_call(call, kObjectManagerInterface, "GetManagedObjects") ||
	    !sd_bus_message_has_signature(call, ""))
		return 0;
	auto *self = static_cast<ObjectTree *>(tree);
	try {
		self->answerManagedObjects(RawMethodCall(call, self->busProbe_));
	} catch (const sdbus::Error &e) {
		return sd_bus_error_set(error, e.getName().c_str(), e.getMessage().c_str());
	} catch (const std::exception &e) {
		/* Nothing may be thrown through sd-bus's C code. */
		return sd_bus_error_set(error, SD_BUS_ERROR_FAILED, e.what());
	}
	return 1;
}

void ObjectTree::answerManagedObjects(const sdbus::MethodCall &call) const
{
	sdbus::MethodReply reply = call.createReply();
	reply.openContainer("{oa{sa{sv}}}");
	writeEntries(reply, appObjects_);
	writeEntries(reply, unitObjects_);
	reply.closeContainer();
	reply.send();
}

void ObjectTree::flush(const std::set<std::string> &paths)
{
	const StatusQueries status = apps_.status();
	/*
	 * Units before apps: an app's state follows from its units', so a client that reads a
	 * unit when its app's change arrives finds the unit's new state already.
	 */
	for (const std::string &path : paths) {
		if (const auto unit = unitObjects_.find(path);
		    unit != unitObjects_.end() && unit->second->known())
			unit->second->update(UnitObject::stateOf(unit->second->name(), status));
	}
	for (const std::string &path : paths) {
		if (const auto app = appObjects_.find(path);
		    app != appObjects_.end() && app->second->known()) {
			const App *definition = status.registry().findApp(app->second->id());
			if (definition)
				app->second->update(appState(*definition, status));
		}
	}
}

void ObjectTree::sync()
{
	const StatusQueries status = apps_.status();
	std::map<std::string, const App *> apps;
	for (const App &app : status.registry().apps())
		apps.emplace(appObjectPath(app.id), &app);
	std::map<std::string, std::string> units;
	for (ManagedUnit &managed : status.registry().managedUnits())
		units.emplace(unitObjectPath(managed.unit), std::move(managed.unit));

	/*
	 * The order clients rely on: whatever comes, then what changes, then whatever goes. An
	 * object is announced with its first states, never before they are known.
	 */
	std::vector<std::pair<AppObject *, const App *>> keptApps;
	for (const auto &[path, app] : apps) {
		std::unique_ptr<AppObject> &object = appObjects_[path];
		/* An app renamed is another object to clients: Name never changes on one object. */
		if (object && object->name() != app->name) {
			if (object->known())
				announceRemoved(*manager_, path, kAppInterface);
			object.reset();
		}
		if (!object)
			object = std::make_unique<AppObject>(bus_, calls_, *app);
		if (object->known()) {
			keptApps.emplace_back(object.get(), app);
		} else if (statesKnown_) {
			object->update(appState(*app, status));
			announceAdded(*manager_, path, *object);
		}
	}
	std::vector<UnitObject *> keptUnits;
	for (const auto &[path, unit] : units) {
		std::unique_ptr<UnitObject> &object = unitObjects_[path];
		if (!object)
			object = std::make_unique<UnitObject>(bus_, calls_, unit);
		if (object->known()) {
			keptUnits.push_back(object.get());
		} else if (statesKnown_) {
			object->update(UnitObject::stateOf(unit, status));
			announceAdded(*manager_, path, *object);
		}
	}

	for (const auto &[object, app] : keptApps)
		object->update(appState(*app, status));
	for (UnitObject *object : keptUnits)
		object->update(UnitObject::stateOf(object->name(), status));

	removeGone(*manager_, appObjects_, apps, kAppInterface);
	removeGone(*manager_, unitObjects_, units, kUnitInterface);
}

AppObject::State ObjectTree::appState(const App &app, const StatusQueries &status) const
{
	AppObject::State state = AppObject::stateOf(app, status);
	state.health = health_.health(app.id);
	return state;
}

} /* namespace plinth */

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "object_tree.h"

#include <spdlog/spdlog.h>

#include <cstring>

#include "object_path.h"
#include "raw_message.h"

namespace plinth {

namespace {

constexpr const char *kObjectManagerInterface = "org.freedesktop.DBus.ObjectManager";

/* Each object as GetManagedObjects lists it: {path: {interface: {property: value}}}. */
template<typename Objects>
void writeEntries(sdbus::Message &message, const Objects &objects)
{
	for (const auto &[path, object] : objects) {
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

} /* namespace */

ObjectTree::ObjectTree(sdbus::IConnection &bus, AppManager &apps, HealthMonitor &health,
		       Requests &requests, ChangeCoalescer::Post post)
	: bus_(bus), apps_(apps), health_(health), requests_(requests),
	  manager_(sdbus::createObject(bus, kObjectManagerPath)),
	  busProbe_(manager_->createSignal(kObjectManagerInterface, "InterfacesAdded")),
	  changes_(std::move(post), [this](const std::set<std::string> &paths) { flush(paths); })
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
	sync(false);

	appStateSubscription_ = apps_.onAppStateChanged(
		[this](const std::string &app, bool, bool) { changes_.mark(appObjectPath(app)); });
	unitStateSubscription_ =
		apps_.onUnitStateChanged([this](const std::string &unit, const UnitState &) {
			changes_.mark(unitObjectPath(unit));
		});
	reloadSubscription_ = apps_.onReloaded([this] { sync(true); });
	healthSubscription_ = health_.onAppHealthChanged(
		[this](const std::string &app) { changes_.mark(appObjectPath(app)); });

	/* Objects exported before systemd's first answers learn their states with them. */
	apps_.whenStatesKnown([this, alive = std::weak_ptr<bool>(alive_)] {
		if (alive.lock())
			markAll();
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

void ObjectTree::markAll()
{
	for (const auto &entry : appObjects_)
		changes_.mark(entry.first);
	for (const auto &entry : unitObjects_)
		changes_.mark(entry.first);
}

void ObjectTree::flush(const std::set<std::string> &paths)
{
	const StatusQueries status = apps_.status();
	for (const std::string &path : paths) {
		if (const auto app = appObjects_.find(path); app != appObjects_.end()) {
			const App *definition = status.registry().findApp(app->second->id());
			if (definition)
				app->second->update(appState(*definition, status));
		} else if (const auto unit = unitObjects_.find(path); unit != unitObjects_.end()) {
			unit->second->update(UnitObject::stateOf(unit->second->name(), status));
		}
	}
}

void ObjectTree::sync(bool announce)
{
	const StatusQueries status = apps_.status();
	syncApps(status, announce);
	syncUnits(status, announce);
}

void ObjectTree::syncApps(const StatusQueries &status, bool announce)
{
	std::map<std::string, const App *> wanted;
	for (const App &app : status.registry().apps())
		wanted.emplace(appObjectPath(app.id), &app);

	/* An app renamed is another object to clients: Name never changes on one object. */
	for (auto it = appObjects_.begin(); it != appObjects_.end();) {
		const auto app = wanted.find(it->first);
		if (app != wanted.end() && app->second->name == it->second->name()) {
			++it;
			continue;
		}
		if (announce)
			announceRemoved(
				*manager_, it->first,
				org::freedesktop::Plinth::Daemons::App_adaptor::INTERFACE_NAME);
		it = appObjects_.erase(it);
	}

	for (const auto &[path, app] : wanted) {
		auto &object = appObjects_[path];
		if (object) {
			object->update(appState(*app, status));
			continue;
		}
		object = std::make_unique<AppObject>(bus_, requests_, *app, appState(*app, status));
		if (announce)
			announceAdded(*manager_, path, *object);
	}
}

void ObjectTree::syncUnits(const StatusQueries &status, bool announce)
{
	std::set<std::string> wanted;
	for (const ManagedUnit &managed : status.registry().managedUnits())
		wanted.insert(managed.unit);

	for (auto it = unitObjects_.begin(); it != unitObjects_.end();) {
		if (wanted.count(it->second->name())) {
			++it;
			continue;
		}
		if (announce)
			announceRemoved(
				*manager_, it->first,
				org::freedesktop::Plinth::Daemons::Unit_adaptor::INTERFACE_NAME);
		it = unitObjects_.erase(it);
	}

	for (const std::string &unit : wanted) {
		auto &object = unitObjects_[unitObjectPath(unit)];
		if (object) {
			object->update(UnitObject::stateOf(unit, status));
			continue;
		}
		object = std::make_unique<UnitObject>(bus_, requests_, unit,
						      UnitObject::stateOf(unit, status));
		if (announce)
			announceAdded(*manager_, unitObjectPath(unit), *object);
	}
}

AppObject::State ObjectTree::appState(const App &app, const StatusQueries &status) const
{
	AppObject::State state = AppObject::stateOf(app, status);
	state.health = health_.health(app.id);
	return state;
}

} /* namespace plinth */

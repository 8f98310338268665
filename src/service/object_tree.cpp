/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "object_tree.h"

#include <spdlog/spdlog.h>

#include "object_path.h"

namespace plinth {

ObjectTree::ObjectTree(sdbus::IConnection &bus, AppManager &apps, Requests &requests,
		       ChangeCoalescer::Post post)
	: bus_(bus), apps_(apps), requests_(requests),
	  manager_(sdbus::createObject(bus, kObjectManagerPath)),
	  changes_(std::move(post), [this](const std::set<std::string> &paths) { flush(paths); })
{
	manager_->addObjectManager();
	manager_->finishRegistration();
	sync(false);

	appStateSubscription_ = apps_.onAppStateChanged(
		[this](const std::string &app, bool, bool) { changes_.mark(appObjectPath(app)); });
	unitStateSubscription_ =
		apps_.onUnitStateChanged([this](const std::string &unit, const UnitState &) {
			changes_.mark(unitObjectPath(unit));
		});
	reloadSubscription_ = apps_.onReloaded([this] { sync(true); });

	/* Objects exported before systemd's first answers learn their states with them. */
	apps_.whenStatesKnown([this, alive = std::weak_ptr<bool>(alive_)] {
		if (alive.lock())
			markAll();
	});
}

ObjectTree::~ObjectTree()
{
	unitObjects_.clear();
	appObjects_.clear();
	manager_->unregister();
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
				app->second->update(AppObject::stateOf(*definition, status));
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
			it->second->emitInterfacesRemovedSignal();
		it = appObjects_.erase(it);
	}

	for (const auto &[path, app] : wanted) {
		auto &object = appObjects_[path];
		if (object) {
			object->update(AppObject::stateOf(*app, status));
			continue;
		}
		object = std::make_unique<AppObject>(bus_, requests_, *app,
						     AppObject::stateOf(*app, status));
		if (announce)
			object->emitInterfacesAddedSignal();
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
			it->second->emitInterfacesRemovedSignal();
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
			object->emitInterfacesAddedSignal();
	}
}

} /* namespace plinth */

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "app_object.h"

#include <algorithm>

#include "bus_error.h"
#include "caller.h"
#include "interface_writer.h"
#include "method_calls.h"
#include "object_path.h"

namespace plinth {

namespace {

void addOnce(std::vector<sdbus::ObjectPath> &paths, const std::string &unit)
{
	sdbus::ObjectPath path(unitObjectPath(unit));
	if (std::find(paths.begin(), paths.end(), path) == paths.end())
		paths.push_back(std::move(path));
}

} /* namespace */

AppObject::State AppObject::stateOf(const App &app, const StatusQueries &status)
{
	State state{app.depends,
		    status.isAppEnabled(app),
		    status.isAppRunning(app),
		    componentRows(app),
		    {},
		    {}};
	for (const Component &component : app.components) {
		addOnce(state.units, component.unit);
		if (!component.alias.empty())
			addOnce(state.units, component.alias);
	}
	return state;
}

AppObject::AppObject(sdbus::IConnection &bus, MethodCalls &calls, const App &app)
	: AdaptorInterfaces(bus, appObjectPath(app.id)), calls_(calls), id_(app.id), name_(app.name)
{
	registerAdaptor();
}

AppObject::~AppObject()
{
	unregisterAdaptor();
}

const AppObject::State &AppObject::state() const
{
	if (!state_)
		throw stateNotKnownYet(getObjectPath());
	return *state_;
}

void AppObject::update(State state)
{
	if (!state_) {
		state_ = std::move(state);
		return;
	}
	std::vector<std::string> changed;
	if (state.depends != state_->depends)
		changed.emplace_back("Depends");
	if (state.enabled != state_->enabled)
		changed.emplace_back("Enabled");
	if (state.running != state_->running)
		changed.emplace_back("Running");
	if (state.components != state_->components)
		changed.emplace_back("Components");
	if (state.units != state_->units)
		changed.emplace_back("Units");
	if (state.health.state != state_->health.state)
		changed.emplace_back("Health");
	if (state.health.issues != state_->health.issues)
		changed.emplace_back("HealthIssues");
	if (state.health.lastDiagnosed != state_->health.lastDiagnosed)
		changed.emplace_back("LastDiagnosed");
	state_ = std::move(state);
	if (!changed.empty())
		emitPropertiesChangedSignal(App_adaptor::INTERFACE_NAME, changed);
}

void AppObject::writeInterfaces(sdbus::Message &message) const
{
	InterfaceWriter(message, App_adaptor::INTERFACE_NAME)
		.property("Id", id_)
		.property("Name", name_)
		.property("Depends", state_->depends)
		.property("Enabled", state_->enabled)
		.property("Running", state_->running)
		.property("Components", state_->components)
		.property("Units", state_->units)
		.property("Health", std::string(healthStateName(state_->health.state)))
		.property("HealthIssues", healthIssueRows(state_->health.issues))
		.property("LastDiagnosed", state_->health.lastDiagnosed)
		.finish();
}

void AppObject::Enable(sdbus::Result<> &&result)
{
	calls_.request(getObject(), std::move(result), &Requests::enableApp, id_);
}

void AppObject::Disable(sdbus::Result<> &&result)
{
	calls_.request(getObject(), std::move(result), &Requests::disableApp, id_);
}

void AppObject::Diagnose(sdbus::Result<std::vector<CheckRow>> &&result)
{
	calls_.request(getObject(), std::move(result), &ReadRequests::diagnoseApp, id_);
}

void AppObject::Repair(sdbus::Result<std::vector<CheckRow>> &&result)
{
	calls_.request(getObject(), std::move(result), &Requests::repairApp, id_);
}

void AppObject::GetLogs(sdbus::Result<std::vector<LogRow>> &&result, std::uint32_t lines,
			std::string afterCursor)
{
	calls_.request(getObject(), std::move(result), &ReadRequests::appLogs, id_, lines,
		       std::move(afterCursor));
}

void AppObject::FollowLogs(sdbus::Result<sdbus::UnixFd> &&result, std::string afterCursor)
{
	calls_.request(getObject(), std::move(result), &ReadRequests::followAppLogs, id_,
		       std::move(afterCursor));
}

} /* namespace plinth */

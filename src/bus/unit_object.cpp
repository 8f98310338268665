/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "unit_object.h"

#include <algorithm>
#include <chrono>

#include "bus_error.h"
#include "caller.h"
#include "interface_writer.h"
#include "method_calls.h"
#include "object_path.h"

namespace plinth {

namespace {

std::uint64_t realtimeMicroseconds()
{
	return std::chrono::duration_cast<std::chrono::microseconds>(
		       std::chrono::system_clock::now().time_since_epoch())
		.count();
}

} /* namespace */

UnitObject::State UnitObject::stateOf(const std::string &unit, const StatusQueries &status)
{
	State state{{},
		    {},
		    status.unitState(unit),
		    status.isUnitEnabled(unit),
		    status.isUnitRunning(unit)};
	for (const ComponentRef &ref : status.registry().declarersOf(unit)) {
		sdbus::ObjectPath app(appObjectPath(ref.app->id));
		state.declarations.emplace_back(app, ref.component->id,
						std::string(componentKindName(ref.component->kind)),
						ref.component->unit != unit);
		if (std::find(state.apps.begin(), state.apps.end(), app) == state.apps.end())
			state.apps.push_back(std::move(app));
	}
	return state;
}

UnitObject::UnitObject(sdbus::IConnection &bus, MethodCalls &calls, std::string unit)
	: AdaptorInterfaces(bus, unitObjectPath(unit)), calls_(calls), name_(std::move(unit))
{
	registerAdaptor();
}

UnitObject::~UnitObject()
{
	unregisterAdaptor();
}

const UnitObject::State &UnitObject::state() const
{
	if (!state_)
		throw stateNotKnownYet(getObjectPath());
	return *state_;
}

void UnitObject::update(State state)
{
	if (!state_) {
		state_ = std::move(state);
		changedAt_ = realtimeMicroseconds();
		return;
	}
	std::vector<std::string> changed;
	if (state.apps != state_->apps)
		changed.emplace_back("Apps");
	if (state.declarations != state_->declarations)
		changed.emplace_back("Declarations");
	if (state.unit.loadState != state_->unit.loadState)
		changed.emplace_back("LoadState");
	if (state.unit.activeState != state_->unit.activeState)
		changed.emplace_back("ActiveState");
	if (state.unit.subState != state_->unit.subState)
		changed.emplace_back("SubState");
	if (state.unit.unitFileState != state_->unit.unitFileState)
		changed.emplace_back("UnitFileState");
	if (state.enabled != state_->enabled)
		changed.emplace_back("Enabled");
	if (state.running != state_->running)
		changed.emplace_back("Running");
	if (state.unit != state_->unit) {
		changedAt_ = realtimeMicroseconds();
		changed.emplace_back("StateChangeTimestamp");
	}
	state_ = std::move(state);
	if (!changed.empty())
		emitPropertiesChangedSignal(Unit_adaptor::INTERFACE_NAME, changed);
}

void UnitObject::writeInterfaces(sdbus::Message &message) const
{
	InterfaceWriter(message, Unit_adaptor::INTERFACE_NAME)
		.property("Name", name_)
		.property("Apps", state_->apps)
		.property("Declarations", state_->declarations)
		.property("LoadState", state_->unit.loadState)
		.property("ActiveState", state_->unit.activeState)
		.property("SubState", state_->unit.subState)
		.property("UnitFileState", state_->unit.unitFileState)
		.property("Enabled", state_->enabled)
		.property("Running", state_->running)
		.property("StateChangeTimestamp", changedAt_)
		.finish();
}

void UnitObject::runVerb(sdbus::Result<> &&result, UnitVerb verb)
{
	calls_.request(getObject(), std::move(result), &Requests::runUnitVerb, verb, name_);
}

void UnitObject::Start(sdbus::Result<> &&result)
{
	runVerb(std::move(result), UnitVerb::Start);
}

void UnitObject::Stop(sdbus::Result<> &&result)
{
	runVerb(std::move(result), UnitVerb::Stop);
}

void UnitObject::Restart(sdbus::Result<> &&result)
{
	runVerb(std::move(result), UnitVerb::Restart);
}

void UnitObject::TryRestart(sdbus::Result<> &&result)
{
	runVerb(std::move(result), UnitVerb::TryRestart);
}

void UnitObject::Reload(sdbus::Result<> &&result)
{
	runVerb(std::move(result), UnitVerb::Reload);
}

void UnitObject::TryReloadOrRestart(sdbus::Result<> &&result)
{
	runVerb(std::move(result), UnitVerb::TryReloadOrRestart);
}

void UnitObject::Enable(sdbus::Result<> &&result)
{
	runVerb(std::move(result), UnitVerb::Enable);
}

void UnitObject::Disable(sdbus::Result<> &&result)
{
	runVerb(std::move(result), UnitVerb::Disable);
}

void UnitObject::Mask(sdbus::Result<> &&result)
{
	runVerb(std::move(result), UnitVerb::Mask);
}

void UnitObject::Unmask(sdbus::Result<> &&result)
{
	runVerb(std::move(result), UnitVerb::Unmask);
}

void UnitObject::ResetFailed(sdbus::Result<> &&result)
{
	runVerb(std::move(result), UnitVerb::ResetFailed);
}

void UnitObject::GetStatus(sdbus::Result<std::map<std::string, sdbus::Variant>> &&result)
{
	calls_.request(getObject(), std::move(result), &ReadRequests::unitStatus, name_);
}

void UnitObject::GetLogs(sdbus::Result<std::vector<LogRow>> &&result, std::uint32_t lines,
			 std::string afterCursor)
{
	calls_.request(getObject(), std::move(result), &ReadRequests::unitLogs, name_, lines,
		       std::move(afterCursor));
}

void UnitObject::FollowLogs(sdbus::Result<sdbus::UnixFd> &&result, std::string afterCursor)
{
	calls_.request(getObject(), std::move(result), &ReadRequests::followUnitLogs, name_,
		       std::move(afterCursor));
}

} /* namespace plinth */

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <sdbus-c++/sdbus-c++.h>

#include "app_adaptor_glue.h"
#include "app_health.h"
#include "bus_values.h"
#include "registry.h"
#include "status.h"

namespace plinth {

class MethodCalls;

/*
 * org.freedesktop.Plinth.Daemons.App on /org/freedesktop/Plinth/Daemons/app/<id>. Its
 * properties are what it last announced, so that GetManagedObjects, Get and the signals
 * always agree, and none but Id and Name before its first State; its methods are the flat
 * interface's, through the same MethodCalls.
 */
class AppObject final
	: public sdbus::AdaptorInterfaces<org::freedesktop::Plinth::Daemons::App_adaptor,
					  sdbus::Properties_adaptor>
{
public:
	/* The properties that may change on one object. */
	struct State {
		std::vector<std::string> depends;
		bool enabled = false;
		bool running = false;
		std::vector<ComponentRow> components;
		std::vector<sdbus::ObjectPath> units;
		/* Kept by the HealthMonitor, which stateOf() knows nothing of. */
		AppHealth health;
	};

	static State stateOf(const App &app, const StatusQueries &status);

	/* Exports the object; reading a State property fails until the first update(). */
	AppObject(sdbus::IConnection &bus, MethodCalls &calls, const App &app);
	~AppObject();

	const std::string &id() const { return id_; }
	const std::string &name() const { return name_; }
	bool known() const { return state_.has_value(); }

	/*
	 * Takes the new values and announces those that changed in one PropertiesChanged. The
	 * first are no change: the ObjectTree announces them with the object (InterfacesAdded).
	 */
	void update(State state);

	/* Its interface and every property, for GetManagedObjects and InterfacesAdded; known. */
	void writeInterfaces(sdbus::Message &message) const;

private:
	void Enable(sdbus::Result<> &&result) override;
	void Disable(sdbus::Result<> &&result) override;
	void Diagnose(sdbus::Result<std::vector<CheckRow>> &&result) override;
	void Repair(sdbus::Result<std::vector<CheckRow>> &&result) override;
	void GetLogs(sdbus::Result<std::vector<LogRow>> &&result, std::uint32_t lines,
		     std::string afterCursor) override;
	void FollowLogs(sdbus::Result<sdbus::UnixFd> &&result, std::string afterCursor) override;

	std::string Id() override { return id_; }
	std::string Name() override { return name_; }
	std::vector<std::string> Depends() override { return state().depends; }
	bool Enabled() override { return state().enabled; }
	bool Running() override { return state().running; }
	std::vector<ComponentRow> Components() override { return state().components; }
	std::vector<sdbus::ObjectPath> Units() override { return state().units; }
	std::string Health() override { return std::string(healthStateName(state().health.state)); }
	std::vector<HealthIssueRow> HealthIssues() override
	{
		return healthIssueRows(state().health.issues);
	}
	std::uint64_t LastDiagnosed() override { return state().health.lastDiagnosed; }
	/* Throws stateNotKnownYet before the first update(). */
	const State &state() const;

	MethodCalls &calls_;
	const std::string id_;
	const std::string name_;
	std::optional<State> state_;
};

} /* namespace plinth */

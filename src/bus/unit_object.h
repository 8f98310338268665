/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <sdbus-c++/sdbus-c++.h>

#include "bus_values.h"
#include "plan.h"
#include "registry.h"
#include "status.h"
#include "unit_adaptor_glue.h"
#include "unit_state.h"

namespace plinth {

class MethodCalls;

/*
 * org.freedesktop.Plinth.Daemons.Unit on /org/freedesktop/Plinth/Daemons/unit/<name>. Like
 * AppObject, it serves what it last announced, and none but Name before its first State;
 * its methods are the flat unit methods, the status and log calls included.
 */
class UnitObject final
	: public sdbus::AdaptorInterfaces<org::freedesktop::Plinth::Daemons::Unit_adaptor,
					  sdbus::Properties_adaptor>
{
public:
	/* (app object, component id, kind, whether the unit is the component's alias) */
	using Declaration = sdbus::Struct<sdbus::ObjectPath, std::string, std::string, bool>;

	/* The properties that may change on one object, the timestamp apart. */
	struct State {
		std::vector<sdbus::ObjectPath> apps;
		std::vector<Declaration> declarations;
		UnitState unit;
		bool enabled = false;
		bool running = false;
	};

	static State stateOf(const std::string &unit, const StatusQueries &status);

	/* Exports the object; reading a State property fails until the first update(). */
	UnitObject(sdbus::IConnection &bus, MethodCalls &calls, std::string unit);
	~UnitObject();

	const std::string &name() const { return name_; }
	bool known() const { return state_.has_value(); }

	/*
	 * Takes the new values and announces those that changed in one PropertiesChanged; a
	 * change of systemd's states moves StateChangeTimestamp to now. The first are no
	 * change: the ObjectTree announces them with the object (InterfacesAdded).
	 */
	void update(State state);

	/* Its interface and every property, for GetManagedObjects and InterfacesAdded; known. */
	void writeInterfaces(sdbus::Message &message) const;

private:
	void Start(sdbus::Result<> &&result) override;
	void Stop(sdbus::Result<> &&result) override;
	void Restart(sdbus::Result<> &&result) override;
	void TryRestart(sdbus::Result<> &&result) override;
	void Reload(sdbus::Result<> &&result) override;
	void TryReloadOrRestart(sdbus::Result<> &&result) override;
	void Enable(sdbus::Result<> &&result) override;
	void Disable(sdbus::Result<> &&result) override;
	void Mask(sdbus::Result<> &&result) override;
	void Unmask(sdbus::Result<> &&result) override;
	void ResetFailed(sdbus::Result<> &&result) override;
	void runVerb(sdbus::Result<> &&result, UnitVerb verb);
	void GetStatus(sdbus::Result<std::map<std::string, sdbus::Variant>> &&result) override;
	void GetLogs(sdbus::Result<std::vector<LogRow>> &&result, std::uint32_t lines,
		     std::string afterCursor) override;
	void FollowLogs(sdbus::Result<sdbus::UnixFd> &&result, std::string afterCursor) override;

	std::string Name() override { return name_; }
	std::vector<sdbus::ObjectPath> Apps() override { return state().apps; }
	std::vector<Declaration> Declarations() override { return state().declarations; }
	std::string LoadState() override { return state().unit.loadState; }
	std::string ActiveState() override { return state().unit.activeState; }
	std::string SubState() override { return state().unit.subState; }
	std::string UnitFileState() override { return state().unit.unitFileState; }
	bool Enabled() override { return state().enabled; }
	bool Running() override { return state().running; }
	std::uint64_t StateChangeTimestamp() override
	{
		state();
		return changedAt_;
	}
	/* Throws stateNotKnownYet before the first update(). */
	const State &state() const;

	MethodCalls &calls_;
	const std::string name_;
	std::optional<State> state_;
	/* CLOCK_REALTIME µs at which the states last changed here, or were first learned. */
	std::uint64_t changedAt_ = 0;
};

} /* namespace plinth */

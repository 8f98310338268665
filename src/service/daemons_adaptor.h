/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <sdbus-c++/sdbus-c++.h>

#include "authority.h"
#include "check.h"
#include "daemons_adaptor_glue.h"
#include "failure_report.h"
#include "plan.h"

namespace plinth {

class AppManager;
class LogService;
class UnitPropertyReader;

/*
 * org.freedesktop.Plinth.Daemons on /org/freedesktop/Plinth/Daemons: translates each call
 * into an AppManager call, authorizes what changes state, and turns every failure into a
 * named D-Bus error through toBusError(). Every path replies exactly once.
 */
class DaemonsAdaptor final
	: public sdbus::AdaptorInterfaces<org::freedesktop::Plinth::Daemons_adaptor>
{
public:
	static constexpr const char *kObjectPath = "/org/freedesktop/Plinth/Daemons";

	DaemonsAdaptor(sdbus::IConnection &bus, AppManager &apps, Authority &authority,
		       LogService &logs, UnitPropertyReader &properties);
	~DaemonsAdaptor();

	/* Re-reads the definitions and announces AppsReloaded; for Reload and SIGHUP alike. */
	void reload(std::function<void()> done);

	/* Method calls still waiting for their reply; SIGTERM waits for them. */
	std::size_t callsInFlight() const { return *inFlight_; }

private:
	using ComponentRow =
		sdbus::Struct<std::string, std::string, std::string, bool, std::string,
			      std::vector<sdbus::Struct<std::uint16_t, std::string, std::string>>>;
	using CheckRow = sdbus::Struct<std::string, std::string, std::string, std::string,
				       std::map<std::string, sdbus::Variant>, std::string>;
	using LogRow = sdbus::Struct<std::uint64_t, std::string, std::uint32_t, std::string,
				     std::uint32_t, std::string, std::string>;

	void
	ListApps(sdbus::Result<std::vector<sdbus::Struct<std::string, std::string, bool, bool>>>
			 &&result) override;
	void GetAppComponents(sdbus::Result<std::vector<ComponentRow>> &&result,
			      std::string app) override;
	void IsAppEnabled(sdbus::Result<bool> &&result, std::string app) override;
	void IsAppRunning(sdbus::Result<bool> &&result, std::string app) override;
	void EnableApp(sdbus::Result<> &&result, std::string app) override;
	void DisableApp(sdbus::Result<> &&result, std::string app) override;
	void DiagnoseApp(sdbus::Result<std::vector<CheckRow>> &&result, std::string app) override;
	void
	DiagnoseAll(sdbus::Result<std::map<std::string, std::vector<CheckRow>>> &&result) override;
	void ListManagedUnits(
		sdbus::Result<std::vector<sdbus::Struct<std::string, std::string, std::string>>>
			&&result) override;
	void IsUnitEnabled(sdbus::Result<bool> &&result, std::string unit) override;
	void IsUnitRunning(sdbus::Result<bool> &&result, std::string unit) override;
	void StartUnit(sdbus::Result<> &&result, std::string unit) override;
	void StopUnit(sdbus::Result<> &&result, std::string unit) override;
	void RestartUnit(sdbus::Result<> &&result, std::string unit) override;
	void TryRestartUnit(sdbus::Result<> &&result, std::string unit) override;
	void ReloadUnit(sdbus::Result<> &&result, std::string unit) override;
	void TryReloadOrRestartUnit(sdbus::Result<> &&result, std::string unit) override;
	void EnableUnit(sdbus::Result<> &&result, std::string unit) override;
	void DisableUnit(sdbus::Result<> &&result, std::string unit) override;
	void MaskUnit(sdbus::Result<> &&result, std::string unit) override;
	void UnmaskUnit(sdbus::Result<> &&result, std::string unit) override;
	void GetUnitStatus(sdbus::Result<std::map<std::string, sdbus::Variant>> &&result,
			   std::string unit) override;
	void RepairApp(sdbus::Result<std::vector<CheckRow>> &&result, std::string app) override;
	void GetUnitLogs(sdbus::Result<std::vector<LogRow>> &&result, std::string unit,
			 std::uint32_t lines, std::string afterCursor) override;
	void GetAppLogs(sdbus::Result<std::vector<LogRow>> &&result, std::string app,
			std::uint32_t lines, std::string afterCursor) override;
	void FollowUnitLogs(sdbus::Result<sdbus::UnixFd> &&result, std::string unit,
			    std::string afterCursor) override;
	void FollowAppLogs(sdbus::Result<sdbus::UnixFd> &&result, std::string app,
			   std::string afterCursor) override;
	void Reload(sdbus::Result<> &&result) override;
	std::string Version() override;

	static std::vector<CheckRow> toRows(const std::vector<DiagnosticCheck> &checks);

	/* Answers a query at once with what fn returns, or with the error it throws. */
	template<typename Value, typename Fn>
	void answer(sdbus::Result<Value> &&result, Fn &&fn);

	/*
	 * Answers a query with what fn returns, or the error it throws, once the service knows
	 * systemd's states: at once, except right after start-up, while systemd's first
	 * answers are still coming.
	 */
	template<typename Value, typename Fn>
	void answerFromStates(sdbus::Result<Value> &&result, Fn fn);

	/*
	 * Authorizes the caller, then runs work, which calls its completion exactly once;
	 * the reply follows that completion. Nothing runs when authorization fails.
	 */
	void authorizedChange(sdbus::Result<> &&result, Action action, Authority::Details details,
			      std::function<void(std::function<void(std::exception_ptr)>)> work);
	/* Authorizes the caller of the call being handled; then gets nullptr or why not. */
	void authorized(Action action, Authority::Details details, Authority::Completion then);
	/* The logs of these units, once the caller may read them as details say. */
	void readLogs(sdbus::Result<std::vector<LogRow>> &&result, Authority::Details details,
		      std::vector<std::string> units, std::uint32_t lines, std::string afterCursor);
	void followLogs(sdbus::Result<sdbus::UnixFd> &&result, Authority::Details details,
			std::vector<std::string> units, std::string afterCursor);
	/*
	 * Makes a completion explain a JobFailed about the given units (FailureReport) to the
	 * caller of the call being handled: take it while handling the call.
	 */
	using Explain = std::function<Authority::Completion(Authority::Completion done,
							    std::vector<std::string> units)>;
	Explain explainingFailures();
	/* Every unit the app declares, aliases included, each once. */
	std::vector<std::string> unitsOf(const std::string &app) const;
	void unitVerb(sdbus::Result<> &&result, UnitVerb verb, const std::string &unit);

	AppManager &apps_;
	Authority &authority_;
	LogService &logs_;
	UnitPropertyReader &properties_;
	FailureReport failures_;
	std::shared_ptr<std::size_t> inFlight_ = std::make_shared<std::size_t>(0);
};

} /* namespace plinth */

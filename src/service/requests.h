/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <sdbus-c++/sdbus-c++.h>

#include "app_manager.h"
#include "authority.h"
#include "bus_values.h"
#include "caller_quota.h"
#include "log_scope.h"
#include "operation.h"
#include "pending_reply.h"
#include "plan.h"

namespace plinth {

class FailureReport;
class LogService;
class UnitLeases;
class UnitPropertyReader;

/*
 * What a method call does, whichever surface it came in on: the flat
 * org.freedesktop.Plinth.Daemons methods and the App and Unit objects' methods call the same
 * functions here, so they validate, authorize, run through the AppManager and turn failures
 * into named D-Bus errors (toBusError) the same way. Every path replies exactly once.
 */
class Requests
{
public:
	using Completion = Operation::Completion;

	/*
	 * DiagnoseApp and DiagnoseAll calls one caller may have waiting for an answer: below
	 * dbus-daemon's default of 128 pending replies per connection, so that a caller meets
	 * this service's Busy, which says what to do, before the bus's LimitsExceeded.
	 */
	static constexpr std::size_t kMaxDiagnosesPerCaller = 100;

	/*
	 * Follow streams and leases each cost the service one fd while they last (its end of
	 * the stream's socket, the read end of the lease's pipe). A GUI follows one stream per
	 * log it shows and holds one lease per unit it needs: 16 leave room for many. The
	 * totals keep both together at 512 fds: with the journals' (one fd per journal file,
	 * for queries and for the shared follow journal) and the bus's, the service stays below
	 * the soft limit of 1024 that services start with, where raising it is not allowed, so
	 * that leases, diagnoses and log reads never fail for want of an fd.
	 */
	static constexpr std::size_t kMaxStreamsPerCaller = 16;
	static constexpr std::size_t kMaxStreams = 256;
	static constexpr std::size_t kMaxLeasesPerCaller = 16;
	static constexpr std::size_t kMaxLeases = 256;

	using UnitStatus = std::map<std::string, sdbus::Variant>;

	Requests(AppManager &apps, Authority &authority, UnitLeases &leases,
		 FailureReport &failures, LogService &logs, UnitPropertyReader &properties);
	Requests(const Requests &) = delete;
	Requests &operator=(const Requests &) = delete;

	/* Method calls still waiting for their reply; SIGTERM waits for them. */
	std::size_t callsInFlight() const { return *inFlight_; }

	/* A reply to give later, counted in flight until it is given. */
	template<typename... Results>
	std::shared_ptr<PendingReply<Results...>> owe(sdbus::Result<Results...> &&result)
	{
		return plinth::owe(std::move(result), inFlight_);
	}

	/* Asks the Authority whether caller may act; for calls that read, not change. */
	void authorize(const Caller &caller, Action action, Authority::Details details,
		       Authority::Completion then);

	/* Every unit the app declares, aliases included, each once. Throws as AppManager::app(). */
	std::vector<std::string> unitsOf(const std::string &app) const;

	/*
	 * Answers with what fn returns, or the error it throws, once the service knows systemd's
	 * states: at once, except right after start-up, while systemd's first answers are
	 * still coming.
	 */
	template<typename Value, typename Fn>
	void answerFromStates(sdbus::Result<Value> &&result, Fn fn);

	/* Runs a change as an Operation (request.caller given); the reply follows it. */
	void change(sdbus::Result<> &&result, Operation::Request request);

	void enableApp(sdbus::Result<> &&result, const Caller &caller, const std::string &app);
	void disableApp(sdbus::Result<> &&result, const Caller &caller, const std::string &app);
	/* unit as the caller wrote it: "ssh" is ssh.service, for polkit too. */
	void runUnitVerb(sdbus::Result<> &&result, const Caller &caller, UnitVerb verb,
			 const std::string &unit);
	/* Busy past kMaxLeasesPerCaller leases held by the caller or kMaxLeases in all. */
	void ensureUnitRunning(sdbus::Result<bool, sdbus::UnixFd> &&result, const Caller &caller,
			       const std::string &unit);
	/* Repairs an enabled app as an operation, then answers with its checks after that. */
	void repairApp(sdbus::Result<std::vector<CheckRow>> &&result, const Caller &caller,
		       const std::string &app);
	/* Busy past kMaxDiagnosesPerCaller waiting for the caller. */
	void diagnoseApp(sdbus::Result<std::vector<CheckRow>> &&result, const Caller &caller,
			 const std::string &app);
	void diagnoseAll(sdbus::Result<std::map<std::string, std::vector<CheckRow>>> &&result,
			 const Caller &caller);
	/* systemd's status of a managed unit, its states from the mirror; open to everyone. */
	void unitStatus(sdbus::Result<UnitStatus> &&result, const std::string &unit);

	/*
	 * The journal of a managed unit or of every unit an app declares, once read-logs
	 * allows the caller (the details of LogScope); an undeclared unit or unknown app is
	 * refused before polkit is asked. An app's shared units are read only when polkit
	 * allows them as well.
	 */
	void unitLogs(sdbus::Result<std::vector<LogRow>> &&result, const Caller &caller,
		      const std::string &unit, std::uint32_t lines, std::string afterCursor);
	void appLogs(sdbus::Result<std::vector<LogRow>> &&result, const Caller &caller,
		     const std::string &app, std::uint32_t lines, std::string afterCursor);
	/* Busy past kMaxStreamsPerCaller streams open for the caller or kMaxStreams in all. */
	void followUnitLogs(sdbus::Result<sdbus::UnixFd> &&result, const Caller &caller,
			    const std::string &unit, std::string afterCursor);
	void followAppLogs(sdbus::Result<sdbus::UnixFd> &&result, const Caller &caller,
			   const std::string &app, std::string afterCursor);

private:
	/* Throw as managedUnitName() and app(). */
	LogScope unitLogScope(const std::string &unit) const;
	LogScope appLogScope(const std::string &app) const;
	/*
	 * read gets the units polkit allows: the scope's needed ones, and its extra ones when
	 * polkit allows them too without asking the caller anything. fail gets any refusal of
	 * the needed ones.
	 */
	void whenLogsAllowed(const Caller &caller, const std::function<LogScope()> &scope,
			     const std::function<void(std::exception_ptr)> &fail,
			     std::function<void(std::vector<std::string>)> read);
	void whenExtraLogsAllowed(const Caller &caller, LogScope scope,
				  const std::function<void(std::exception_ptr)> &fail,
				  std::function<void(std::vector<std::string>)> read);
	void readLogs(sdbus::Result<std::vector<LogRow>> &&result, const Caller &caller,
		      const std::function<LogScope()> &scope, std::uint32_t lines,
		      std::string afterCursor);
	void followLogs(sdbus::Result<sdbus::UnixFd> &&result, const Caller &caller,
			const std::function<LogScope()> &scope, std::string afterCursor);

	void appChange(sdbus::Result<> &&result, const Caller &caller, const std::string &app,
		       bool enable);
	CallerQuota::Ticket takeDiagnosisSlot(const Caller &caller);
	/* done, but a JobFailed about units first says why (FailureReport). */
	Completion explained(Completion done, const Caller &caller, std::vector<std::string> units);

	AppManager &apps_;
	Authority &authority_;
	UnitLeases &leases_;
	FailureReport &failures_;
	LogService &logs_;
	UnitPropertyReader &properties_;
	/*
	 * Diagnoses are shared (CoalescedDiagnoses), but each call waiting holds a reply: past
	 * this many per caller, the caller is told Busy instead.
	 */
	CallerQuota diagnosisQuota_{kMaxDiagnosesPerCaller};
	CallerQuota streamQuota_{kMaxStreamsPerCaller, kMaxStreams};
	CallerQuota leaseQuota_{kMaxLeasesPerCaller, kMaxLeases};
	std::shared_ptr<std::size_t> inFlight_ = std::make_shared<std::size_t>(0);
};

template<typename Value, typename Fn>
void Requests::answerFromStates(sdbus::Result<Value> &&result, Fn fn)
{
	auto reply = owe(std::move(result));
	apps_.whenStatesKnown([reply, fn = std::move(fn)] {
		try {
			reply->succeed(fn());
		} catch (...) {
			reply->fail(std::current_exception());
		}
	});
}

} /* namespace plinth */

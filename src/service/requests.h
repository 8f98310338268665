/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <cstddef>
#include <cstdint>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "app_manager.h"
#include "authority.h"
#include "caller_quota.h"
#include "diagnosis_runner.h"
#include "failure_report.h"
#include "listeners.h"
#include "log_entry.h"
#include "log_scope.h"
#include "plan.h"
#include "request.h"
#include "task.h"
#include "unit_leases.h"
#include "unit_properties.h"

namespace plinth {

class HealthMonitor;
class LogService;

/*
 * What each request does, whichever way it came in: the flat org.freedesktop.Plinth.Daemons
 * methods, the App and Unit objects' methods and SIGHUP start the same bodies here. Each body
 * is one coroutine that reads top to bottom: it says what it is, validates its arguments once,
 * asks the Authority, runs through the AppManager (which queues it behind overlapping
 * operations), and returns its result or throws its failure, which the Request turns into the
 * answer. Knows nothing of D-Bus.
 */
class Requests
{
public:
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

	using UnitStatus = UnitPropertyReader::Properties;
	/* The reader's end of a log stream, the caller's to close. */
	struct LogStream {
		int fd = -1;
	};
	using ReloadListeners = Listeners<>;

	Requests(AppManager &apps, Authority &authority, UnitLeases &leases,
		 FailureReport &failures, LogService &logs, UnitPropertyReader &properties,
		 HealthMonitor &health);
	Requests(const Requests &) = delete;
	Requests &operator=(const Requests &) = delete;

	/*
	 * Starts a request of caller, answered through reply (none for the service's own), that
	 * runs body(request): one of the bodies below.
	 */
	template<typename T, typename Body>
	void start(Caller caller, std::unique_ptr<Reply<T>> reply, Body body)
	{
		Request<T>::run(std::make_unique<Request<T>>(std::move(caller), std::move(reply),
							     authority_),
				std::move(body));
	}

	/* The bodies. A JobFailed of an enable, a unit verb or a repair says why (FailureReport).
	 */
	Task<void> enableApp(Request<void> &request, std::string app);
	Task<void> disableApp(Request<void> &request, std::string app);
	/* unit as the caller wrote it: "ssh" is ssh.service, for polkit too. */
	Task<void> runUnitVerb(Request<void> &request, UnitVerb verb, std::string unit);
	/* Busy past kMaxLeasesPerCaller leases held by the caller or kMaxLeases in all. */
	Task<UnitLeases::Granted> ensureUnitRunning(Request<UnitLeases::Granted> &request,
						    std::string unit);
	/* Repairs an enabled app as an operation, then answers with its checks after that. */
	Task<std::vector<DiagnosticCheck>> repairApp(Request<std::vector<DiagnosticCheck>> &request,
						     std::string app);
	/* Busy past kMaxDiagnosesPerCaller waiting for the caller. */
	Task<std::vector<DiagnosticCheck>>
	diagnoseApp(Request<std::vector<DiagnosticCheck>> &request, std::string app);
	Task<DiagnosisRunner::Results> diagnoseAll(Request<DiagnosisRunner::Results> &request);
	/* systemd's status of a managed unit, its states from the mirror; open to everyone. */
	Task<UnitStatus> unitStatus(Request<UnitStatus> &request, std::string unit);
	/*
	 * The journal of a managed unit or of every unit an app declares, once read-logs
	 * allows the caller (the details of LogScope); an undeclared unit or unknown app is
	 * refused before polkit is asked. An app's shared units are read only when polkit
	 * allows them as well.
	 */
	Task<std::vector<LogEntry>> unitLogs(Request<std::vector<LogEntry>> &request,
					     std::string unit, std::uint32_t lines,
					     std::string afterCursor);
	Task<std::vector<LogEntry>> appLogs(Request<std::vector<LogEntry>> &request,
					    std::string app, std::uint32_t lines,
					    std::string afterCursor);
	/* Busy past kMaxStreamsPerCaller streams open for the caller or kMaxStreams in all. */
	Task<LogStream> followUnitLogs(Request<LogStream> &request, std::string unit,
				       std::string afterCursor);
	Task<LogStream> followAppLogs(Request<LogStream> &request, std::string app,
				      std::string afterCursor);
	/* Reads the definitions again; onReloaded() then. */
	Task<void> reload(Request<void> &request);
	Task<void> ignoreCheck(Request<void> &request, std::string app, std::string checkId);
	Task<void> unignoreCheck(Request<void> &request, std::string app, std::string checkId);

	/* A reload request ended (Reload, SIGHUP), whether its definitions were served or not. */
	ReloadListeners::Subscription onReloaded(ReloadListeners::Handler handler)
	{
		return reloadListeners_.add(std::move(handler));
	}

private:
	Task<void> changeApp(Request<void> &request, std::string id, bool enable);
	Task<void> setIgnored(Request<void> &request, std::string app, std::string checkId,
			      bool ignored);
	/* Awaits change; a JobFailed it throws says why each of units failed (FailureReport). */
	template<typename T>
	Task<T> explained(const Caller &caller, Task<T> change, std::vector<std::string> units);
	/*
	 * The units of scope the caller may read: its needed ones (a refusal of them is thrown),
	 * and its extra ones when polkit allows them too without asking anything.
	 */
	Task<std::vector<std::string>> allowedUnits(RequestBase &request, LogScope scope);
	Task<std::vector<LogEntry>> readLogs(RequestBase &request, LogScope scope,
					     std::uint32_t lines, std::string afterCursor);
	Task<LogStream> followLogs(RequestBase &request, LogScope scope, std::string afterCursor);

	AppManager &apps_;
	Authority &authority_;
	UnitLeases &leases_;
	FailureReport &failures_;
	LogService &logs_;
	UnitPropertyReader &properties_;
	HealthMonitor &health_;
	/*
	 * Diagnoses are shared (CoalescedDiagnoses), but each call waiting holds a reply: past
	 * this many per caller, the caller is told Busy instead.
	 */
	CallerQuota diagnosisQuota_{kMaxDiagnosesPerCaller};
	CallerQuota streamQuota_{kMaxStreamsPerCaller, kMaxStreams};
	CallerQuota leaseQuota_{kMaxLeasesPerCaller, kMaxLeases};
	ReloadListeners reloadListeners_;
};

template<typename T>
Task<T> Requests::explained(const Caller &caller, Task<T> change, std::vector<std::string> units)
{
	std::exception_ptr error;
	try {
		if constexpr (std::is_void_v<T>) {
			co_await std::move(change);
			co_return;
		} else {
			co_return co_await std::move(change);
		}
	} catch (...) {
		error = std::current_exception();
	}
	std::rethrow_exception(co_await failures_.explained(error, caller, std::move(units)));
}

} /* namespace plinth */

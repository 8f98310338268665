/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <cstddef>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "app_catalog.h"
#include "app_changes.h"
#include "authority.h"
#include "caller_quota.h"
#include "failure_report.h"
#include "listeners.h"
#include "plan.h"
#include "request.h"
#include "task.h"
#include "unit_leases.h"

namespace plinth {

class HealthMonitor;

/*
 * What each request that changes something does, whichever way it came in: the flat
 * org.freedesktop.Plinth.Daemons methods, the App and Unit objects' methods and SIGHUP start
 * the same bodies here (the reads are ReadRequests'). Each body
 * is one coroutine that reads top to bottom: it says what it is, validates its arguments once,
 * asks the Authority, runs through AppChanges (which queues it behind overlapping operations),
 * and returns its result or throws its failure, which the Request turns into the
 * answer. Knows nothing of D-Bus.
 */
class Requests
{
public:
	/*
	 * Leases each cost the service one fd while they last (the read end of the lease's
	 * pipe), as log streams do (ReadRequests): see there for the totals.
	 */
	static constexpr std::size_t kMaxLeasesPerCaller = 16;
	static constexpr std::size_t kMaxLeases = 256;

	using ReloadListeners = Listeners<>;

	Requests(AppCatalog &apps, AppChanges &changes, UnitLeases &leases, FailureReport &failures,
		 HealthMonitor &health);
	Requests(const Requests &) = delete;
	Requests &operator=(const Requests &) = delete;

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

	AppCatalog &apps_;
	AppChanges &changes_;
	UnitLeases &leases_;
	FailureReport &failures_;
	HealthMonitor &health_;
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

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "app_catalog.h"
#include "app_diagnoses.h"
#include "caller_quota.h"
#include "diagnosis_runner.h"
#include "log_entry.h"
#include "log_scope.h"
#include "request.h"
#include "task.h"
#include "unit_properties.h"

namespace plinth {

class LogService;

/*
 * What each request that reads does: diagnoses, systemd's status of a unit and the journal,
 * each body one coroutine as Requests' are. Knows nothing of D-Bus.
 */
class ReadRequests
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

	using UnitStatus = UnitPropertyReader::Properties;
	/* The reader's end of a log stream, the caller's to close. */
	struct LogStream {
		int fd = -1;
	};

	ReadRequests(AppCatalog &apps, AppDiagnoses &diagnoses, LogService &logs,
		     UnitPropertyReader &properties);
	ReadRequests(const ReadRequests &) = delete;
	ReadRequests &operator=(const ReadRequests &) = delete;

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

private:
	/*
	 * The units of scope the caller may read: its needed ones (a refusal of them is thrown),
	 * and its extra ones when polkit allows them too without asking anything.
	 */
	Task<std::vector<std::string>> allowedUnits(RequestBase &request, LogScope scope);
	Task<std::vector<LogEntry>> readLogs(RequestBase &request, LogScope scope,
					     std::uint32_t lines, std::string afterCursor);
	Task<LogStream> followLogs(RequestBase &request, LogScope scope, std::string afterCursor);

	AppCatalog &apps_;
	AppDiagnoses &diagnoses_;
	LogService &logs_;
	UnitPropertyReader &properties_;
	/*
	 * Diagnoses are shared (CoalescedDiagnoses), but each call waiting holds a reply: past
	 * this many per caller, the caller is told Busy instead.
	 */
	CallerQuota diagnosisQuota_{kMaxDiagnosesPerCaller};
	CallerQuota streamQuota_{kMaxStreamsPerCaller, kMaxStreams};
};

} /* namespace plinth */

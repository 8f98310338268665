/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <cstddef>
#include <cstdint>
#include <exception>
#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include <sdbus-c++/sdbus-c++.h>

#include "app_catalog.h"
#include "bus_values.h"
#include "caller.h"
#include "pending_reply.h"
#include "queries.h"
#include "read_requests.h"
#include "requests.h"

namespace plinth {

/* A request's result as its method's out arguments. */
inline std::tuple<std::vector<CheckRow>> busValues(const std::vector<DiagnosticCheck> &checks)
{
	return {checkRows(checks)};
}

inline std::tuple<std::map<std::string, std::vector<CheckRow>>>
busValues(const DiagnosisRunner::Results &results)
{
	std::map<std::string, std::vector<CheckRow>> rows;
	for (const auto &[app, checks] : results)
		rows.emplace(app, checkRows(checks));
	return {std::move(rows)};
}

inline std::tuple<std::vector<LogRow>> busValues(std::vector<LogEntry> entries)
{
	return {logRows(std::move(entries))};
}

inline std::tuple<ReadRequests::UnitStatus> busValues(ReadRequests::UnitStatus status)
{
	return {std::move(status)};
}

inline std::tuple<bool> busValues(bool value)
{
	return {value};
}

inline std::tuple<std::vector<sdbus::Struct<std::string, std::string, bool, bool>>>
busValues(std::vector<Queries::AppListing> listing)
{
	std::vector<sdbus::Struct<std::string, std::string, bool, bool>> rows;
	rows.reserve(listing.size());
	for (Queries::AppListing &app : listing)
		rows.emplace_back(std::move(app.id), std::move(app.name), app.enabled, app.running);
	return {std::move(rows)};
}

inline std::tuple<std::vector<ComponentRow>> busValues(const ValidApp &app)
{
	return {componentRows(*app)};
}

inline std::tuple<std::vector<sdbus::Struct<std::string, std::string, std::string>>>
busValues(std::vector<ManagedUnit> units)
{
	std::vector<sdbus::Struct<std::string, std::string, std::string>> rows;
	rows.reserve(units.size());
	for (ManagedUnit &m : units)
		rows.emplace_back(std::move(m.unit), std::move(m.appId), std::move(m.componentId));
	return {std::move(rows)};
}

inline std::tuple<std::string, std::vector<HealthIssueRow>, std::uint64_t>
busValues(const AppHealth &health)
{
	return {std::string(healthStateName(health.state)), healthIssueRows(health.issues),
		health.lastDiagnosed};
}

inline std::tuple<bool, sdbus::UnixFd> busValues(const UnitLeases::Granted &lease)
{
	return {lease.wasRunning, sdbus::UnixFd(lease.fd, sdbus::adopt_fd)};
}

inline std::tuple<sdbus::UnixFd> busValues(const ReadRequests::LogStream &stream)
{
	return {sdbus::UnixFd(stream.fd, sdbus::adopt_fd)};
}

/* A request's reply on the bus, owed until the request answers it (PendingReply). */
template<typename T, typename... Results>
class BusReply final : public Reply<T>
{
public:
	BusReply(sdbus::Result<Results...> &&result, std::shared_ptr<std::size_t> inFlight)
		: reply_(std::move(result), std::move(inFlight))
	{
	}

	void succeed(typename Reply<T>::Value value) override
	{
		if constexpr (sizeof...(Results) == 0)
			reply_.succeed();
		else
			std::apply([this](const auto &...values) { reply_.succeed(values...); },
				   busValues(std::move(value)));
	}

	void fail(std::exception_ptr error) override { reply_.fail(std::move(error)); }

private:
	PendingReply<Results...> reply_;
};

/*
 * Where a method call of the adaptor or of an App or Unit object enters: every call becomes a
 * request of the caller, run by one of the bodies of Requests, ReadRequests or Queries, and
 * answered with a named D-Bus error (toBusError) or its result. Counts the calls still owed a
 * reply.
 */
class MethodCalls
{
public:
	MethodCalls(Requests &requests, ReadRequests &reads, Queries &queries, Authority &authority)
		: requests_(requests), reads_(reads), queries_(queries), authority_(authority)
	{
	}
	MethodCalls(const MethodCalls &) = delete;
	MethodCalls &operator=(const MethodCalls &) = delete;

	Requests &requests() { return requests_; }

	/* Method calls still waiting for their reply; SIGTERM waits for them. */
	std::size_t inFlight() const { return *inFlight_; }

	/*
	 * Runs the call object is handling now as the request (bodies.*body)(request, args...),
	 * bodies being the Requests, the ReadRequests or the Queries.
	 */
	template<typename Bodies, typename T, typename... Params, typename... Results,
		 typename... Args>
	void request(sdbus::IObject &object, sdbus::Result<Results...> &&result,
		     Task<T> (Bodies::*body)(Request<T> &, Params...), Args... args)
	{
		Bodies &bodies = bodiesOf<Bodies>();
		auto request = std::make_unique<Request<T>>(
			currentCaller(object),
			std::make_unique<BusReply<T, Results...>>(std::move(result), inFlight_),
			authority_);
		Task<T> task = (bodies.*body)(*request, std::move(args)...);
		Request<T>::run(std::move(request), std::move(task));
	}

private:
	template<typename Bodies>
	Bodies &bodiesOf()
	{
		if constexpr (std::is_same_v<Bodies, Requests>)
			return requests_;
		else if constexpr (std::is_same_v<Bodies, ReadRequests>)
			return reads_;
		else
			return queries_;
	}

	Requests &requests_;
	ReadRequests &reads_;
	Queries &queries_;
	Authority &authority_;
	std::shared_ptr<std::size_t> inFlight_ = std::make_shared<std::size_t>(0);
};

} /* namespace plinth */

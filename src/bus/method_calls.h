/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <cstddef>
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
 * Where a method call of the adaptor or of an App or Unit object enters: a call that asks for
 * something becomes a request of the caller, run by one of the bodies of Requests or
 * ReadRequests, and answered with
 * a named D-Bus error (toBusError) or its result; a query of states is answered from them once
 * they are known. Counts the calls still owed a reply.
 */
class MethodCalls
{
public:
	MethodCalls(Requests &requests, ReadRequests &reads, AppCatalog &apps, Authority &authority)
		: requests_(requests), reads_(reads), apps_(apps), authority_(authority)
	{
	}
	MethodCalls(const MethodCalls &) = delete;
	MethodCalls &operator=(const MethodCalls &) = delete;

	Requests &requests() { return requests_; }

	/* Method calls still waiting for their reply; SIGTERM waits for them. */
	std::size_t inFlight() const { return *inFlight_; }

	/*
	 * Runs the call object is handling now as the request (bodies.*body)(request, args...),
	 * bodies being the Requests or the ReadRequests.
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

	/*
	 * Answers with what fn returns, or the error it throws, once the service knows systemd's
	 * states: at once, except right after start-up, while systemd's first answers are
	 * still coming.
	 */
	template<typename Value, typename Fn>
	void answerFromStates(sdbus::Result<Value> &&result, Fn fn)
	{
		auto reply = owe(std::move(result), inFlight_);
		apps_.whenStatesKnown([reply, fn = std::move(fn)] {
			try {
				reply->succeed(fn());
			} catch (...) {
				reply->fail(std::current_exception());
			}
		});
	}

private:
	template<typename Bodies>
	Bodies &bodiesOf()
	{
		if constexpr (std::is_same_v<Bodies, Requests>)
			return requests_;
		else
			return reads_;
	}

	Requests &requests_;
	ReadRequests &reads_;
	AppCatalog &apps_;
	Authority &authority_;
	std::shared_ptr<std::size_t> inFlight_ = std::make_shared<std::size_t>(0);
};

} /* namespace plinth */

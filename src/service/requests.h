/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <cstddef>
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
#include "pending_reply.h"
#include "plan.h"

namespace plinth {

/*
 * What a method call does, whichever surface it came in on: the flat
 * org.freedesktop.Plinth.Daemons methods and the App and Unit objects' methods call the same
 * functions here, so they validate, authorize, run through the AppManager and turn failures
 * into named D-Bus errors (toBusError) the same way. Every path replies exactly once.
 */
class Requests
{
public:
	using Completion = std::function<void(std::exception_ptr error)>;
	using Work = std::function<void(Completion done)>;

	Requests(AppManager &apps, Authority &authority);
	Requests(const Requests &) = delete;
	Requests &operator=(const Requests &) = delete;

	/* Method calls still waiting for their reply; SIGTERM waits for them. */
	std::size_t callsInFlight() const { return *inFlight_; }

	/*
	 * Answers with what fn returns, or the error it throws, once the service knows systemd's
	 * states: at once, except right after start-up, while systemd's first answers are
	 * still coming.
	 */
	template<typename Value, typename Fn>
	void answerFromStates(sdbus::Result<Value> &&result, Fn fn);

	/*
	 * Authorizes the caller, then runs work, which calls its completion exactly once; the
	 * reply follows that completion. Nothing runs when authorization fails.
	 */
	void authorizedChange(sdbus::Result<> &&result, const Caller &caller, Action action,
			      Authority::Details details, Work work);

	void enableApp(sdbus::Result<> &&result, const Caller &caller, const std::string &app);
	void disableApp(sdbus::Result<> &&result, const Caller &caller, const std::string &app);
	void runUnitVerb(sdbus::Result<> &&result, const Caller &caller, UnitVerb verb,
			 const std::string &unit);
	void diagnoseApp(sdbus::Result<std::vector<CheckRow>> &&result, const std::string &app);
	void diagnoseAll(sdbus::Result<std::map<std::string, std::vector<CheckRow>>> &&result);

private:
	AppManager &apps_;
	Authority &authority_;
	std::shared_ptr<std::size_t> inFlight_ = std::make_shared<std::size_t>(0);
};

template<typename Value, typename Fn>
void Requests::answerFromStates(sdbus::Result<Value> &&result, Fn fn)
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

} /* namespace plinth */

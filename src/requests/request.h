/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <spdlog/spdlog.h>

#include <chrono>
#include <exception>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>

#include "authority.h"
#include "await_callback.h"
#include "error.h"
#include "task.h"

namespace plinth {

/* What a request's log line is worth: a change goes to the journal, a read to debug output. */
enum class RequestKind {
	Change,
	Read,
};

/*
 * Where a request's result goes, once: for a method call, the bus's reply. One destroyed
 * unanswered still answers its caller (the bus's says that the service stopped).
 */
template<typename T>
class Reply
{
public:
	using Value = std::conditional_t<std::is_void_v<T>, std::monostate, T>;

	virtual ~Reply() = default;
	virtual void succeed(Value value) = 0;
	virtual void fail(std::exception_ptr error) = 0;
};

/* Whether an authorization may bring up a password dialog, if the caller allows one. */
enum class Prompt {
	IfCallerAllows,
	Never,
};

/*
 * One request from its arrival to its answer, whichever way it came (a method call, SIGHUP),
 * as PackageKit's transaction: it owns the caller and what the log says of it, and its body (a
 * coroutine of Requests) validates the arguments once, asks the Authority, waits for its turn
 * and runs, top to bottom. Request<T> adds the reply and the result. Knows nothing of D-Bus.
 */
class RequestBase
{
public:
	RequestBase(Caller caller, Authority &authority)
		: caller_(std::move(caller)), authority_(authority)
	{
	}
	RequestBase(const RequestBase &) = delete;
	RequestBase &operator=(const RequestBase &) = delete;

	const Caller &caller() const { return caller_; }

	/* What the log line calls the request: "enable app web". Said first, before validating. */
	void describe(RequestKind kind, std::string description)
	{
		kind_ = kind;
		description_ = std::move(description);
	}

	/*
	 * Asks the Authority whether the caller may do action; throws its refusal (NotAuthorized,
	 * InteractiveAuthorizationRequired, Busy). The service's own requests pass.
	 */
	Task<void> authorize(Action action, Authority::Details details,
			     Prompt prompt = Prompt::IfCallerAllows)
	{
		if (caller_.isService)
			co_return;
		Caller asking = caller_;
		if (prompt == Prompt::Never)
			asking.allowInteractiveAuthorization = false;
		co_await awaitCompletion([&](Authority::Completion done) {
			authority_.authorize(asking, action, std::move(details), std::move(done));
		});
	}

protected:
	~RequestBase() = default;

	/* The request's one log line, with its result. */
	void log(const std::exception_ptr &error) const
	{
		const spdlog::level::level_enum level =
			kind_ == RequestKind::Change ? spdlog::level::info : spdlog::level::debug;
		if (!spdlog::should_log(level))
			return;
		const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() -
										      arrived_)
					.count();
		if (error)
			spdlog::log(level, "{} for {} failed after {} ms: {}", description_,
				    caller_.uniqueName, ms, errorText(error));
		else
			spdlog::log(level, "{} for {} done in {} ms", description_,
				    caller_.uniqueName, ms);
	}

	const std::string &description() const { return description_; }

private:
	using Clock = std::chrono::steady_clock;

	Caller caller_;
	Authority &authority_;
	RequestKind kind_ = RequestKind::Change;
	std::string description_ = "a request";
	Clock::time_point arrived_ = Clock::now();
};

/*
 * A request whose result is a T. Whatever its body returns or throws answers the reply exactly
 * once, with the request's log line. A body abandoned midway (the service stops) still
 * answers, through the reply's destructor.
 */
template<typename T>
class Request final : public RequestBase
{
public:
	/* reply may be null: a request of the service itself answers nobody. */
	Request(Caller caller, std::unique_ptr<Reply<T>> reply, Authority &authority)
		: RequestBase(std::move(caller), authority), reply_(std::move(reply))
	{
	}

	~Request()
	{
		if (!answered_)
			spdlog::info("{} for {} ended unanswered: the service is stopping",
				     description(), caller().uniqueName);
	}

	/*
	 * Runs body, the request's coroutine (a body of Requests or ReadRequests made for it),
	 * and answers with its result once it ends. The request lives until then.
	 */
	static void run(std::unique_ptr<Request> request, Task<T> body)
	{
		detach(std::move(body), [request = std::move(request)](std::exception_ptr error,
								       auto &&...value) {
			request->answer(std::move(error), std::forward<decltype(value)>(value)...);
		});
	}

private:
	template<typename... Value>
	void answer(std::exception_ptr error, Value &&...value)
	{
		answered_ = true;
		log(error);
		if (!reply_)
			return;
		if (error) {
			reply_->fail(std::move(error));
			return;
		}
		if constexpr (std::is_void_v<T>)
			reply_->succeed({});
		else
			reply_->succeed(std::forward<Value>(value)...);
	}

	std::unique_ptr<Reply<T>> reply_;
	bool answered_ = false;
};

} /* namespace plinth */

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <spdlog/spdlog.h>

#include <coroutine>
#include <exception>
#include <memory>
#include <optional>
#include <stdexcept>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

/*
 * Coroutines for the service's asynchronous flows, so that each reads top to bottom.
 *
 * - Task<T> is a lazy coroutine: it starts when awaited, and the awaiter gets its value or
 *   its exception. A loop of awaits that complete at once runs in constant stack.
 * - detach() starts a task from callback-land and hands its end to a handler: the boundary
 *   where an exception becomes an answer. An exception escaping the handler is logged, as the
 *   event loop logs one escaping a callback.
 * - awaitCallback<T>() awaits one call of a callback API (a bus call's reply, a job's end, a
 *   timer). The coroutine resumes inside that callback, on the thread that calls it (the
 *   loop thread).
 *
 * Lifetimes: a detached task owns its chain of awaited tasks. When a callback is dropped
 * without ever being called, because its source was destroyed (a proxy's pending calls go
 * with it, a tracker's waiting jobs with the tracker), the whole chain is destroyed from its
 * detached root: every frame's locals are destroyed and the handler is dropped uncalled, as
 * a lambda's captures would be. No code after a co_await runs then, so a frame never touches
 * an owner that is gone. (A callback dropped before the call that takes it returns is a
 * std::logic_error at the await instead: the chain is running, nothing may destroy it.) The rule
 * for code in a task is thus the one for a callback: what it uses after a co_await must live as
 * long as the source it awaits (its owner's members do: the owner's destruction drops the callbacks
 * first), and the destructors of its locals must not use the owner.
 *
 * GCC 12 destroys a lambda twice when it is a temporary of a co_await expression and has a
 * capture with a destructor (a std::string, a std::function): such a lambda captures by
 * reference (the frame outlives the await) or is a named local.
 */

namespace plinth {

template<typename T = void>
class Task;

namespace task {

/* The frame to destroy when a chain is abandoned: its detached root. */
struct Chain {
	std::coroutine_handle<> root;
};

/* Resumes whoever awaits the finished task, unless it is still starting it (see TaskAwaiter). */
struct FinalAwaiter {
	bool await_ready() const noexcept { return false; }

	template<typename Promise>
	std::coroutine_handle<> await_suspend(std::coroutine_handle<Promise> done) const noexcept
	{
		const auto &promise = done.promise();
		if (promise.starting || !promise.continuation)
			return std::noop_coroutine();
		return promise.continuation;
	}

	void await_resume() const noexcept {}
};

struct PromiseBase {
	std::suspend_always initial_suspend() const noexcept { return {}; }
	FinalAwaiter final_suspend() const noexcept { return {}; }
	void unhandled_exception() noexcept { error = std::current_exception(); }

	std::coroutine_handle<> continuation;
	Chain chain;
	std::exception_ptr error;
	/* Run by its awaiter's await_suspend, which goes on by itself if it ends meanwhile. */
	bool starting = false;
};

template<typename T>
struct Promise : PromiseBase {
	Task<T> get_return_object() noexcept;

	template<typename Value>
	void return_value(Value &&v)
	{
		value.emplace(std::forward<Value>(v));
	}

	T result()
	{
		if (error)
			std::rethrow_exception(error);
		return std::move(*value);
	}

	std::optional<T> value;
};

template<>
struct Promise<void> : PromiseBase {
	Task<void> get_return_object() noexcept;
	void return_void() const noexcept {}

	void result() const
	{
		if (error)
			std::rethrow_exception(error);
	}
};

/* The coroutine detach() runs: it owns the chain and ends it by calling the handler. */
struct Detached {
	struct promise_type {
		Detached get_return_object() noexcept
		{
			return {std::coroutine_handle<promise_type>::from_promise(*this)};
		}
		std::suspend_always initial_suspend() const noexcept { return {}; }
		std::suspend_never final_suspend() const noexcept { return {}; }
		void return_void() const noexcept {}
		/* The body catches everything; this is never reached. */
		void unhandled_exception() const noexcept { std::terminate(); }

		Chain chain{std::coroutine_handle<promise_type>::from_promise(*this)};
	};

	std::coroutine_handle<promise_type> handle;
};

/*
 * Runs the awaited task at once, and goes on without suspending when it ended meanwhile:
 * a loop of awaits that end at once then runs in constant stack even where the compiler
 * does not make symmetric transfer a tail call (GCC 12 without optimization). A task that
 * suspended resumes its awaiter from its final suspension.
 */
template<typename T>
struct TaskAwaiter {
	std::coroutine_handle<Promise<T>> task;

	bool await_ready() const noexcept { return false; }

	template<typename CallerPromise>
	bool await_suspend(std::coroutine_handle<CallerPromise> caller) noexcept
	{
		Promise<T> &promise = task.promise();
		promise.continuation = caller;
		promise.chain = caller.promise().chain;
		promise.starting = true;
		task.resume();
		if (task.done())
			return false;
		promise.starting = false;
		return true;
	}

	T await_resume() { return task.promise().result(); }
};

} /* namespace task */

/*
 * A coroutine's result, available by co_await once. Owns its frame: destroying a task that
 * never started or that finished frees it (an unfinished one is only ever destroyed with its
 * chain, see above).
 */
template<typename T>
class [[nodiscard]] Task
{
public:
	using promise_type = task::Promise<T>;

	Task(Task &&other) noexcept : handle_(std::exchange(other.handle_, nullptr)) {}
	Task &operator=(Task &&other) noexcept
	{
		if (this != &other) {
			if (handle_)
				handle_.destroy();
			handle_ = std::exchange(other.handle_, nullptr);
		}
		return *this;
	}
	Task(const Task &) = delete;
	Task &operator=(const Task &) = delete;
	~Task()
	{
		if (handle_)
			handle_.destroy();
	}

	auto operator co_await() &&noexcept { return task::TaskAwaiter<T>{handle_}; }

private:
	friend struct task::Promise<T>;

	explicit Task(std::coroutine_handle<promise_type> handle) : handle_(handle) {}

	std::coroutine_handle<promise_type> handle_;
};

namespace task {

template<typename T>
Task<T> Promise<T>::get_return_object() noexcept
{
	return Task<T>(std::coroutine_handle<Promise<T>>::from_promise(*this));
}

inline Task<void> Promise<void>::get_return_object() noexcept
{
	return Task<void>(std::coroutine_handle<Promise<void>>::from_promise(*this));
}

template<typename Handler, typename... Args>
void callHandler(Handler &handler, Args &&...args) noexcept
{
	try {
		handler(std::forward<Args>(args)...);
	} catch (const std::exception &e) {
		spdlog::error("a task's handler failed: {}", e.what());
	} catch (...) {
		spdlog::error("a task's handler failed with an exception of unknown type");
	}
}

template<typename T, typename Handler>
Detached runDetached(Task<T> task, Handler handler)
{
	if constexpr (std::is_void_v<T>) {
		std::exception_ptr error;
		try {
			co_await std::move(task);
		} catch (...) {
			error = std::current_exception();
		}
		callHandler(handler, error);
	} else {
		std::exception_ptr error;
		std::optional<T> value;
		try {
			value.emplace(co_await std::move(task));
		} catch (...) {
			error = std::current_exception();
		}
		callHandler(handler, error, value ? std::move(*value) : T{});
	}
}

} /* namespace task */

/*
 * Starts task now and calls handler once it is over: handler(std::exception_ptr) for a
 * Task<void>, handler(std::exception_ptr, T) for a Task<T> (a default T with an error). The
 * task runs until its first suspension before detach() returns.
 */
template<typename T, typename Handler>
void detach(Task<T> task, Handler handler)
{
	task::runDetached(std::move(task), std::move(handler)).handle.resume();
}

} /* namespace plinth */

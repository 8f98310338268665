/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <cstddef>
#include <exception>
#include <memory>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "task.h"

/*
 * Awaiting callback APIs from a Task: one awaitable per asynchronous primitive, built from the
 * callback the primitive already takes. A callback dropped uncalled abandons the awaiting
 * chain, as task.h says.
 */

namespace plinth {

/*
 * Given to a callback API by awaitCallback(): calling it (once; later calls do nothing)
 * resumes the awaiting coroutine with a value or an error. Copyable, as std::function needs;
 * when the last copy goes uncalled, the awaiting chain is abandoned (see the top).
 */
template<typename T>
class Resumer
{
	using Value = std::conditional_t<std::is_void_v<T>, std::monostate, T>;

public:
	/* Where the awaiting coroutine waits, for as long as it waits there. */
	struct Slot {
		std::optional<Value> value;
		std::exception_ptr error;
		std::coroutine_handle<> waiting;
		task::Chain chain;
		/* Still inside await_suspend: resuming is returning false from there. */
		bool starting = true;
		bool dropped = false;
	};

	/* Shared by the copies: its end without a call abandons the chain. */
	struct Link {
		Slot *slot;

		explicit Link(Slot *s) : slot(s) {}
		Link(const Link &) = delete;
		Link &operator=(const Link &) = delete;
		~Link()
		{
			Slot *waiting = std::exchange(slot, nullptr);
			if (!waiting)
				return;
			if (waiting->starting)
				waiting->dropped = true;
			else
				waiting->chain.root.destroy();
		}
	};

	explicit Resumer(std::shared_ptr<Link> link) : link_(std::move(link)) {}

	template<typename... Args>
	void operator()(Args &&...args) const
	{
		if (Slot *slot = take()) {
			if constexpr (std::is_void_v<T>)
				slot->value.emplace();
			else
				slot->value.emplace(std::forward<Args>(args)...);
			resume(slot);
		}
	}

	void fail(std::exception_ptr error) const
	{
		if (Slot *slot = take()) {
			slot->error = std::move(error);
			resume(slot);
		}
	}

private:
	Slot *take() const { return std::exchange(link_->slot, nullptr); }

	static void resume(Slot *slot)
	{
		/* Called back at once, await_suspend itself goes on without suspending. */
		if (!slot->starting)
			slot->waiting.resume();
	}

	std::shared_ptr<Link> link_;
};

namespace task {

template<typename T, typename Start>
class CallbackAwaiter
{
	using Slot = typename Resumer<T>::Slot;
	using Link = typename Resumer<T>::Link;

public:
	explicit CallbackAwaiter(Start start) : start_(std::move(start)) {}
	CallbackAwaiter(const CallbackAwaiter &) = delete;
	CallbackAwaiter &operator=(const CallbackAwaiter &) = delete;

	~CallbackAwaiter()
	{
		/* A call that comes after the frame is gone must find nobody waiting. */
		if (std::shared_ptr<Link> link = link_.lock())
			link->slot = nullptr;
	}

	bool await_ready() const noexcept { return false; }

	template<typename Promise>
	bool await_suspend(std::coroutine_handle<Promise> caller)
	{
		slot_.waiting = caller;
		slot_.chain = caller.promise().chain;
		auto link = std::make_shared<Link>(&slot_);
		link_ = link;
		start_(Resumer<T>(std::move(link)));

		if (slot_.value || slot_.error)
			return false;
		if (slot_.dropped)
			throw std::logic_error("a callback was dropped before it could be called");
		slot_.starting = false;
		return true;
	}

	T await_resume()
	{
		if (slot_.error)
			std::rethrow_exception(slot_.error);
		if constexpr (!std::is_void_v<T>)
			return std::move(*slot_.value);
	}

private:
	Start start_;
	Slot slot_;
	std::weak_ptr<Link> link_;
};

} /* namespace task */

/*
 * Awaits one call of a callback API: start gets a Resumer<T> to hand to the API, and the
 * co_await gives what it is called with, or throws what it fails with. A call made before
 * start returns completes the await without suspending.
 */
template<typename T, typename Start>
task::CallbackAwaiter<T, Start> awaitCallback(Start start)
{
	return task::CallbackAwaiter<T, Start>(std::move(start));
}

/*
 * Awaits an API that ends with a completion, void(std::exception_ptr error): start gets that
 * completion to hand over, and the co_await throws the error it gets, if any.
 */
template<typename Start>
auto awaitCompletion(Start start)
{
	return awaitCallback<void>([start = std::move(start)](Resumer<void> resume) mutable {
		start([resume](std::exception_ptr error) {
			if (error)
				resume.fail(std::move(error));
			else
				resume();
		});
	});
}

/*
 * Awaits an API that ends with done(T value, std::exception_ptr error): the co_await gives
 * the value, or throws the error.
 */
template<typename T, typename Start>
auto awaitResult(Start start)
{
	return awaitCallback<T>([start = std::move(start)](Resumer<T> resume) mutable {
		start([resume](T value, std::exception_ptr error) {
			if (error)
				resume.fail(std::move(error));
			else
				resume(std::move(value));
		});
	});
}

/*
 * Runs the tasks side by side and ends when the last one ended; it throws the first
 * exception one of them threw, once all ended.
 */
inline Task<void> whenAll(std::vector<Task<void>> tasks)
{
	struct Join {
		Join(std::size_t count, Resumer<void> resumer)
			: remaining(count), resume(std::move(resumer))
		{
		}

		std::size_t remaining;
		Resumer<void> resume;
		std::exception_ptr first;

		void ended(std::exception_ptr error)
		{
			if (error && !first)
				first = std::move(error);
			if (--remaining > 0)
				return;
			if (first)
				resume.fail(first);
			else
				resume();
		}
	};

	if (tasks.empty())
		co_return;
	co_await awaitCallback<void>([&tasks](Resumer<void> resume) {
		auto join = std::make_shared<Join>(tasks.size(), std::move(resume));
		for (Task<void> &task : tasks)
			detach(std::move(task),
			       [join](std::exception_ptr error) { join->ended(std::move(error)); });
	});
}

} /* namespace plinth */

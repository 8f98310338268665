/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <utility>

#include "await_callback.h"
#include "operation_scope.h"

namespace plinth {

/*
 * Runs operations whose scopes meet one after another, in the order they arrived, and the
 * others side by side. An operation starts once no earlier operation it overlaps is still
 * waiting or running, so it plans against the states its predecessors left behind.
 */
class OperationQueue
{
public:
	/* Called exactly once by an operation when it is over; safe after the queue is gone. */
	using Finished = std::function<void()>;
	using Start = std::function<void(Finished finished)>;

	OperationQueue() = default;
	OperationQueue(const OperationQueue &) = delete;
	OperationQueue &operator=(const OperationQueue &) = delete;

	/* Starts the operation now when nothing earlier overlaps it, else once that is over. */
	void submit(OperationScope scope, Start start);

	/* An operation's turn, for a coroutine: over once ended or destroyed. */
	class Turn
	{
	public:
		explicit Turn(Finished finished) : finished_(std::move(finished)) {}
		Turn(Turn &&other) noexcept : finished_(std::exchange(other.finished_, nullptr)) {}
		Turn &operator=(Turn &&) = delete;
		~Turn() { end(); }

		void end()
		{
			if (Finished finished = std::exchange(finished_, nullptr))
				finished();
		}

	private:
		Finished finished_;
	};

	/* Awaits the turn of an operation of scope, as submit() would start it. */
	auto turn(OperationScope scope)
	{
		return awaitCallback<Turn>(
			[this, scope = std::move(scope)](Resumer<Turn> resume) mutable {
				submit(std::move(scope), [resume](Finished finished) {
					resume(Turn(std::move(finished)));
				});
			});
	}

	/* Operations started and not yet finished. */
	std::size_t running() const;
	/* Operations waiting for an earlier one they overlap. */
	std::size_t waiting() const;

private:
	enum class State {
		Waiting,
		Running,
		Finished,
	};

	struct Entry {
		std::uint64_t id;
		OperationScope scope;
		Start start;
		State state = State::Waiting;
	};

	void finish(std::uint64_t id);
	void startReady();
	bool blocked(std::list<Entry>::const_iterator entry) const;
	std::size_t count(State state) const;

	std::list<Entry> entries_;
	std::uint64_t nextId_ = 1;
	/* An operation that finishes as it starts must not rescan the list under our feet. */
	bool scanning_ = false;
	bool rescan_ = false;
	std::shared_ptr<OperationQueue *> self_ = std::make_shared<OperationQueue *>(this);
};

} /* namespace plinth */

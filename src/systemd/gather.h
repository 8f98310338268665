/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <cstddef>
#include <exception>
#include <functional>
#include <memory>
#include <utility>

namespace plinth {

/*
 * Joins asynchronous calls running in parallel: done runs once, after the last part finished
 * and the gather was armed, with the first error a part reported.
 */
class Gather : public std::enable_shared_from_this<Gather>
{
public:
	using Completion = std::function<void(std::exception_ptr error)>;

	static std::shared_ptr<Gather> create(Completion done)
	{
		return std::shared_ptr<Gather>(new Gather(std::move(done)));
	}

	/* A completion for one more part. */
	Completion part()
	{
		remaining_++;
		return [self = shared_from_this()](std::exception_ptr error) {
			self->finish(std::move(error));
		};
	}

	/* Called once every part was started, so done cannot run before that. */
	void arm() { finish(nullptr); }

private:
	explicit Gather(Completion done) : done_(std::move(done)) {}

	void finish(std::exception_ptr error)
	{
		if (error && !error_)
			error_ = std::move(error);
		if (--remaining_ == 0)
			done_(error_);
	}

	/* One for arm(). */
	std::size_t remaining_ = 1;
	std::exception_ptr error_;
	Completion done_;
};

} /* namespace plinth */

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <cstddef>
#include <exception>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace plinth {

/*
 * Runs an asynchronous step for each unit with at most `width` of them in flight at once;
 * done runs once, after the last step finished, with the first error a step reported.
 * A bus daemon refuses a connection more than max_replies_per_connection pending replies
 * (128 by default, on the system bus too), so a step per unit all at once fails beyond that.
 */
class BoundedEach : public std::enable_shared_from_this<BoundedEach>
{
public:
	using Completion = std::function<void(std::exception_ptr error)>;
	using Step = std::function<void(const std::string &unit, Completion done)>;

	static void run(std::vector<std::string> units, std::size_t width, Step step,
			Completion done)
	{
		std::shared_ptr<BoundedEach> each(
			new BoundedEach(std::move(units), width, std::move(step), std::move(done)));
		each->startMore();
	}

private:
	BoundedEach(std::vector<std::string> units, std::size_t width, Step step, Completion done)
		: units_(std::move(units)), width_(width), step_(std::move(step)),
		  done_(std::move(done))
	{
	}

	void startMore()
	{
		while (running_ < width_ && next_ < units_.size()) {
			running_++;
			step_(units_[next_++],
			      [self = shared_from_this()](std::exception_ptr error) {
				      self->finishOne(std::move(error));
			      });
		}
		if (running_ == 0 && next_ == units_.size() && done_) {
			Completion done = std::move(done_);
			done_ = nullptr;
			done(error_);
		}
	}

	void finishOne(std::exception_ptr error)
	{
		if (error && !error_)
			error_ = std::move(error);
		running_--;
		startMore();
	}

	std::vector<std::string> units_;
	std::size_t width_;
	Step step_;
	Completion done_;
	std::size_t next_ = 0;
	std::size_t running_ = 0;
	std::exception_ptr error_;
};

} /* namespace plinth */

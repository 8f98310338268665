/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>

namespace plinth::test {

/*
 * The service's event loop reduced to what DiagnosisRunner needs: functions posted from any
 * thread run on the thread that calls runOne. Shared by the tests and the bench until they
 * can run the real EventLoop.
 */
class PostQueue
{
public:
	std::function<void(std::function<void()>)> post()
	{
		return [this](std::function<void()> function) {
			const std::lock_guard lock(mutex_);
			queue_.push_back(std::move(function));
			wake_.notify_one();
		};
	}

	/* Runs the oldest posted function, waiting up to timeout for one; false if none came. */
	bool runOne(std::chrono::milliseconds timeout)
	{
		std::unique_lock lock(mutex_);
		if (!wake_.wait_for(lock, timeout, [this] { return !queue_.empty(); }))
			return false;
		std::function<void()> function = std::move(queue_.front());
		queue_.pop_front();
		lock.unlock();
		function();
		return true;
	}

private:
	std::mutex mutex_;
	std::condition_variable wake_;
	std::deque<std::function<void()>> queue_;
};

} /* namespace plinth::test */

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <condition_variable>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

namespace plinth {

/*
 * What other threads hand to one worker thread. The worker takes everything queued at once,
 * so that work asked for meanwhile can be done together.
 */
template<typename Item>
class WorkQueue
{
public:
	void push(Item item)
	{
		{
			const std::lock_guard lock(mutex_);
			items_.push_back(std::move(item));
		}
		wake_.notify_one();
	}

	/* Waits for items; nullopt once stop() was called, even with items left. */
	std::optional<std::vector<Item>> takeAll()
	{
		std::unique_lock lock(mutex_);
		wake_.wait(lock, [this] { return stopped_ || !items_.empty(); });
		if (stopped_)
			return std::nullopt;
		std::vector<Item> all;
		all.swap(items_);
		return all;
	}

	void stop()
	{
		{
			const std::lock_guard lock(mutex_);
			stopped_ = true;
		}
		wake_.notify_all();
	}

	bool stopped() const
	{
		const std::lock_guard lock(mutex_);
		return stopped_;
	}

private:
	mutable std::mutex mutex_;
	std::condition_variable wake_;
	std::vector<Item> items_;
	bool stopped_ = false;
};

} /* namespace plinth */

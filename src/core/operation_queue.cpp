/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "operation_queue.h"

#include <algorithm>
#include <utility>

namespace plinth {

void OperationQueue::submit(OperationScope scope, Start start)
{
	entries_.push_back({nextId_++, std::move(scope), std::move(start)});
	startReady();
}

std::size_t OperationQueue::running() const
{
	return count(State::Running);
}

std::size_t OperationQueue::waiting() const
{
	return count(State::Waiting);
}

std::size_t OperationQueue::count(State state) const
{
	return std::count_if(entries_.begin(), entries_.end(),
			     [state](const Entry &entry) { return entry.state == state; });
}

void OperationQueue::finish(std::uint64_t id)
{
	for (Entry &entry : entries_) {
		if (entry.id == id && entry.state == State::Running)
			entry.state = State::Finished;
	}
	startReady();
}

bool OperationQueue::blocked(std::list<Entry>::const_iterator entry) const
{
	for (auto earlier = entries_.begin(); earlier != entry; ++earlier) {
		if (earlier->state != State::Finished &&
		    scopesOverlap(earlier->scope, entry->scope))
			return true;
	}
	return false;
}

void OperationQueue::startReady()
{
	if (scanning_) {
		rescan_ = true;
		return;
	}
	scanning_ = true;
	do {
		rescan_ = false;
		entries_.remove_if(
			[](const Entry &entry) { return entry.state == State::Finished; });
		for (auto entry = entries_.begin(); entry != entries_.end(); ++entry) {
			if (entry->state != State::Waiting || blocked(entry))
				continue;
			entry->state = State::Running;
			Start start = std::move(entry->start);
			start([self = std::weak_ptr<OperationQueue *>(self_), id = entry->id] {
				if (const auto queue = self.lock())
					(*queue)->finish(id);
			});
		}
	} while (rescan_);
	scanning_ = false;
}

} /* namespace plinth */

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "change_coalescer.h"

#include <utility>

namespace plinth {

ChangeCoalescer::ChangeCoalescer(Post post, Flush flush, Pick flushFirst)
	: pending_(std::make_shared<Pending>(
		  Pending{std::move(post), std::move(flush), std::move(flushFirst), {}}))
{
}

ChangeCoalescer::~ChangeCoalescer() = default;

void ChangeCoalescer::mark(const std::string &key)
{
	pending_->keys.insert(key);
	if (!pending_->posted)
		postFlush(pending_);
}

void ChangeCoalescer::postFlush(const std::shared_ptr<Pending> &pending)
{
	pending->posted = true;
	pending->post([weak = std::weak_ptr<Pending>(pending)] {
		const std::shared_ptr<Pending> pending = weak.lock();
		if (!pending)
			return;
		std::set<std::string> keys = takeBatch(*pending);
		/* Posted before the flush: keys it marks join what is left. */
		if (pending->keys.empty())
			pending->posted = false;
		else
			postFlush(pending);
		pending->flush(keys);
	});
}

std::set<std::string> ChangeCoalescer::takeBatch(Pending &pending)
{
	std::set<std::string> batch;
	for (const bool first : {true, false}) {
		for (auto it = pending.keys.begin();
		     it != pending.keys.end() && batch.size() < kMaxKeysPerFlush;) {
			const bool picked = pending.flushFirst && pending.flushFirst(*it);
			if (picked == first)
				batch.insert(pending.keys.extract(it++));
			else
				++it;
		}
	}
	return batch;
}

} /* namespace plinth */

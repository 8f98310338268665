/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "change_coalescer.h"

#include <utility>

namespace plinth {

ChangeCoalescer::ChangeCoalescer(Post post, Flush flush)
	: pending_(std::make_shared<Pending>(Pending{std::move(post), std::move(flush), {}}))
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
		std::set<std::string> keys;
		while (!pending->keys.empty() && keys.size() < kMaxKeysPerFlush)
			keys.insert(pending->keys.extract(pending->keys.begin()));
		/* Posted before the flush: keys it marks join what is left. */
		if (pending->keys.empty())
			pending->posted = false;
		else
			postFlush(pending);
		pending->flush(keys);
	});
}

} /* namespace plinth */

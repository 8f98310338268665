/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "change_coalescer.h"

#include <utility>

namespace plinth {

ChangeCoalescer::ChangeCoalescer(Post post, Flush flush)
	: post_(std::move(post)), pending_(std::make_shared<Pending>(Pending{std::move(flush), {}}))
{
}

ChangeCoalescer::~ChangeCoalescer() = default;

void ChangeCoalescer::mark(const std::string &key)
{
	pending_->keys.insert(key);
	if (pending_->posted)
		return;
	pending_->posted = true;
	post_([weak = std::weak_ptr<Pending>(pending_)] {
		const std::shared_ptr<Pending> pending = weak.lock();
		if (!pending)
			return;
		std::set<std::string> keys;
		keys.swap(pending->keys);
		pending->posted = false;
		pending->flush(keys);
	});
}

} /* namespace plinth */

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "caller_quota.h"

namespace plinth {

CallerQuota::CallerQuota(std::size_t limit) : limit_(limit)
{
}

CallerQuota::Ticket CallerQuota::take(const std::string &caller)
{
	std::size_t &count = (*counts_)[caller];
	if (count >= limit_) {
		if (count == 0)
			counts_->erase(caller);
		return nullptr;
	}
	++count;
	/* The ticket owns nothing but its release; it points at the counts only to be non-null. */
	return Ticket(counts_.get(), [counts = counts_, caller](void *) {
		const auto it = counts->find(caller);
		if (it != counts->end() && --it->second == 0)
			counts->erase(it);
	});
}

std::size_t CallerQuota::held(const std::string &caller) const
{
	const auto it = counts_->find(caller);
	return it == counts_->end() ? 0 : it->second;
}

} /* namespace plinth */

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "caller_quota.h"

#include "error.h"

namespace plinth {

CallerQuota::CallerQuota(std::size_t limit, std::size_t totalLimit)
	: limit_(limit), totalLimit_(totalLimit)
{
}

CallerQuota::Ticket CallerQuota::take(const std::string &caller)
{
	if (counts_->total >= totalLimit_ || held(caller) >= limit_)
		return nullptr;
	++counts_->byCaller[caller];
	++counts_->total;
	/* The ticket owns nothing but its release; it points at the counts only to be non-null. */
	return Ticket(counts_.get(), [counts = counts_, caller](void *) {
		--counts->total;
		const auto it = counts->byCaller.find(caller);
		if (it != counts->byCaller.end() && --it->second == 0)
			counts->byCaller.erase(it);
	});
}

CallerQuota::Ticket CallerQuota::takeOrBusy(const std::string &caller, const std::string &what,
					    const std::string &toFree)
{
	if (Ticket ticket = take(caller))
		return ticket;
	if (held(caller) >= limit_)
		throw Error(ErrorCode::Busy, "This caller already has " + std::to_string(limit_) +
						     " " + what + "; " + toFree +
						     ", then call again.");
	throw Error(ErrorCode::Busy, "The service already has " + std::to_string(totalLimit_) +
					     " " + what +
					     " for all its callers together; try "
					     "again once some of them have ended.");
}

std::size_t CallerQuota::held(const std::string &caller) const
{
	const auto it = counts_->byCaller.find(caller);
	return it == counts_->byCaller.end() ? 0 : it->second;
}

} /* namespace plinth */

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <cstddef>
#include <limits>
#include <map>
#include <memory>
#include <string>

namespace plinth {

/*
 * Counts what each caller (a bus unique name) holds against a limit per caller and one for
 * all callers together, so that one caller cannot make the service hold unbounded work or
 * resources for it while others wait, and all of them cannot exhaust the service. A taken
 * slot is a ticket: the slot is free again when the last copy of the ticket is gone.
 */
class CallerQuota
{
public:
	using Ticket = std::shared_ptr<void>;

	explicit CallerQuota(std::size_t limit,
			     std::size_t totalLimit = std::numeric_limits<std::size_t>::max());

	/*
	 * A ticket, or nullptr when caller already holds limit() of them or all callers
	 * together totalLimit(). Loop thread only.
	 */
	Ticket take(const std::string &caller);
	/*
	 * A ticket, or throws plinth::Error Busy that says what the caller holds (what: "log
	 * streams open") and, past its own limit, how to free a slot (toFree: "close one").
	 */
	Ticket takeOrBusy(const std::string &caller, const std::string &what,
			  const std::string &toFree);
	std::size_t held(const std::string &caller) const;
	std::size_t total() const { return counts_->total; }
	std::size_t limit() const { return limit_; }
	std::size_t totalLimit() const { return totalLimit_; }

private:
	struct Counts {
		std::map<std::string, std::size_t> byCaller;
		std::size_t total = 0;
	};

	std::size_t limit_;
	std::size_t totalLimit_;
	/* Shared with the tickets, which may outlive the quota. */
	std::shared_ptr<Counts> counts_ = std::make_shared<Counts>();
};

} /* namespace plinth */

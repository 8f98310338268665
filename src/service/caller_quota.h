/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <string>

namespace plinth {

/*
 * Counts what each caller (a bus unique name) has in flight against a limit, so that one
 * caller cannot make the service hold unbounded work for it while others wait. A taken slot
 * is a ticket: the slot is free again when the last copy of the ticket is gone.
 */
class CallerQuota
{
public:
	using Ticket = std::shared_ptr<void>;

	explicit CallerQuota(std::size_t limit);

	/* A ticket, or nullptr when caller already holds limit of them. Loop thread only. */
	Ticket take(const std::string &caller);
	std::size_t held(const std::string &caller) const;
	std::size_t limit() const { return limit_; }

private:
	using Counts = std::map<std::string, std::size_t>;

	std::size_t limit_;
	/* Shared with the tickets, which may outlive the quota. */
	std::shared_ptr<Counts> counts_ = std::make_shared<Counts>();
};

} /* namespace plinth */

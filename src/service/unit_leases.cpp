/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "unit_leases.h"

#include <fcntl.h>
#include <poll.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <system_error>
#include <vector>

#include "error.h"
#include "event_loop.h"
#include "plan.h"
#include "status.h"
#include "unit_operations.h"

namespace plinth {

UnitLeases::UnitLeases(UnitOperations &units, EventLoop &loop) : units_(units), loop_(loop)
{
}

UnitLeases::~UnitLeases()
{
	for (const auto &[fd, lease] : leases_) {
		loop_.unwatchFd(fd);
		::close(fd);
	}
	if (!held_.empty())
		spdlog::warn("stopping with {} units held running by leases; they keep running",
			     held_.size());
}

void UnitLeases::acquire(const std::string &holder, const std::string &unit, Acquired done,
			 std::shared_ptr<void> slot)
{
	detach(lease(holder, unit, std::move(slot)),
	       [done = std::move(done)](std::exception_ptr error, const Granted &granted) {
		       done(error, granted.wasRunning, granted.fd);
	       });
}

/* The plan's error and what systemd changed, once the operation on unit ran it. */
auto UnitLeases::runPlan(const std::string &unit, UnitOperations::UnitPlanner planner)
{
	using Result = std::pair<std::exception_ptr, PlanOutcome>;
	return awaitCallback<Result>([this, &unit, planner = std::move(planner)](
					     Resumer<Result> resume) mutable {
		units_.runUnitPlan(unit, std::move(planner),
				   [resume](std::exception_ptr error, const PlanOutcome &outcome) {
					   resume(error, outcome);
				   });
	});
}

Task<UnitLeases::Granted> UnitLeases::lease(std::string holder, std::string unit,
					    std::shared_ptr<void> slot)
{
	/* Decided when the operation starts, from the states of that moment. */
	Granted granted;
	bool counted = false;
	const auto decide = [&](const StatusQueries &status) -> Plan {
		granted.wasRunning = status.isUnitRunning(unit);
		const auto held = held_.find(unit);
		if (held != held_.end()) {
			/* Someone may have stopped it behind the earlier leases' back. */
			held->second.leases++;
			counted = true;
			return granted.wasRunning ? Plan{} : planUnitVerb(UnitVerb::Start, unit);
		}
		if (granted.wasRunning || status.unitState(unit).loadState == "not-found")
			return {};

		/* Whether that enable was ours is systemd's answer to it, not this view. */
		held_[unit] = {1, false};
		counted = true;
		return planUnitVerb(status.isUnitEnabled(unit) ? UnitVerb::Start : UnitVerb::Enable,
				    unit);
	};
	const auto [error, outcome] = co_await runPlan(unit, decide);

	/* Still before the next operation on the unit starts. */
	const auto held = held_.find(unit);
	if (outcome.createdLinks() && held != held_.end())
		held->second.enabledByUs = true;
	if (error) {
		/* Undo what this lease changed before saying it failed. */
		if (counted)
			release(unit);
		std::rethrow_exception(error);
	}
	granted.fd = grant(holder, unit, counted, std::move(slot));
	co_return granted;
}

int UnitLeases::grant(const std::string &holder, const std::string &unit, bool counted,
		      std::shared_ptr<void> slot)
{
	int fds[2];
	if (::pipe2(fds, O_CLOEXEC) < 0) {
		const std::error_code ec(errno, std::system_category());
		if (counted)
			release(unit);
		throw std::system_error(ec, "cannot make a lease");
	}

	const int watched = fds[0];
	if (!counted) {
		/* Nothing to undo when it ends: nobody needs to hear that. */
		::close(watched);
	} else {
		::fcntl(watched, F_SETFL, O_NONBLOCK);
		leases_.emplace(watched, Lease{holder, unit, std::move(slot)});
		loop_.watchFd(watched, POLLIN, [this, watched](short) {
			/* Whatever the holder writes is dropped; the end of the pipe ends it. */
			char buffer[256];
			ssize_t n;
			while ((n = ::read(watched, buffer, sizeof(buffer))) > 0) {
			}
			if (n == 0 || errno != EAGAIN)
				end(watched);
		});
		spdlog::info("{} holds a lease on {}", holder, unit);
	}
	return fds[1];
}

void UnitLeases::holderLeft(const std::string &holder)
{
	std::vector<int> ended;
	for (const auto &[fd, lease] : leases_) {
		if (lease.holder == holder)
			ended.push_back(fd);
	}
	for (int fd : ended)
		end(fd);
}

void UnitLeases::end(int fd)
{
	const auto it = leases_.find(fd);
	if (it == leases_.end())
		return;
	const std::string unit = it->second.unit;
	spdlog::info("the lease of {} on {} ended", it->second.holder, unit);
	loop_.unwatchFd(fd);
	::close(fd);
	leases_.erase(it);
	release(unit);
}

void UnitLeases::release(const std::string &unit)
{
	const auto held = held_.find(unit);
	if (held == held_.end() || --held->second.leases > 0)
		return;
	const bool disable = held->second.enabledByUs;
	held_.erase(held);

	detach(restore(unit, disable), [unit](std::exception_ptr error) {
		if (error)
			spdlog::warn("cannot put {} back as it was before its leases: {}", unit,
				     errorText(error));
	});
}

/* The plan's error is the restore's; so is the refusal of a unit a reload dropped meanwhile. */
Task<void> UnitLeases::restore(std::string unit, bool disable)
{
	const Plan plan = planUnitVerb(disable ? UnitVerb::Disable : UnitVerb::Stop, unit);
	const auto [error, outcome] =
		co_await runPlan(unit, [&plan](const StatusQueries &) { return plan; });
	if (error)
		std::rethrow_exception(error);
}

} /* namespace plinth */

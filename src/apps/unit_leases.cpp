/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "unit_leases.h"

#include <fcntl.h>
#include <poll.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <charconv>
#include <memory>
#include <system_error>
#include <vector>

#include "await_callback.h"
#include "error.h"
#include "event_loop.h"
#include "lease_plan.h"
#include "plan.h"
#include "status.h"
#include "unit_operations.h"

namespace plinth {

namespace {

constexpr std::string_view kNamePrefix = "lease-";

/* The serial of a lease's name "lease-SERIAL-UNIT"; 0 for any other name. */
std::uint64_t serialOf(std::string_view name)
{
	std::uint64_t serial = 0;
	if (name.starts_with(kNamePrefix))
		std::from_chars(name.data() + kNamePrefix.size(), name.data() + name.size(),
				serial);
	return serial;
}

} /* namespace */

UnitLeases::UnitLeases(UnitOperations &units, EventLoop &loop, std::filesystem::path records)
	: units_(units), loop_(loop), records_(std::move(records))
{
}

UnitLeases::~UnitLeases()
{
	for (const auto &[fd, lease] : leases_) {
		loop_.unwatchFd(fd);
		::close(fd);
	}
	if (!held_.empty())
		spdlog::warn(
			"stopping with {} units held running by leases; they keep running, and "
			"the next start takes the leases back or puts the units back",
			held_.size());
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

Task<UnitLeases::Granted> UnitLeases::acquire(std::string holder, std::string unit,
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
		held_[unit] = {1,
			       {.started = true,
				.wantedByApp = isWantedByEnabledApp(unit, status, false)}};
		counted = true;
		return planLeaseStart(unit, status);
	};
	const auto [error, outcome] = co_await runPlan(unit, decide);

	/* Still before the next operation on the unit starts. */
	const auto held = held_.find(unit);
	if (outcome.createdLinks() && held != held_.end())
		held->second.changes.linked = true;
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
		const std::string name = fdName(std::string(kNamePrefix) +
						std::to_string(nextSerial_++) + "-" + unit);
		watch(watched, {holder, unit, name, std::move(slot)});
		record(unit);
		store_.keep(watched, name);
		spdlog::info("{} holds a lease on {}", holder, unit);
	}
	return fds[1];
}

void UnitLeases::watch(int fd, Lease lease)
{
	::fcntl(fd, F_SETFL, O_NONBLOCK);
	leases_.emplace(fd, std::move(lease));
	loop_.watchFd(fd, POLLIN, [this, fd](short) {
		/* Whatever the holder writes is dropped; the end of the pipe ends it. */
		char buffer[256];
		ssize_t n;
		while ((n = ::read(fd, buffer, sizeof(buffer))) > 0) {
		}
		if (n == 0 || errno != EAGAIN)
			end(fd);
	});
}

void UnitLeases::holderLeft(const std::string &holder)
{
	std::vector<int> ended;
	for (const auto &[fd, lease] : leases_) {
		if (lease.holder == holder && !lease.restored)
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
	store_.drop(it->second.name);
	loop_.unwatchFd(fd);
	::close(fd);
	leases_.erase(it);
	release(unit);
	record(unit);
}

void UnitLeases::release(const std::string &unit)
{
	const auto held = held_.find(unit);
	if (held == held_.end() || --held->second.leases > 0)
		return;
	const LeaseChanges changes = held->second.changes;
	held_.erase(held);
	putBack(unit, changes);
}

void UnitLeases::putBack(const std::string &unit, const LeaseChanges &changes)
{
	detach(undo(unit, changes), [unit](std::exception_ptr error) {
		if (error)
			spdlog::warn("cannot put {} back as it was before its leases: {}", unit,
				     errorText(error));
	});
}

/* The plan's error is the undo's; so is the refusal of a unit a reload dropped meanwhile. */
Task<void> UnitLeases::undo(std::string unit, LeaseChanges changes)
{
	const auto [error, outcome] =
		co_await runPlan(unit, [&unit, &changes](const StatusQueries &status) {
			return planLeaseEnd(unit, changes, status);
		});
	if (error)
		std::rethrow_exception(error);
}

void UnitLeases::record(const std::string &unit)
{
	HeldUnitRecord kept;
	const auto held = held_.find(unit);
	if (held != held_.end())
		kept.changes = held->second.changes;
	for (const auto &[fd, lease] : leases_) {
		if (lease.unit == unit)
			kept.holders.emplace(lease.name, lease.holder);
	}
	try {
		records_.set(unit, kept);
	} catch (const std::exception &e) {
		spdlog::error(
			"cannot record the leases on {}, which a restart will not restore: {}",
			unit, e.what());
	}
}

void UnitLeases::restore()
{
	records_.load();
	std::multimap<std::string, int> passed = FdStore::takeBack();

	const LeaseRecordStore::Units recorded = records_.units();
	for (const auto &[unit, held] : recorded) {
		unsigned taken = 0;
		for (const auto &[name, holder] : held.holders) {
			nextSerial_ = std::max(nextSerial_, serialOf(name) + 1);
			const auto fd = passed.find(name);
			if (fd == passed.end()) {
				spdlog::info("the lease of {} on {} did not come back", holder,
					     unit);
				continue;
			}
			/* One whose holder closed it meanwhile reads its end at once. */
			watch(fd->second, {holder, unit, name, nullptr, true});
			passed.erase(fd);
			taken++;
			spdlog::info("took back the lease of {} on {}", holder, unit);
		}
		if (taken > 0)
			held_[unit] = {taken, held.changes};
		record(unit);
		if (taken == 0)
			putBack(unit, held.changes);
	}

	for (const auto &[name, fd] : passed) {
		spdlog::warn("systemd passed a descriptor named '{}' that no lease has; closing it",
			     name);
		store_.drop(name);
		::close(fd);
	}
}

} /* namespace plinth */

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "job_tracker.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <utility>
#include <vector>

#include "bus_call.h"
#include "plan_failures.h"

namespace plinth {

namespace {

using namespace std::chrono_literals;

/*
 * How long jobs wait for a manager that left the bus: a re-exec of systemd takes well under a
 * second; a manager that is not back by then was stopped or crashed and lost its jobs.
 */
constexpr auto kAbsenceGrace = 5s;
/* How long a job the returning manager no longer has may still be announced as ended. */
constexpr auto kLostJobGrace = 1s;

} /* namespace */

JobTracker::JobTracker(Manager &manager, EventLoop &loop, std::chrono::milliseconds jobTimeout)
	: manager_(manager), loop_(loop), jobTimeout_(jobTimeout)
{
}

JobTracker::~JobTracker()
{
	for (const auto &[id, job] : jobs_) {
		loop_.cancelTimer(job.timeout);
		if (job.grace)
			loop_.cancelTimer(*job.grace);
	}
	if (absence_)
		loop_.cancelTimer(*absence_);
}

void JobTracker::start(UnitVerb type, const std::string &unit, Completion done)
{
	const std::uint64_t id = nextId_++;
	const EventLoop::TimerId timeout =
		loop_.addTimer(jobTimeout_, [this, id] { timedOut(id); });
	jobs_.emplace(id, Job{type, unit, {}, timeout, std::nullopt, std::move(done)});

	/* sdbus-c++ 1.2's invoker keeps a reference to the method name: it must outlive it. */
	const std::string method(verbInfo(type).method);
	const std::string what = fmt::format("{} {}", unitVerbName(type), unit);
	sdbus::AsyncMethodInvoker call(manager_.proxy(), method);
	call.onInterface(systemd::kManagerInterface)
		.withArguments(unit, std::string("replace"))
		.uponReplyInvoke(
			[this, id, what](const sdbus::Error *e, const sdbus::ObjectPath &path) {
				const auto it = jobs_.find(id);
				if (it == jobs_.end()) {
					/* Timed out before systemd even answered: nobody waits. */
					if (!e)
						cancel(path);
					return;
				}
				if (e) {
					finish(id, manager_.callError(*e, what));
					return;
				}
				if (std::optional<std::string> result = unclaimedResult(path))
					ended(id, *result);
				else
					it->second.path = path;
			});
}

void JobTracker::jobRemoved(const std::string &path, const std::string &result)
{
	/* Starting a unit and its alias gives both calls the one job of the unit. */
	std::vector<std::uint64_t> waiting;
	for (const auto &[id, job] : jobs_)
		if (job.path == path)
			waiting.push_back(id);
	for (std::uint64_t id : waiting)
		ended(id, result);

	/*
	 * Anyone's job, or ours whose reply is still on its way (an alias's, too): keep it as
	 * long as a job may run.
	 */
	const auto now = EventLoop::Clock::now();
	while (!unclaimed_.empty() && now - unclaimed_.front().at > jobTimeout_)
		unclaimed_.pop_front();
	unclaimed_.push_back({now, path, result});
}

std::optional<std::string> JobTracker::unclaimedResult(const std::string &path) const
{
	const auto it = std::find_if(unclaimed_.begin(), unclaimed_.end(),
				     [&](const UnclaimedResult &u) { return u.path == path; });
	if (it == unclaimed_.end())
		return std::nullopt;
	/* Kept until it expires: a unit's alias may still claim the same job. */
	return it->result;
}

void JobTracker::managerVanished()
{
	/* A manager started afresh numbers its jobs from 1 again. */
	unclaimed_.clear();
	if (jobs_.empty() || absence_)
		return;
	spdlog::warn("systemd left the bus with {} jobs of ours; waiting {} s for it to return",
		     jobs_.size(), std::chrono::seconds(kAbsenceGrace).count());
	absence_ = loop_.addTimer(kAbsenceGrace, [this] {
		absence_.reset();
		std::vector<std::uint64_t> ids;
		for (const auto &[id, job] : jobs_)
			ids.push_back(id);
		for (std::uint64_t id : ids)
			failLost(id, "systemd went away and did not come back");
	});
}

void JobTracker::managerAppeared()
{
	if (absence_) {
		loop_.cancelTimer(*absence_);
		absence_.reset();
	}
	std::vector<std::uint64_t> ids;
	for (const auto &[id, job] : jobs_) {
		if (!job.path.empty())
			ids.push_back(id);
	}
	for (std::uint64_t id : ids)
		detach(recheck(id), [](std::exception_ptr error) {
			if (error)
				spdlog::warn("Cannot look a job up again: {}", errorText(error));
		});
}

/*
 * The unit's Job property names the job it waits for; an alias leads to the same unit. A job
 * the manager does not name there, or that cannot be looked up, fails after a grace period.
 */
Task<void> JobTracker::recheck(std::uint64_t id)
{
	const std::string unit = jobs_.at(id).unit;
	try {
		sdbus::MethodCall load =
			manager_.proxy().createMethodCall(systemd::kManagerInterface, "LoadUnit");
		load << unit;
		sdbus::ObjectPath unitPath;
		co_await awaitReply(manager_.proxy(), load, manager_.callTimeout()) >> unitPath;
		if (!jobs_.contains(id))
			co_return;

		sdbus::IProxy &unitProxy = manager_.objectProxy(unitPath);
		sdbus::MethodCall get =
			unitProxy.createMethodCall(systemd::kPropertiesInterface, "Get");
		get << systemd::kUnitInterface << std::string("Job");
		sdbus::Variant value;
		co_await awaitReply(unitProxy, get, manager_.callTimeout()) >> value;
		const auto it = jobs_.find(id);
		using JobRef = sdbus::Struct<std::uint32_t, sdbus::ObjectPath>;
		if (it == jobs_.end() ||
		    std::string(value.get<JobRef>().get<1>()) == it->second.path)
			co_return;
	} catch (const sdbus::Error &) {
	}
	if (jobs_.contains(id))
		failAfterGrace(id);
}

void JobTracker::failAfterGrace(std::uint64_t id)
{
	Job &job = jobs_.at(id);
	if (job.grace)
		return;
	job.grace = loop_.addTimer(kLostJobGrace, [this, id] {
		jobs_.at(id).grace.reset();
		failLost(id, "systemd restarted and no longer has the job");
	});
}

void JobTracker::failLost(std::uint64_t id, const std::string &why)
{
	const Job &job = jobs_.at(id);
	finish(id, makeError(ErrorCode::SystemdUnavailable,
			     fmt::format("The job to {} {} did not finish: {}; check that the "
					 "manager runs and try again.",
					 unitVerbName(job.type), job.unit, why)));
}

void JobTracker::timedOut(std::uint64_t id)
{
	const Job &job = jobs_.at(id);
	if (!job.path.empty())
		cancel(job.path);
	finish(id, makeError(ErrorCode::Timeout,
			     fmt::format("The job to {} {} did not finish within {} ms and was "
					 "cancelled; see `systemctl status {}`.",
					 unitVerbName(job.type), job.unit, jobTimeout_.count(),
					 job.unit)));
}

void JobTracker::cancel(const std::string &path)
{
	const std::uint32_t jobId = std::stoul(path.substr(path.rfind('/') + 1));
	manager_.proxy()
		.callMethodAsync("CancelJob")
		.onInterface(systemd::kManagerInterface)
		.withArguments(jobId)
		.withTimeout(manager_.callTimeout())
		.uponReplyInvoke([path](const sdbus::Error *e) {
			/* It may have ended meanwhile, or an alias's call cancelled it already. */
			if (e)
				spdlog::info("Cancelling job {}: {}", path, e->getMessage());
		});
}

/*
 * systemctl treats skipped (nothing to do, e.g. a try-restart of a stopped unit) as success.
 * A failure says systemd's result for the job only: why the unit failed (its own Result, exit
 * status and last lines) is for the service to add, for a caller allowed to see it.
 */
void JobTracker::ended(std::uint64_t id, const std::string &result)
{
	if (result == "done" || result == "skipped") {
		finish(id, nullptr);
		return;
	}
	const Job &job = jobs_.at(id);
	finish(id,
	       std::make_exception_ptr(JobResultError(
		       result, fmt::format("The job to {} {} ended with result '{}'; see "
					   "`systemctl status {}` for why.",
					   unitVerbName(job.type), job.unit, result, job.unit))));
}

void JobTracker::finish(std::uint64_t id, std::exception_ptr error)
{
	const auto it = jobs_.find(id);
	if (it == jobs_.end())
		return;
	loop_.cancelTimer(it->second.timeout);
	if (it->second.grace)
		loop_.cancelTimer(*it->second.grace);
	Completion done = std::move(it->second.done);
	jobs_.erase(it);
	done(std::move(error));
}

} /* namespace plinth */

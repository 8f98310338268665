/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>

#include "event_loop.h"
#include "manager.h"
#include "plan.h"
#include "task.h"

namespace plinth {

/*
 * Starts jobs and waits for each one's JobRemoved, bounded by the job timeout; a job that
 * times out is cancelled in systemd too, so the error and the system agree. systemd keeps its
 * jobs across a re-exec: while the manager is away the jobs keep waiting, and on its return
 * each is looked up again; only a job the manager no longer has, and whose end nobody
 * announced within a grace period, fails, as do all of them when the manager stays away.
 */
class JobTracker
{
public:
	JobTracker(Manager &manager, EventLoop &loop, std::chrono::milliseconds jobTimeout);
	~JobTracker();
	JobTracker(const JobTracker &) = delete;
	JobTracker &operator=(const JobTracker &) = delete;

	/* done gets nullptr for the results done and skipped, a plinth::Error otherwise. */
	void start(UnitVerb type, const std::string &unit, Completion done);

	void jobRemoved(const std::string &path, const std::string &result);
	void managerVanished();
	void managerAppeared();

private:
	struct Job {
		UnitVerb type;
		std::string unit;
		/* Empty until the manager answered the call. */
		std::string path;
		EventLoop::TimerId timeout;
		std::optional<EventLoop::TimerId> grace;
		Completion done;
	};

	/* A JobRemoved that came before the reply naming its job. */
	struct UnclaimedResult {
		EventLoop::Clock::time_point at;
		std::string path;
		std::string result;
	};

	void timedOut(std::uint64_t id);
	void cancel(const std::string &path);
	Task<void> recheck(std::uint64_t id);
	void failAfterGrace(std::uint64_t id);
	void failLost(std::uint64_t id, const std::string &why);
	void ended(std::uint64_t id, const std::string &result);
	std::optional<std::string> unclaimedResult(const std::string &path) const;
	void finish(std::uint64_t id, std::exception_ptr error);

	Manager &manager_;
	EventLoop &loop_;
	std::chrono::milliseconds jobTimeout_;
	std::map<std::uint64_t, Job> jobs_;
	std::uint64_t nextId_ = 1;
	std::deque<UnclaimedResult> unclaimed_;
	std::optional<EventLoop::TimerId> absence_;
};

} /* namespace plinth */

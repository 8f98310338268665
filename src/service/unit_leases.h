/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <cstdint>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "task.h"
#include "unit_operations.h"

namespace plinth {

class EventLoop;

/*
 * EnsureUnitRunning's leases, the reference's ensure_running() made safe across processes:
 * a unit that does not run is enabled (where it was not) and started while at least one
 * lease on it is held, and stopped when the last one ends, and disabled too where systemd
 * reported that the enable created links: an enable that found them in place, whoever made
 * them, is not this service's to undo. A lease is the write end of a pipe, as logind's inhibitor
 * locks are: it ends when every copy of it is closed, which a crash of its holder does too, or when
 * its holder leaves the bus. A unit that runs already, or that systemd does not know, is left as it
 * is and its lease changes nothing.
 */
class UnitLeases
{
public:
	/* fd is the lease for the caller, owned by it; -1 with an error. */
	using Acquired = std::function<void(std::exception_ptr error, bool wasRunning, int fd)>;

	UnitLeases(UnitOperations &units, EventLoop &loop);
	/* Leases still held stay as they are: the units keep running. */
	~UnitLeases();
	UnitLeases(const UnitLeases &) = delete;
	UnitLeases &operator=(const UnitLeases &) = delete;

	/*
	 * Runs as an operation on the unit; done gets any error, UnitOperations::runUnitPlan()'s
	 * refusal too. slot is released when the lease ends, or at once if the lease changes
	 * nothing.
	 */
	void acquire(const std::string &holder, const std::string &unit, Acquired done,
		     std::shared_ptr<void> slot = nullptr);

	/* The holder left the bus: each of its leases ends. */
	void holderLeft(const std::string &holder);

private:
	/* What this service changed for the leases on one unit, undone by the last one. */
	struct Held {
		unsigned leases = 0;
		/* systemd reported that the first lease's enable created links. */
		bool enabledByUs = false;
	};

	struct Lease {
		std::string holder;
		std::string unit;
		std::shared_ptr<void> slot;
	};

	/* What a lease's caller gets. */
	struct Granted {
		bool wasRunning = false;
		int fd = -1;
	};

	Task<Granted> lease(std::string holder, std::string unit, std::shared_ptr<void> slot);
	auto runPlan(const std::string &unit, UnitOperations::UnitPlanner planner);
	/* The caller's end of a new lease; one that is counted is watched for its end. */
	int grant(const std::string &holder, const std::string &unit, bool counted,
		  std::shared_ptr<void> slot);
	void end(int fd);
	void release(const std::string &unit);
	Task<void> restore(std::string unit, bool disable);

	UnitOperations &units_;
	EventLoop &loop_;
	std::map<std::string, Held> held_;
	/* By the read end the service watches. */
	std::map<int, Lease> leases_;
};

} /* namespace plinth */

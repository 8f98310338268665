/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <cstdint>
#include <exception>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "fd_store.h"
#include "lease_records.h"
#include "task.h"
#include "unit_operations.h"

namespace plinth {

class EventLoop;

/*
 * EnsureUnitRunning's leases, the reference's ensure_running() made safe across processes:
 * a unit that does not run is enabled for the runtime (where it was not) and started while at
 * least one lease on it is held, and put back when the last one ends. A lease is the write end
 * of a pipe, as logind's inhibitor locks are: it ends when every copy of it is closed, which a
 * crash of its holder does too, or when its holder leaves the bus. A unit that runs already,
 * or that systemd does not know, is left as it is and its lease changes nothing.
 *
 * Leases outlive the service: the read end of each pipe goes to systemd's descriptor store and
 * what the leases changed to the state directory, so that after a restart the service watches
 * the same pipes again, and puts back the units whose leases did not come back. What the end
 * of the last lease undoes is only what is still the leases' own (planLeaseEnd()).
 */
class UnitLeases
{
public:
	/* records: the file of the state directory that holds what the leases changed. */
	UnitLeases(UnitOperations &units, EventLoop &loop, std::filesystem::path records);
	/*
	 * Leases still held stay as they are: the units keep running, and the next start of the
	 * service takes the leases back from systemd's store or puts the units back.
	 */
	~UnitLeases();
	UnitLeases(const UnitLeases &) = delete;
	UnitLeases &operator=(const UnitLeases &) = delete;

	/* What a lease's caller gets: fd is its end of the lease, the caller's to close. */
	struct Granted {
		bool wasRunning = false;
		int fd = -1;
	};

	/*
	 * Runs as an operation on the unit; throws any error, UnitOperations::runUnitPlan()'s
	 * refusal too. slot is released when the lease ends, or at once if the lease changes
	 * nothing.
	 */
	Task<Granted> acquire(std::string holder, std::string unit,
			      std::shared_ptr<void> slot = nullptr);

	/* The holder left the bus: each of its leases ends, except those restore() took back. */
	void holderLeft(const std::string &holder);

	/*
	 * At start, once the app definitions are read: watches again each recorded lease whose
	 * descriptor systemd passed back. A lease taken back ends only when its descriptor
	 * closes: its holder's bus name may belong to someone else after a restart of the bus.
	 * The units whose leases all stayed away (the store is off, the service ran by hand, or
	 * their holders closed them meanwhile) are put back as each one's last lease would.
	 */
	void restore();

private:
	/* What this service changed for the leases on one unit, undone by the last one. */
	struct Held {
		unsigned leases = 0;
		LeaseChanges changes;
	};

	struct Lease {
		std::string holder;
		std::string unit;
		/* Its name in systemd's descriptor store and in the records. */
		std::string name = {};
		/* Released when the lease ends; none for a lease taken back at start. */
		std::shared_ptr<void> slot = nullptr;
		/* Taken back at start: only its descriptor ends it. */
		bool restored = false;
	};

	auto runPlan(const std::string &unit, UnitOperations::UnitPlanner planner);
	/* The caller's end of a new lease; one that is counted is watched for its end. */
	int grant(const std::string &holder, const std::string &unit, bool counted,
		  std::shared_ptr<void> slot);
	void watch(int fd, Lease lease);
	void end(int fd);
	void release(const std::string &unit);
	/* Puts unit back as its last lease's end would; a failure is logged. */
	void putBack(const std::string &unit, const LeaseChanges &changes);
	Task<void> undo(std::string unit, LeaseChanges changes);
	/* Writes the unit's leases to the records; a failure is logged. */
	void record(const std::string &unit);

	UnitOperations &units_;
	EventLoop &loop_;
	LeaseRecordStore records_;
	FdStore store_;
	/* Numbers the leases' names, across restarts too. */
	std::uint64_t nextSerial_ = 1;
	std::map<std::string, Held> held_;
	/* By the read end the service watches. */
	std::map<int, Lease> leases_;
};

} /* namespace plinth */

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <chrono>
#include <exception>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "plan.h"
#include "systemd_units.h"
#include "unit_state.h"

namespace plinth {

class EventLoop;
class SignalGate;

/*
 * The service's only way to systemd: org.freedesktop.systemd1 over one connection, every call
 * asynchronous on the event loop. It keeps a mirror of the tracked units' states current from
 * systemd's signals and its own changes (unit_mirror.h), and it executes plans
 * (plan_runner.h) whose jobs survive a re-exec of the manager (job_tracker.h); it never
 * decides what to do.
 */
class SystemdClient final : public SystemdUnits
{
public:
	/*
	 * The gate (with its connection) and the loop must outlive the client; the loop
	 * dispatches the connection. Every signal it follows passes the gate.
	 */
	SystemdClient(SignalGate &signals, EventLoop &loop, std::chrono::milliseconds jobTimeout);
	~SystemdClient() override;
	SystemdClient(const SystemdClient &) = delete;
	SystemdClient &operator=(const SystemdClient &) = delete;

	/*
	 * Tracks exactly these unit names from now on (loaded as LoadUnit does, never GetUnit,
	 * plus the unit-file state of each very name, as GetUnitFileState gives it), in batches
	 * where systemd allows; done runs once every one is in the cache.
	 */
	void track(const std::vector<std::string> &units, std::function<void()> done) override;

	/* The cache, current as of systemd's last signal; valid as long as the client. */
	const UnitStateView &unitStates() const override;

	/* Called on the loop thread whenever a tracked unit's cached state changed, by anyone. */
	void onUnitChanged(UnitChangedHandler handler) override;

	/*
	 * Runs the steps one after another, best effort: every unit of every step is attempted
	 * whatever failed before. A unit-file step is one batched call, unit by unit when systemd
	 * refuses the batch, never forced, followed by one manager Reload only where the change
	 * needs one; a job step starts all its jobs at once and waits for each JobRemoved
	 * (done and skipped are success), bounded by the job timeout, cancelling a job that
	 * exceeds it. done gets nullptr when every unit succeeded, or one plinth::Error naming
	 * each failed unit and why (JobFailed; Timeout or SystemdUnavailable when all failures
	 * are of that kind). Best-effort targets' failures, and those of a unit whose alias
	 * worked, are logged only. done also gets every unit-file change systemd reported for
	 * the plan's calls, whether or not it failed. Before done runs, the targets' states in
	 * the cache are fresh.
	 */
	void execute(const Plan &plan, PlanDone done) override;

	/* Whether the manager currently owns its name on the bus. */
	bool isAvailable() const;

private:
	class Private;
	std::unique_ptr<Private> d_;
};

} /* namespace plinth */

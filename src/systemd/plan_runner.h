/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <exception>
#include <string>
#include <vector>

#include <sdbus-c++/sdbus-c++.h>

#include "job_tracker.h"
#include "manager.h"
#include "plan.h"
#include "task.h"
#include "unit_mirror.h"

namespace plinth {

/* What a plan did: every unit-file change systemd reported, and what failed (or nullptr). */
struct PlanReport {
	PlanOutcome outcome;
	std::exception_ptr error;
};

/*
 * Runs a plan best effort: every step, and every unit of each step, is attempted in the plan's
 * order whatever failed before; the report's error is nullptr when everything succeeded,
 * otherwise one error naming every unit that failed and why, and in both cases the report
 * has every unit-file change systemd reported. A name that is an alias of a loaded unit is
 * acted on as the unit it names, as systemctl does.
 */
class PlanRunner
{
public:
	PlanRunner(Manager &manager, UnitMirror &mirror, JobTracker &jobs);

	Task<PlanReport> run(Plan plan);

private:
	struct Step;
	using Changes = std::vector<sdbus::Struct<std::string, std::string, std::string>>;

	std::vector<PlanTarget> resolved(const std::vector<PlanTarget> &targets) const;

	Task<void> runStep(UnitVerb verb, Step &step);
	Task<void> changeUnitFiles(UnitVerb verb, std::vector<std::string> units, Step &step);
	Task<Changes> callUnitFiles(UnitVerb verb, std::vector<std::string> units);
	Task<void> readBack(UnitVerb verb, Step &step);
	Task<void> runJob(UnitVerb verb, std::string unit, Step &step);
	Task<void> callForUnit(UnitVerb verb, std::string unit, Step &step);

	Manager &manager_;
	UnitMirror &mirror_;
	JobTracker &jobs_;
};

} /* namespace plinth */

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <sdbus-c++/sdbus-c++.h>

#include "job_tracker.h"
#include "manager.h"
#include "plan.h"
#include "unit_mirror.h"

namespace plinth {

/*
 * Runs a plan best effort: every step, and every unit of each step, is attempted in the plan's
 * order whatever failed before; done gets nullptr when everything succeeded, otherwise one
 * error naming every unit that failed and why, and in both cases every unit-file change
 * systemd reported. A name that is an alias of a loaded unit is
 * acted on as the unit it names, as systemctl does.
 */
class PlanRunner
{
public:
	PlanRunner(Manager &manager, UnitMirror &mirror, JobTracker &jobs);

	void run(const Plan &plan, PlanDone done);

private:
	struct Run;
	struct Step;
	using Changes = std::vector<sdbus::Struct<std::string, std::string, std::string>>;
	using ChangesReply = std::function<void(std::exception_ptr error, Changes changes)>;

	void runNextStep(std::shared_ptr<Run> run);
	std::vector<PlanTarget> resolved(const std::vector<PlanTarget> &targets) const;

	void runUnitFileStep(UnitFileChange change, std::shared_ptr<Step> step, Completion done);
	void changeUnitFiles(UnitFileChange change, std::vector<std::string> units,
			     std::shared_ptr<Step> step, Completion done);
	void changeEachInTurn(UnitFileChange change, std::vector<std::string> units,
			      std::size_t next, std::shared_ptr<Step> step, Completion done);
	void callUnitFiles(UnitFileChange change, const std::vector<std::string> &units,
			   ChangesReply reply);
	void reloadManager(std::shared_ptr<Step> step, Completion done);
	void readBack(UnitFileChange change, std::shared_ptr<Step> step, Completion done);

	void runJobStep(JobType type, std::shared_ptr<Step> step, Completion done);
	void runUnitCallStep(UnitCall call, std::shared_ptr<Step> step, Completion done);

	Manager &manager_;
	UnitMirror &mirror_;
	JobTracker &jobs_;
};

} /* namespace plinth */

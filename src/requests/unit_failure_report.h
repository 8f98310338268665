/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <exception>
#include <string>
#include <vector>

#include "authority.h"
#include "failure_report.h"
#include "plan_failures.h"
#include "task.h"

namespace plinth {

class AppCatalog;
class LogService;
class UnitPropertyReader;

/*
 * Makes a plan's JobFailed error say why, as `systemctl` points at `journalctl -xeu`: for
 * each unit of units that failed, the unit's own Result and exit status, and for a caller
 * allowed to read its logs (asked without interaction, as GetUnitLogs asks) its last lines. Any
 * other error passes unchanged.
 */
class UnitFailureReport final : public FailureReport
{
public:
	static constexpr std::uint32_t kLastLines = 10;

	UnitFailureReport(UnitPropertyReader &properties, LogService &logs, Authority &authority,
			  const AppCatalog &apps);

	Task<std::exception_ptr> explained(std::exception_ptr error, Caller caller,
					   std::vector<std::string> units) override;

private:
	Task<void> describe(UnitFailure &failure, const Caller &caller);

	UnitPropertyReader &properties_;
	LogService &logs_;
	Authority &authority_;
	const AppCatalog &apps_;
};

} /* namespace plinth */

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "systemd_client.h"

#include <spdlog/spdlog.h>

#include <utility>

#include <sdbus-c++/sdbus-c++.h>

#include "job_tracker.h"
#include "manager.h"
#include "plan_runner.h"
#include "systemd_signals.h"
#include "unit_mirror.h"

namespace plinth {

/* Wires the manager's presence and signals to the mirror and the job tracker. */
class SystemdClient::Private
{
public:
	Private(SignalGate &signals, EventLoop &loop, std::chrono::milliseconds jobTimeout)
		: manager_(signals, jobTimeout), mirror_(manager_, loop),
		  jobs_(manager_, loop, jobTimeout), runner_(manager_, mirror_, jobs_)
	{
		manager_.onPresence([this](bool present) {
			if (present) {
				spdlog::info("systemd is on the bus: re-checking its jobs and unit "
					     "states");
				jobs_.managerAppeared();
				mirror_.managerAppeared();
			} else {
				spdlog::warn("systemd left the bus");
				jobs_.managerVanished();
			}
		});
		manager_.onSignal([this](sdbus::Message &message) { dispatch(message); });
	}

	/* Only systemd's own broadcasts get here (signal_gate.h); a body is read whole first. */
	void dispatch(sdbus::Message &message)
	{
		const std::string member = message.getMemberName();
		if (member == "PropertiesChanged") {
			mirror_.propertiesChanged(message.getPath(),
						  readPropertiesChanged(message));
		} else if (member == "JobRemoved") {
			const JobRemoved removed = readJobRemoved(message);
			jobs_.jobRemoved(removed.path, removed.result);
		} else if (member == "UnitFilesChanged") {
			mirror_.unitFilesChanged();
		} else if (member == "Reloading") {
			if (!readReloadingStarts(message))
				mirror_.reloaded();
		}
	}

	Manager manager_;
	UnitMirror mirror_;
	JobTracker jobs_;
	PlanRunner runner_;
};

SystemdClient::SystemdClient(SignalGate &signals, EventLoop &loop,
			     std::chrono::milliseconds jobTimeout)
	: d_(std::make_unique<Private>(signals, loop, jobTimeout))
{
}

SystemdClient::~SystemdClient() = default;

void SystemdClient::track(const std::vector<std::string> &units, std::function<void()> done)
{
	d_->mirror_.track(units, [done = std::move(done)](std::exception_ptr error) {
		if (error)
			spdlog::warn("Some unit states are unknown: {}", errorText(error));
		done();
	});
}

const UnitStateView &SystemdClient::unitStates() const
{
	return d_->mirror_.cache();
}

void SystemdClient::onUnitChanged(UnitChangedHandler handler)
{
	d_->mirror_.onUnitChanged(std::move(handler));
}

void SystemdClient::execute(const Plan &plan, PlanDone done)
{
	detach(d_->runner_.run(plan),
	       [done = std::move(done)](std::exception_ptr failed, const PlanReport &report) {
		       done(failed ? failed : report.error, report.outcome);
	       });
}

bool SystemdClient::isAvailable() const
{
	return d_->manager_.isAvailable();
}

} /* namespace plinth */

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "health_monitor.h"

#include <spdlog/spdlog.h>

#include <utility>

#include "diagnose.h"
#include "error.h"

namespace plinth {

namespace {

HealthCheck healthCheck(const DiagnosticCheck &check)
{
	return {check.checkId, std::string(checkResultName(check.result)), check.message};
}

} /* namespace */

HealthMonitor::HealthMonitor(AppCatalog &apps, AppChanges &changes, AppDiagnoses &diagnoses,
			     const Translator &translator, const HealthStore &store,
			     const IgnoredChecksStore &ignoredStore,
			     HealthRecordsWriter::RunBlocking runBlocking)
	: apps_(apps), changes_(changes), translator_(translator), ignoredStore_(ignoredStore),
	  writer_(store, std::move(runBlocking)), lastDiagnoses_(store.load()),
	  ignored_(ignoredStore.load())
{
	appStateSubscription_ = apps_.onAppStateChanged([this](const std::string &id, bool, bool) {
		if (const App *app = apps_.registry()->findApp(id))
			refresh(*app, apps_.status());
	});
	unitStateSubscription_ = apps_.onUnitStateChanged(
		[this](const std::string &unit, const UnitState &) { refreshDeclarersOf(unit); });
	reloadSubscription_ = apps_.onReloaded([this] { refreshAll(); });
	changeSubscription_ = changes_.onAppChangeEnded([this](const std::string &id) {
		if (const App *app = apps_.registry()->findApp(id))
			refresh(*app, apps_.status());
	});
	diagnosisSubscription_ = diagnoses.onDiagnosed(
		[this](const DiagnosisRunner::Results &results, std::uint64_t time) {
			recordDiagnosis(results, time);
		});
	apps_.whenStatesKnown([this, alive = std::weak_ptr<bool>(alive_)] {
		if (!alive.lock())
			return;
		statesKnown_ = true;
		refreshAll();
	});
}

const AppHealth &HealthMonitor::health(std::string_view app) const
{
	static const AppHealth unknown;
	const auto it = health_.find(app);
	return it == health_.end() ? unknown : it->second;
}

void HealthMonitor::validateCheckId(const std::string &checkId)
{
	if (!isValidCheckId(checkId))
		throw Error(ErrorCode::InvalidArgument,
			    "'" + checkId +
				    "' is not a check id: DiagnoseApp (plinthctl diagnose APP) "
				    "lists the app's checks with their ids.");
}

void HealthMonitor::setIgnored(const std::string &app, const std::string &checkId, bool ignored)
{
	validateCheckId(checkId);
	IgnoredChecks next = ignored_;
	auto &checks = next[app];
	if (ignored ? checks.contains(checkId) : !checks.contains(checkId))
		return;
	if (ignored && checks.size() >= kMaxIgnoredPerApp)
		throw Error(ErrorCode::InvalidArgument,
			    "App '" + app + "' has " + std::to_string(kMaxIgnoredPerApp) +
				    " checks ignored already, the most it may have.");
	if (ignored)
		checks.insert(checkId);
	else
		checks.erase(checkId);
	if (checks.empty())
		next.erase(app);
	ignoredStore_.save(next);
	ignored_ = std::move(next);
	spdlog::info("check '{}' of app '{}' {}", checkId, app,
		     ignored ? "is ignored" : "counts again");
	if (const App *definition = apps_.registry()->findApp(app))
		refresh(*definition, apps_.status());
}

HealthState HealthMonitor::summary() const
{
	return attention_.empty() ? HealthState::Ok : HealthState::Degraded;
}

void HealthMonitor::refreshAll()
{
	const StatusQueries status = apps_.status();
	/* A reload that removed an app leaves nothing of it in the state directory. */
	if (std::erase_if(lastDiagnoses_, [&status](const auto &record) {
		    return !status.registry().findApp(record.first);
	    }))
		persist();
	for (auto it = health_.begin(); it != health_.end();) {
		if (status.registry().findApp(it->first)) {
			++it;
			continue;
		}
		const std::string gone = it->first;
		it = health_.erase(it);
		if (attention_.erase(gone))
			summaryListeners_.notify();
	}
	for (const App &app : status.registry().apps())
		refresh(app, status);
}

void HealthMonitor::refreshDeclarersOf(const std::string &unit)
{
	const StatusQueries status = apps_.status();
	std::set<const App *> affected;
	for (const ComponentRef &ref : status.registry().declarersOf(unit))
		affected.insert(ref.app);
	for (const App *app : affected)
		refresh(*app, status);
}

void HealthMonitor::refresh(const App &app, const StatusQueries &status)
{
	/* Before systemd's first answers every unit would look down. */
	if (!statesKnown_ || changes_.isChanging(app.id))
		return;
	const bool enabled = status.isAppEnabled(app);
	/* What was found while it was disabled says nothing of the app enabled again. */
	if (enabled && health(app.id).state == HealthState::Disabled &&
	    lastDiagnoses_.erase(app.id))
		persist();
	std::vector<HealthCheck> running;
	if (enabled) {
		for (const Component &component : app.components)
			if (component.followsApp())
				running.push_back(healthCheck(
					diagnoseRunning(component, status, translator_)));
	}
	const auto last = lastDiagnoses_.find(app.id);
	const auto ignored = ignored_.find(app.id);
	static const std::set<std::string, std::less<>> noneIgnored;
	setHealth(app.id, assessHealth(enabled, running,
				       last == lastDiagnoses_.end() ? nullptr : &last->second,
				       ignored == ignored_.end() ? noneIgnored : ignored->second));
}

void HealthMonitor::recordDiagnosis(const DiagnosisRunner::Results &results, std::uint64_t time)
{
	const StatusQueries status = apps_.status();
	bool recorded = false;
	for (const auto &[id, checks] : results) {
		const App *app = status.registry().findApp(id);
		/* A disabled app's closed ports are as expected: only the enabled app counts. */
		if (!app || !status.isAppEnabled(*app))
			continue;
		DiagnosisRecord record{time, {}};
		record.checks.reserve(checks.size());
		for (const DiagnosticCheck &check : checks)
			record.checks.push_back(healthCheck(check));
		lastDiagnoses_[id] = std::move(record);
		recorded = true;
		refresh(*app, status);
	}
	if (recorded)
		persist();
}

void HealthMonitor::persist()
{
	writer_.save(lastDiagnoses_);
}

void HealthMonitor::setHealth(const std::string &app, AppHealth health)
{
	const bool attention = needsAttention(health.state);
	const auto [it, inserted] = health_.try_emplace(app, health);
	if (!inserted) {
		if (it->second == health)
			return;
		it->second = std::move(health);
	}
	appListeners_.notify(app);
	if (attention ? attention_.insert(app).second : attention_.erase(app) > 0)
		summaryListeners_.notify();
}

} /* namespace plinth */

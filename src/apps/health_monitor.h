/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <functional>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "app_catalog.h"
#include "app_changes.h"
#include "app_diagnoses.h"
#include "app_health.h"
#include "health_records_writer.h"
#include "health_store.h"
#include "ignored_checks_store.h"
#include "listeners.h"
#include "translator.h"

namespace plinth {

/*
 * Every app's health, kept without being asked: the units' part follows the catalog's
 * state changes as they come, the checks' part every diagnosis that ends, whoever asked for
 * it. Only diagnoses of an enabled app count, and an app enabled again starts over from
 * unknown. While an EnableApp or DisableApp carries an app out, its health stays what it
 * was until the change ends: an app half enabled is neither failed nor disabled. Knows nothing of
 * D-Bus; the adaptor and the objects listen. Loop thread only.
 */
class HealthMonitor
{
public:
	/* An app's health changed. */
	using AppListeners = Listeners<std::string>;
	/* Summary() or appsNeedingAttention() changed. */
	using SummaryListeners = Listeners<>;

	/* Checks an app may have ignored at once. */
	static constexpr std::size_t kMaxIgnoredPerApp = 256;

	/*
	 * Starts from the diagnoses and ignored checks the stores kept, and keeps each change
	 * there, the diagnoses through runBlocking (see HealthRecordsWriter). The translator
	 * makes the running checks' messages; all three must outlive the monitor.
	 */
	HealthMonitor(AppCatalog &apps, AppChanges &changes, AppDiagnoses &diagnoses,
		      const Translator &translator, const HealthStore &store,
		      const IgnoredChecksStore &ignoredStore,
		      HealthRecordsWriter::RunBlocking runBlocking);
	HealthMonitor(const HealthMonitor &) = delete;
	HealthMonitor &operator=(const HealthMonitor &) = delete;

	/* Unknown, with no issues, for an app it knows nothing of (yet). */
	const AppHealth &health(std::string_view app) const;
	/*
	 * Makes one check of an app count against its health again or not, and keeps that.
	 * Throws InvalidArgument for a malformed check id or past kMaxIgnoredPerApp, and
	 * std::system_error when it cannot be kept (then nothing changed). Ignoring a check
	 * that is ignored, or the reverse, changes nothing.
	 */
	void setIgnored(const std::string &app, const std::string &checkId, bool ignored);
	/* Throws InvalidArgument, saying why, for a malformed check id. */
	static void validateCheckId(const std::string &checkId);

	/* Ok, or Degraded while any app needs attention. */
	HealthState summary() const;
	/* The ids of the apps whose health is failed or degraded, sorted. */
	std::vector<std::string> appsNeedingAttention() const
	{
		return {attention_.begin(), attention_.end()};
	}

	AppListeners::Subscription onAppHealthChanged(AppListeners::Handler handler)
	{
		return appListeners_.add(std::move(handler));
	}
	SummaryListeners::Subscription onSummaryChanged(SummaryListeners::Handler handler)
	{
		return summaryListeners_.add(std::move(handler));
	}

private:
	void refreshAll();
	void refreshDeclarersOf(const std::string &unit);
	void refresh(const App &app, const StatusQueries &status);
	void recordDiagnosis(const DiagnosisRunner::Results &results, std::uint64_t time);
	void setHealth(const std::string &app, AppHealth health);
	/* Has the diagnoses written to the store; a failure is logged, and memory stays right. */
	void persist();

	AppCatalog &apps_;
	AppChanges &changes_;
	const Translator &translator_;
	const IgnoredChecksStore &ignoredStore_;
	HealthRecordsWriter writer_;
	bool statesKnown_ = false;
	DiagnosisRecords lastDiagnoses_;
	IgnoredChecks ignored_;
	std::map<std::string, AppHealth, std::less<>> health_;
	std::set<std::string, std::less<>> attention_;
	AppListeners appListeners_;
	SummaryListeners summaryListeners_;
	AppCatalog::AppStateListeners::Subscription appStateSubscription_;
	AppCatalog::UnitStateListeners::Subscription unitStateSubscription_;
	AppCatalog::ReloadListeners::Subscription reloadSubscription_;
	AppDiagnoses::DiagnosisListeners::Subscription diagnosisSubscription_;
	AppChanges::AppChangeListeners::Subscription changeSubscription_;
	std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

} /* namespace plinth */

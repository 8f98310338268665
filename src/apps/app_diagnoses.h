/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "await_callback.h"
#include "coalesced_diagnoses.h"
#include "diagnosis_runner.h"
#include "listeners.h"
#include "task.h"

namespace plinth {

class AppCatalog;

/*
 * The diagnoses of the apps the catalog serves: requests of the same app (or of all apps)
 * waiting at the same time share one diagnosis, which starts after they came
 * (CoalescedDiagnoses), and every diagnosis that ends is announced, whoever asked for it.
 */
class AppDiagnoses
{
public:
	/* Every app a diagnosis looked at, with its checks, and when it ended (µs since the epoch).
	 */
	using DiagnosisListeners = Listeners<DiagnosisRunner::Results, std::uint64_t>;

	AppDiagnoses(AppCatalog &catalog, DiagnosisRunner &runner);
	AppDiagnoses(const AppDiagnoses &) = delete;
	AppDiagnoses &operator=(const AppDiagnoses &) = delete;

	/* The checks of an app, its id validated: NoSuchApp if a reload dropped it meanwhile. */
	Task<std::vector<DiagnosticCheck>> diagnoseApp(std::string id);
	Task<DiagnosisRunner::Results> diagnoseAll();
	/*
	 * Asks for a diagnosis of an app now, answered through resume: for a caller that must
	 * have asked before it goes on (a repair, before the next operation starts).
	 */
	void requestApp(const std::string &id, Resumer<DiagnosisRunner::Results> resume);

	/* A diagnosis ended, whoever asked for it (DiagnoseApp, DiagnoseAll, RepairApp). */
	DiagnosisListeners::Subscription onDiagnosed(DiagnosisListeners::Handler handler)
	{
		return diagnosisListeners_.add(std::move(handler));
	}

private:
	/* The key of DiagnoseAll among the app ids, which are never empty. */
	static constexpr const char *kAllApps = "";

	void request(const std::string &key, Resumer<DiagnosisRunner::Results> resume);
	auto diagnosis(const std::string &key);
	void start(const std::string &key, DiagnosisRunner::Done finished);

	AppCatalog &catalog_;
	DiagnosisRunner &runner_;
	CoalescedDiagnoses diagnoses_;
	DiagnosisListeners diagnosisListeners_;
	/* Lets a diagnosis that ends after this is gone end quietly. */
	std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

} /* namespace plinth */

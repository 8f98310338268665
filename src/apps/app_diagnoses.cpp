/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "app_diagnoses.h"

#include <chrono>
#include <utility>

#include "app_catalog.h"

namespace plinth {

namespace {

std::uint64_t microsecondsNow()
{
	return std::chrono::duration_cast<std::chrono::microseconds>(
		       std::chrono::system_clock::now().time_since_epoch())
		.count();
}

} /* namespace */

AppDiagnoses::AppDiagnoses(AppCatalog &catalog, DiagnosisRunner &runner)
	: catalog_(catalog), runner_(runner),
	  diagnoses_([this](const std::string &key, DiagnosisRunner::Done finished) {
		  start(key, std::move(finished));
	  })
{
}

void AppDiagnoses::request(const std::string &key, Resumer<DiagnosisRunner::Results> resume)
{
	diagnoses_.request(key,
			   [resume](std::exception_ptr error, DiagnosisRunner::Results results) {
				   if (error)
					   resume.fail(error);
				   else
					   resume(std::move(results));
			   });
}

auto AppDiagnoses::diagnosis(const std::string &key)
{
	return awaitCallback<DiagnosisRunner::Results>(
		[this, &key](Resumer<DiagnosisRunner::Results> resume) {
			request(key, std::move(resume));
		});
}

Task<std::vector<DiagnosticCheck>> AppDiagnoses::diagnoseApp(std::string id)
{
	DiagnosisRunner::Results results = co_await diagnosis(id);
	co_return std::move(results[id]);
}

Task<DiagnosisRunner::Results> AppDiagnoses::diagnoseAll()
{
	co_return co_await diagnosis(kAllApps);
}

void AppDiagnoses::requestApp(const std::string &id, Resumer<DiagnosisRunner::Results> resume)
{
	request(id, std::move(resume));
}

void AppDiagnoses::start(const std::string &key, DiagnosisRunner::Done finished)
{
	catalog_.whenStatesKnown([this, key, finished = std::move(finished)] {
		try {
			/* Looked up now: a reload since the request may have dropped the app. */
			std::vector<const App *> apps;
			if (key == kAllApps) {
				for (const App &each : catalog_.registry()->apps())
					apps.push_back(&each);
			} else {
				apps.push_back(&catalog_.current(key));
			}
			runner_.diagnose(std::move(apps), catalog_.status(),
					 [this, alive = std::weak_ptr<bool>(alive_),
					  finished](std::exception_ptr error,
						    DiagnosisRunner::Results results) {
						 if (!error && alive.lock())
							 diagnosisListeners_.notify(
								 results, microsecondsNow());
						 finished(error, std::move(results));
					 });
		} catch (...) {
			finished(std::current_exception(), {});
		}
	});
}

} /* namespace plinth */

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "health_records_writer.h"

#include <spdlog/spdlog.h>

#include <string_view>
#include <utility>

namespace plinth {

namespace {

void logFailure(std::string_view why)
{
	spdlog::error("cannot keep the apps' last checks: {}; a restart will not know them", why);
}

} /* namespace */

HealthRecordsWriter::HealthRecordsWriter(const HealthStore &store, RunBlocking runBlocking)
	: store_(store), runBlocking_(std::move(runBlocking))
{
}

HealthRecordsWriter::~HealthRecordsWriter()
{
	if (!unwritten_)
		return;
	try {
		store_.save(*unwritten_);
	} catch (const std::exception &e) {
		logFailure(e.what());
	}
}

void HealthRecordsWriter::save(DiagnosisRecords records)
{
	unwritten_ = std::make_shared<const DiagnosisRecords>(std::move(records));
	if (!writing_)
		write();
}

void HealthRecordsWriter::write()
{
	writing_ = true;
	std::shared_ptr<const DiagnosisRecords> records = unwritten_;
	runBlocking_(
		[&store = store_, records] { store.save(*records); },
		[this, alive = std::weak_ptr<bool>(alive_), records](std::exception_ptr error) {
			if (!alive.lock())
				return;
			writing_ = false;
			if (error) {
				try {
					std::rethrow_exception(error);
				} catch (const std::exception &e) {
					logFailure(e.what());
				} catch (...) {
					logFailure("unknown error");
				}
			}
			if (unwritten_ != records)
				write();
			else if (!error)
				unwritten_.reset();
		});
}

} /* namespace plinth */

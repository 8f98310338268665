/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <exception>
#include <functional>
#include <memory>

#include "health_store.h"

namespace plinth {

/*
 * Keeps the apps' last diagnoses in the HealthStore without holding the event loop: formatting
 * and writing the file, and waiting for the disk to sync it, take tens of milliseconds with
 * 1000 apps, so they happen on runBlocking's thread, one write at a time. Records saved while a
 * write runs wait for it, each replacing the one before: a burst of diagnoses costs two
 * writes, not one each. A write that fails is logged and left to the next save, which writes
 * everything again. Loop thread only.
 */
class HealthRecordsWriter
{
public:
	/* Runs work off the loop thread, then done on the loop thread with work's exception. */
	using RunBlocking = std::function<void(std::function<void()> work,
					       std::function<void(std::exception_ptr)> done)>;

	/* store must outlive the writer. */
	HealthRecordsWriter(const HealthStore &store, RunBlocking runBlocking);
	/*
	 * Writes the newest records here and now unless a write is known to have kept them: at
	 * exit the loop runs no completion any more. runBlocking's thread must have stopped.
	 */
	~HealthRecordsWriter();
	HealthRecordsWriter(const HealthRecordsWriter &) = delete;
	HealthRecordsWriter &operator=(const HealthRecordsWriter &) = delete;

	void save(DiagnosisRecords records);

private:
	void write();

	const HealthStore &store_;
	RunBlocking runBlocking_;
	/* The newest records while no write is known to have kept them. */
	std::shared_ptr<const DiagnosisRecords> unwritten_;
	bool writing_ = false;
	std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

} /* namespace plinth */

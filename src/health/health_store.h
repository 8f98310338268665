/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <filesystem>
#include <map>
#include <string>

#include "app_health.h"

namespace plinth {

/* App id -> its last diagnosis. */
using DiagnosisRecords = std::map<std::string, DiagnosisRecord, std::less<>>;

/*
 * Each app's last diagnosis, kept in one file of the state directory so that a restart or a
 * reboot still knows the apps' health.
 */
class HealthStore
{
public:
	explicit HealthStore(std::filesystem::path file);

	/*
	 * A missing file holds nothing; a corrupt or unreadable one is logged, read as nothing,
	 * and left on disk untouched until the next save replaces it.
	 */
	DiagnosisRecords load() const;

	/* Writes every record atomically; throws std::system_error when it cannot. */
	void save(const DiagnosisRecords &records) const;

	const std::filesystem::path &file() const { return file_; }

private:
	std::filesystem::path file_;
};

} /* namespace plinth */

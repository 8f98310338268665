/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "health_store.h"

#include <sstream>
#include <stdexcept>

#include <toml++/toml.h>

#include "atomic_file.h"
#include "identifier.h"
#include "state_file.h"

namespace plinth {

namespace {

template<typename T>
T required(const toml::table &table, std::string_view key)
{
	const std::optional<T> value = table[key].value<T>();
	if (!value)
		throw std::runtime_error("a record without a valid '" + std::string(key) + "'");
	return *value;
}

DiagnosisRecord readRecord(const toml::table &table)
{
	DiagnosisRecord record;
	const std::int64_t time = required<std::int64_t>(table, "time");
	if (time < 0)
		throw std::runtime_error("a record with a negative time");
	record.time = static_cast<std::uint64_t>(time);
	const toml::array *checks = table["checks"].as_array();
	if (!checks)
		throw std::runtime_error("a record without 'checks'");
	for (const toml::node &node : *checks) {
		const toml::table *check = node.as_table();
		if (!check)
			throw std::runtime_error("a check that is not a table");
		record.checks.push_back({required<std::string>(*check, "id"),
					 required<std::string>(*check, "result"),
					 required<std::string>(*check, "message")});
	}
	return record;
}

} /* namespace */

HealthStore::HealthStore(std::filesystem::path file) : file_(std::move(file))
{
}

DiagnosisRecords HealthStore::load() const
{
	DiagnosisRecords records;
	const bool read = readStateFile(
		file_, "every app's checks start unknown", [&](const toml::table &document) {
			for (const auto &[key, node] : document) {
				const toml::table *app = node.as_table();
				if (!isValidIdentifier(key.str()) || !app)
					throw std::runtime_error("'" + std::string(key.str()) +
								 "' is not an app's record");
				records.emplace(std::string(key.str()), readRecord(*app));
			}
		});
	return read ? records : DiagnosisRecords{};
}

void HealthStore::save(const DiagnosisRecords &records) const
{
	toml::table document;
	for (const auto &[app, record] : records) {
		toml::array checks;
		for (const HealthCheck &check : record.checks)
			checks.push_back(toml::table{{"id", check.checkId},
						     {"result", check.result},
						     {"message", check.message}});
		document.insert(app, toml::table{{"time", static_cast<std::int64_t>(record.time)},
						 {"checks", std::move(checks)}});
	}
	std::ostringstream text;
	text << "# Written by plinth-daemons: each app's last checks, time in µs since the "
		"epoch.\n"
	     << document << "\n";
	replaceFileAtomically(file_, text.str());
}

} /* namespace plinth */

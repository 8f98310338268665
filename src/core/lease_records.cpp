/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "lease_records.h"

#include <sstream>
#include <stdexcept>

#include <toml++/toml.h>

#include "atomic_file.h"
#include "state_file.h"
#include "unit_name.h"

namespace plinth {

namespace {

constexpr std::string_view kUnitsKey = "units";

bool boolean(const toml::table &table, std::string_view key)
{
	/* Not value<bool>(), which takes 1 for true. */
	const toml::value<bool> *value = table[key].as_boolean();
	if (!value)
		throw std::runtime_error("'" + std::string(key) + "' is not true or false");
	return value->get();
}

HeldUnitRecord parseHeld(const toml::table &table)
{
	HeldUnitRecord record;
	record.changes.linked = boolean(table, "linked");
	record.changes.started = boolean(table, "started");
	record.changes.wantedByApp = boolean(table, "wanted-by-app");
	const toml::table *holders = table["holders"].as_table();
	if (!holders)
		throw std::runtime_error("no 'holders' table");
	for (const auto &[name, holder] : *holders) {
		const std::optional<std::string> value = holder.value<std::string>();
		if (!value)
			throw std::runtime_error("a holder is not a string");
		record.holders.emplace(std::string(name.str()), *value);
	}
	return record;
}

} /* namespace */

LeaseRecordStore::LeaseRecordStore(std::filesystem::path file) : file_(std::move(file))
{
}

void LeaseRecordStore::load()
{
	units_.clear();

	readStateFile(file_, "no lease is restored", [&](const toml::table &table) {
		const toml::table *units = table[kUnitsKey].as_table();
		if (!units)
			throw std::runtime_error("no '" + std::string(kUnitsKey) + "' table");
		Units loaded;
		for (const auto &[unit, held] : *units) {
			if (!unitNameForm(unit.str()) || !held.is_table())
				throw std::runtime_error("'" + std::string(unit.str()) +
							 "' is not a unit's record");
			loaded.emplace(std::string(unit.str()), parseHeld(*held.as_table()));
		}
		units_ = std::move(loaded);
	});
}

void LeaseRecordStore::set(const std::string &unit, const HeldUnitRecord &record)
{
	Units units = units_;
	if (record.holders.empty())
		units.erase(unit);
	else
		units.insert_or_assign(unit, record);
	if (units == units_)
		return;

	write(units);
	units_ = std::move(units);
}

void LeaseRecordStore::write(const Units &units) const
{
	toml::table all;
	for (const auto &[unit, record] : units) {
		toml::table holders;
		for (const auto &[name, holder] : record.holders)
			holders.insert(name, holder);
		all.insert(unit, toml::table{{"linked", record.changes.linked},
					     {"started", record.changes.started},
					     {"wanted-by-app", record.changes.wantedByApp},
					     {"holders", std::move(holders)}});
	}

	std::ostringstream text;
	text << "# Written by plinth-daemons: what the leases held on units changed, so that a\n"
		"# restart of the service can take them back or put their units back.\n";
	text << toml::table{{kUnitsKey, std::move(all)}} << '\n';
	replaceFileAtomically(file_, text.str());
}

} /* namespace plinth */

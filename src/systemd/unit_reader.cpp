/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "unit_reader.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <memory>
#include <utility>

#include "bounded_each.h"
#include "gather.h"

namespace plinth {

namespace {

/*
 * Single unit reads waiting for systemd at once, of each kind (loads, unit-file states): far
 * below the bus daemon's limit of pending replies per connection, with room left for jobs.
 */
constexpr std::size_t kUnitReadsInFlight = 32;

/*
 * Names per batched call. systemd answers nobody else while it works on one, and it works
 * about 0.3-1 ms on each unit it has to load for ListUnitsByNames, and about 3 ms on each
 * name's enablement for ListUnitFilesByPatterns on a host with a thousand unit files: short
 * batches keep it responsive (with 256 names a call, it once did not answer a Ping for
 * 0.6 s), for a few more calls.
 */
constexpr std::size_t kUnitsPerBatch = 64;
constexpr std::size_t kUnitFilesPerBatch = 32;

/* ListUnitsByNames: id, description, load, active and sub state, following, object, job. */
using UnitRows = std::vector<
	sdbus::Struct<std::string, std::string, std::string, std::string, std::string, std::string,
		      sdbus::ObjectPath, std::uint32_t, std::string, sdbus::ObjectPath>>;
/* ListUnitFilesByPatterns: file path and state. */
using UnitFileRows = std::vector<sdbus::Struct<std::string, std::string>>;
using BatchStep = std::function<void(std::vector<std::string> batch, Completion done)>;

/*
 * Runs step on each slice of at most size units, one slice after another: a slice's fallback
 * to single calls then stays within kUnitReadsInFlight. done gets the first error.
 */
void eachBatch(std::shared_ptr<const std::vector<std::string>> units, std::size_t size,
	       std::size_t first, BatchStep step, Completion done,
	       std::exception_ptr firstError = nullptr)
{
	if (first >= units->size()) {
		done(firstError);
		return;
	}
	const std::size_t last = std::min(units->size(), first + size);
	step({units->begin() + first, units->begin() + last},
	     [units, size, last, step, done, firstError](std::exception_ptr error) {
		     eachBatch(units, size, last, step, done, firstError ? firstError : error);
	     });
}

void eachBatch(const std::vector<std::string> &units, std::size_t size, BatchStep step,
	       Completion done)
{
	eachBatch(std::make_shared<const std::vector<std::string>>(units), size, 0, std::move(step),
		  std::move(done));
}

/* Reads systemd's property when present, the cached value otherwise. */
std::string propertyOr(const UnitReader::Properties &properties, const std::string &name,
		       const std::string &cached)
{
	const auto it = properties.find(name);
	if (it == properties.end())
		return cached;
	return it->second.get<std::string>();
}

} /* namespace */

std::string unitOfFile(const std::string &path)
{
	return path.substr(path.rfind('/') + 1);
}

UnitReader::UnitReader(Manager &manager, UnitCache &cache, Changed changed)
	: manager_(manager), cache_(cache), changed_(std::move(changed))
{
}

void UnitReader::readActiveStates(const std::vector<std::string> &units, Completion done)
{
	eachBatch(
		units, kUnitsPerBatch,
		[this](std::vector<std::string> batch, Completion part) {
			listUnits(batch, std::move(part));
		},
		std::move(done));
}

/*
 * ListUnitsByNames loads the units as LoadUnit does and answers in the request's order, each
 * entry naming the unit's primary id (an alias gives its unit's entry): hence by position. It
 * skips invalid names and fails as a whole on a template name; then each name on its own.
 */
void UnitReader::listUnits(const std::vector<std::string> &units, Completion done)
{
	manager_.proxy()
		.callMethodAsync("ListUnitsByNames")
		.onInterface(systemd::kManagerInterface)
		.withArguments(units)
		.withTimeout(manager_.callTimeout())
		.uponReplyInvoke([this, units, done](const sdbus::Error *e, const UnitRows &rows) {
			if (e || rows.size() != units.size()) {
				if (e)
					spdlog::debug("Loading units one by one: {}",
						      e->getMessage());
				BoundedEach::run(
					units, kUnitReadsInFlight,
					[this](const std::string &unit, Completion part) {
						loadUnit(unit, std::move(part));
					},
					done);
				return;
			}
			for (std::size_t i = 0; i < units.size(); i++) {
				const std::string &unit = units[i];
				cache_.setObjectPath(unit, rows[i].get<6>());
				if (cache_.setActiveState(unit, rows[i].get<2>(), rows[i].get<3>(),
							  rows[i].get<4>()))
					changed_(unit);
			}
			done(nullptr);
		});
}

/* LoadUnit, not GetUnit: the latter fails for units the manager has not loaded. */
void UnitReader::loadUnit(const std::string &unit, Completion done)
{
	manager_.proxy()
		.callMethodAsync("LoadUnit")
		.onInterface(systemd::kManagerInterface)
		.withArguments(unit)
		.withTimeout(manager_.callTimeout())
		.uponReplyInvoke(
			[this, unit, done](const sdbus::Error *e, const sdbus::ObjectPath &path) {
				if (e) {
					done(manager_.callError(*e, "load " + unit));
					return;
				}
				cache_.setObjectPath(unit, path);
				readObject(path, done);
			});
}

void UnitReader::readObject(const std::string &path, Completion done)
{
	manager_.objectProxy(path)
		.callMethodAsync("GetAll")
		.onInterface(systemd::kPropertiesInterface)
		.withArguments(systemd::kUnitInterface)
		.withTimeout(manager_.callTimeout())
		.uponReplyInvoke(
			[this, path, done](const sdbus::Error *e, const Properties &properties) {
				if (e) {
					done(manager_.callError(*e, "read the state of " + path));
					return;
				}
				applyProperties(path, properties);
				done(nullptr);
			});
}

void UnitReader::applyProperties(const std::string &path, const Properties &properties)
{
	for (const std::string &unit : cache_.unitsAt(path)) {
		const UnitState &cached = cache_.unitState(unit);
		if (cache_.setActiveState(unit,
					  propertyOr(properties, "LoadState", cached.loadState),
					  propertyOr(properties, "ActiveState", cached.activeState),
					  propertyOr(properties, "SubState", cached.subState)))
			changed_(unit);
	}
}

void UnitReader::readUnitFileStates(const std::vector<std::string> &units, Completion done)
{
	eachBatch(
		units, kUnitFilesPerBatch,
		[this](std::vector<std::string> batch, Completion part) {
			listUnitFiles(batch, std::move(part));
		},
		std::move(done));
}

/*
 * ListUnitFilesByPatterns scans the unit directories once for all names, but it lists files
 * only: an instance, or a name without a file, gets no entry and is asked on its own.
 */
void UnitReader::listUnitFiles(const std::vector<std::string> &units, Completion done)
{
	manager_.proxy()
		.callMethodAsync("ListUnitFilesByPatterns")
		.onInterface(systemd::kManagerInterface)
		.withArguments(std::vector<std::string>(), units)
		.withTimeout(manager_.callTimeout())
		.uponReplyInvoke([this, units, done](const sdbus::Error *e,
						     const UnitFileRows &rows) {
			std::map<std::string, std::string> states;
			if (e)
				spdlog::debug("Reading unit-file states one by one: {}",
					      e->getMessage());
			else
				for (const auto &row : rows)
					states.emplace(unitOfFile(row.get<0>()), row.get<1>());

			std::vector<std::string> unanswered;
			for (const std::string &unit : units) {
				const auto it = states.find(unit);
				if (it == states.end())
					unanswered.push_back(unit);
				else if (cache_.setUnitFileState(unit, it->second))
					changed_(unit);
			}
			BoundedEach::run(
				unanswered, kUnitReadsInFlight,
				[this](const std::string &unit, Completion part) {
					readUnitFileState(unit, std::move(part));
				},
				done);
		});
}

/* Of this very name: an alias has its own state, "alias". */
void UnitReader::readUnitFileState(const std::string &unit, Completion done)
{
	manager_.proxy()
		.callMethodAsync("GetUnitFileState")
		.onInterface(systemd::kManagerInterface)
		.withArguments(unit)
		.withTimeout(manager_.callTimeout())
		.uponReplyInvoke([this, unit, done](const sdbus::Error *e,
						    const std::string &state) {
			if (e && e->getName() != "org.freedesktop.DBus.Error.FileNotFound") {
				done(manager_.callError(*e, "read the unit-file state of " + unit));
				return;
			}
			/* No file of that name: nothing to say, as UnitState documents. */
			if (cache_.setUnitFileState(unit, e ? std::string() : state))
				changed_(unit);
			done(nullptr);
		});
}

} /* namespace plinth */

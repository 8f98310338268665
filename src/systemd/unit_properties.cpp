/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "unit_properties.h"

#include <algorithm>
#include <limits>
#include <string_view>

#include <systemd/sd-bus.h>

#include "cgroup_counters.h"
#include "error.h"
#include "systemd_signals.h"

namespace plinth {

namespace {

const std::string kService = "org.freedesktop.systemd1";
constexpr const char *kPropertiesInterface = "org.freedesktop.DBus.Properties";

/* Emitted with their new values (systemd 252's introspection says emits-change)... */
constexpr std::array<std::string_view, 12> kSignalledProperties = {
	"ActiveState",
	"StateChangeTimestamp",
	"ActiveEnterTimestamp",
	"InactiveEnterTimestamp",
	"MainPID",
	"Result",
	"ExecMainCode",
	"ExecMainStatus",
	"NRestarts",
	/* ...or constant while the unit stays loaded, changed by a reload only. */
	"Id",
	"Description",
	"FragmentPath",
};

struct Counter {
	CgroupCounter counter;
	std::string_view name;
};

/* Not signalled: systemd reads them from the cgroup whenever asked. */
constexpr std::array<Counter, 3> kCounterProperties = {{
	{CgroupCounter::MemoryCurrent, "MemoryCurrent"},
	{CgroupCounter::CPUUsageNSec, "CPUUsageNSec"},
	{CgroupCounter::TasksCurrent, "TasksCurrent"},
}};

/* systemd's "[not set]": no cgroup, or that controller is not enabled for the unit. */
constexpr std::uint64_t kNotSet = std::numeric_limits<std::uint64_t>::max();

const std::string kUnitPropertiesChanged =
	"path_namespace='/org/freedesktop/systemd1/unit',"
	"interface='org.freedesktop.DBus.Properties',member='PropertiesChanged'";
const std::string kManagerReloading =
	"path='/org/freedesktop/systemd1',"
	"interface='org.freedesktop.systemd1.Manager',member='Reloading'";
const std::string kManagerUnitRemoved =
	"path='/org/freedesktop/systemd1',"
	"interface='org.freedesktop.systemd1.Manager',member='UnitRemoved'";

bool isStatusProperty(const std::string &name)
{
	return std::find(kSignalledProperties.begin(), kSignalledProperties.end(), name) !=
		       kSignalledProperties.end() ||
	       std::any_of(kCounterProperties.begin(), kCounterProperties.end(),
			   [&name](const Counter &counter) { return counter.name == name; });
}

/* The unit's object path; systemd loads the unit when the path is first used. */
std::string unitPath(const std::string &unit)
{
	char *path = nullptr;
	if (sd_bus_path_encode("/org/freedesktop/systemd1/unit", unit.c_str(), &path) < 0)
		throw std::bad_alloc();
	std::string result = path;
	free(path);
	return result;
}

/* systemd removes an inactive unit's cgroup, and with it the counters. */
bool isInactive(const UnitPropertyReader::Properties &properties)
{
	const std::string state = propertyOr<std::string>(properties, "ActiveState", "");
	return state == "inactive" || state == "failed";
}

} /* namespace */

UnitPropertyReader::UnitPropertyReader(SignalGate &signals) : connection_(signals.connection())
{
	matches_.push_back(
		signals.fromOwnerOf(kService, kUnitPropertiesChanged, [this](sdbus::Message &m) {
			propertiesChanged(m.getPath(), readPropertiesChanged(m));
		}));
	matches_.push_back(signals.fromOwnerOf(kService, kManagerReloading,
					       [this](sdbus::Message &) { markAllStale(); }));
	matches_.push_back(
		signals.fromOwnerOf(kService, kManagerUnitRemoved, [this](sdbus::Message &m) {
			markStale(readUnitRemovedPath(m));
		}));
	matches_.push_back(signals.onOwnerChanged(
		kService, [this](const std::string &, const std::string &) { markAllStale(); }));
}

UnitPropertyReader::~UnitPropertyReader() = default;

UnitPropertyReader::Entry &UnitPropertyReader::entryFor(const std::string &unit)
{
	Entry &entry = entries_[unit];
	if (!entry.proxy) {
		entry.proxy = sdbus::createProxy(connection_, kService, unitPath(unit));
		entry.proxy->finishRegistration();
	}
	return entry;
}

void UnitPropertyReader::read(const std::string &unit, Done done)
{
	Entry &entry = entryFor(unit);
	if (entry.fresh) {
		if (std::optional<Properties> properties = fromMemory(entry)) {
			done(std::move(*properties), nullptr);
			return;
		}
	}
	entry.waiting.push_back(std::move(done));
	if (entry.waiting.size() == 1)
		fetch(unit, entry);
}

/* Nothing when a counter systemd has a figure for cannot be read here. */
std::optional<UnitPropertyReader::Properties>
UnitPropertyReader::fromMemory(const Entry &entry) const
{
	Properties properties = entry.properties;
	for (std::size_t i = 0; i < kCounters; i++) {
		/* Without a figure from systemd, its kNotSet stands until the next invocation. */
		if (!entry.accounted[i])
			continue;
		const std::string name(kCounterProperties[i].name);
		const std::optional<std::uint64_t> value =
			readCgroupCounter(kCounterProperties[i].counter, entry.controlGroup);
		if (value)
			properties[name] = sdbus::Variant(*value);
		else if (isInactive(properties))
			properties[name] = sdbus::Variant(kNotSet);
		else
			/*
			 * The cgroup is out of reach (another cgroup namespace, a hierarchy
			 * not mounted here): only systemd can say.
			 */
			return std::nullopt;
	}
	return properties;
}

void UnitPropertyReader::fetch(const std::string &unit, Entry &entry)
{
	/* An empty interface name asks sd-bus for the properties of every interface at once. */
	entry.proxy->callMethodAsync("GetAll")
		.onInterface(kPropertiesInterface)
		.withArguments(std::string())
		.uponReplyInvoke([this, unit](const sdbus::Error *error, const Properties &all) {
			fetched(unit, error, all);
		});
}

void UnitPropertyReader::fetched(const std::string &unit, const sdbus::Error *error,
				 const Properties &all)
{
	Entry &entry = entries_.at(unit);
	std::vector<Done> waiting = std::move(entry.waiting);
	entry.waiting.clear();
	if (error) {
		const std::exception_ptr failure = std::make_exception_ptr(
			Error(ErrorCode::SystemdUnavailable,
			      "systemd did not say how " + unit + " is: " + error->getMessage() +
				      ". Check that systemd runs, then try again."));
		for (const Done &done : waiting)
			done({}, failure);
		return;
	}
	store(unit, entry, all);
	/* Every waiter gets systemd's own figures, counters included. */
	const Properties properties = entry.properties;
	for (const Done &done : waiting)
		done(properties, nullptr);
}

void UnitPropertyReader::store(const std::string &unit, Entry &entry, const Properties &all)
{
	entry.properties.clear();
	for (const auto &[name, value] : all) {
		if (isStatusProperty(name))
			entry.properties.emplace(name, value);
	}
	entry.controlGroup = propertyOr<std::string>(all, "ControlGroup", "");
	for (std::size_t i = 0; i < kCounters; i++)
		entry.accounted[i] =
			!entry.controlGroup.empty() &&
			propertyOr<std::uint64_t>(all, std::string(kCounterProperties[i].name),
						  kNotSet) != kNotSet;

	/* systemd signals from the object named after the unit's id, an alias's too. */
	const std::string path = unitPath(propertyOr<std::string>(all, "Id", unit));
	std::erase_if(namesAt_, [&unit](const auto &at) { return at.second == unit; });
	namesAt_.emplace(path, unit);
	entry.fresh = true;
}

void UnitPropertyReader::propertiesChanged(const std::string &path, const PropertiesChanged &body)
{
	const auto [first, last] = namesAt_.equal_range(path);
	if (first == last)
		return;

	/* A new invocation may run in a new cgroup, with other controllers. */
	const bool stale =
		body.changed.contains("InvocationID") ||
		std::any_of(body.invalidated.begin(), body.invalidated.end(), isStatusProperty);
	for (auto it = first; it != last; ++it) {
		Entry &entry = entries_.at(it->second);
		for (const auto &[name, value] : body.changed) {
			if (isStatusProperty(name))
				entry.properties[name] = value;
		}
		if (stale)
			entry.fresh = false;
	}
}

void UnitPropertyReader::markStale(const std::string &path)
{
	const auto [first, last] = namesAt_.equal_range(path);
	for (auto it = first; it != last; ++it)
		entries_.at(it->second).fresh = false;
}

void UnitPropertyReader::markAllStale()
{
	for (auto &[unit, entry] : entries_)
		entry.fresh = false;
}

} /* namespace plinth */

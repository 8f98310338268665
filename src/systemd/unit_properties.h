/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <array>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <sdbus-c++/sdbus-c++.h>

#include "signal_gate.h"
#include "systemd_signals.h"

namespace plinth {

/*
 * A unit's status details (Description, since when it is in its state, MainPID, Result, exit
 * status, restarts, memory, CPU, tasks), answered from memory. The first question about a
 * unit costs one GetAll of all its interfaces; after that, systemd's PropertiesChanged keeps
 * the details current, and the counters systemd sends no signal for are read where systemd
 * reads them, from the unit's control group. A new invocation of the unit (its cgroup may
 * differ), a reload (Description and FragmentPath change without a signal), the unit being
 * unloaded or systemd leaving its bus make the next question read the unit again.
 *
 * Freshness: an answer holds every signal systemd sent before it, as systemctl would see them
 * at that moment, and the counters as the kernel has them when asked.
 */
class UnitPropertyReader
{
public:
	using Properties = std::map<std::string, sdbus::Variant>;
	using Done = std::function<void(Properties properties, std::exception_ptr error)>;

	/*
	 * The gate and its connection must outlive the reader; the event loop dispatches the
	 * connection. Every signal it follows passes the gate.
	 */
	explicit UnitPropertyReader(SignalGate &signals);
	~UnitPropertyReader();
	UnitPropertyReader(const UnitPropertyReader &) = delete;
	UnitPropertyReader &operator=(const UnitPropertyReader &) = delete;

	/*
	 * The status properties systemd has for unit (those of org.freedesktop.systemd1.Service
	 * only for a service), under systemd's names; done gets them or a plinth::Error
	 * (SystemdUnavailable).
	 */
	void read(const std::string &unit, Done done);

private:
	static constexpr std::size_t kCounters = 3;

	struct Entry {
		std::unique_ptr<sdbus::IProxy> proxy;
		Properties properties;
		std::string controlGroup;
		/* Which counters systemd had a figure for in this invocation of the unit. */
		std::array<bool, kCounters> accounted{};
		bool fresh = false;
		/* Answered when the GetAll in flight returns. */
		std::vector<Done> waiting;
	};

	Entry &entryFor(const std::string &unit);
	std::optional<Properties> fromMemory(const Entry &entry) const;
	void fetch(const std::string &unit, Entry &entry);
	void fetched(const std::string &unit, const sdbus::Error *error, const Properties &all);
	void store(const std::string &unit, Entry &entry, const Properties &all);
	void propertiesChanged(const std::string &path, const PropertiesChanged &body);
	void markStale(const std::string &path);
	void markAllStale();

	sdbus::IConnection &connection_;
	/* One per unit asked about: a managed unit, so their number is bounded. */
	std::map<std::string, Entry> entries_;
	/* The names asked about, by the object path systemd sends their signals from. */
	std::multimap<std::string, std::string> namesAt_;
	std::vector<sdbus::Slot> matches_;
};

/* The property's value where systemd gave one of type T, fallback otherwise. */
template<typename T>
T propertyOr(const UnitPropertyReader::Properties &properties, const std::string &name, T fallback)
{
	const auto it = properties.find(name);
	if (it == properties.end() || !it->second.containsValueOfType<T>())
		return fallback;
	return it->second.get<T>();
}

} /* namespace plinth */

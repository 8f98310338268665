/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <string>

namespace plinth {

/* What the first lease on a unit changed; the end of the last one undoes what is still its own. */
struct LeaseChanges {
	/* Its enable (for the runtime only) created links, as systemd reported. */
	bool linked = false;
	/* Its start job started the unit. */
	bool started = false;
	/* An enabled app already had the unit as its Daemon or SharedDaemon then. */
	bool wantedByApp = false;

	bool operator==(const LeaseChanges &) const = default;
};

/* The leases held on one unit and what they changed. */
struct HeldUnitRecord {
	LeaseChanges changes;
	/* Each lease by the name its descriptor has in systemd's store, with its holder's bus name.
	 */
	std::map<std::string, std::string> holders;

	bool operator==(const HeldUnitRecord &) const = default;
};

/*
 * What the held leases changed, in one small file of the state directory, so that a service
 * that restarts (an upgrade, a crash) can take its leases back or put their units back. Each
 * change is written at once and atomically.
 */
class LeaseRecordStore
{
public:
	using Units = std::map<std::string, HeldUnitRecord, std::less<>>;

	explicit LeaseRecordStore(std::filesystem::path file);

	/*
	 * Reads the file. A missing file means no lease was held; a corrupt or unreadable one is
	 * logged and treated the same (runtime links the leases made still go with the next
	 * boot), and is left on disk until the next write.
	 */
	void load();

	const Units &units() const { return units_; }

	/*
	 * Records the leases on unit (none: forgets the unit) and writes the file. Throws
	 * std::system_error when it cannot, and then neither the file nor the records changed.
	 */
	void set(const std::string &unit, const HeldUnitRecord &record);

	const std::filesystem::path &file() const { return file_; }

private:
	void write(const Units &units) const;

	std::filesystem::path file_;
	Units units_;
};

} /* namespace plinth */

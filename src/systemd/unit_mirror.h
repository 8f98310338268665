/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include <sdbus-c++/sdbus-c++.h>

#include "event_loop.h"
#include "manager.h"
#include "systemd_signals.h"
#include "unit_cache.h"
#include "unit_reader.h"

namespace plinth {

/*
 * The tracked units' states, kept current incrementally. The service's own changes are read
 * back name by name; a change made by someone else (a UnitFilesChanged or Reloading that no
 * call of ours explains) starts one refresh, and whatever arrives while it runs is marked and
 * refreshed once it ended. A refresh that fails is tried again later, after a back-off growing
 * to a bound. Readers see the last state systemd gave for each name meanwhile.
 */
class UnitMirror
{
public:
	using UnitChangedHandler = std::function<void(const std::string &unit)>;

	UnitMirror(Manager &manager, EventLoop &loop);
	~UnitMirror();
	UnitMirror(const UnitMirror &) = delete;
	UnitMirror &operator=(const UnitMirror &) = delete;

	const UnitCache &cache() const { return cache_; }
	void onUnitChanged(UnitChangedHandler handler);

	/* Tracks exactly these names from now on; done once each was read. */
	void track(const std::vector<std::string> &units, Completion done);
	/* Reads the load and active states of the tracked names among these. */
	void readActiveStates(const std::vector<std::string> &units, Completion done);

	/*
	 * Brackets each unit-file call of ours: the UnitFilesChanged systemd sends before it
	 * answers a call that modified something is ours, not someone else's.
	 */
	void ownUnitFileCallStarted();
	void ownUnitFileCallEnded(bool modified);
	/*
	 * Reads back what our unit-file calls touched: these names' unit-file states and, where
	 * the manager reloaded or a state changed, their load and active states.
	 */
	void readTouched(const std::vector<std::string> &units, bool reloaded, Completion done);

	/* The signals of the manager this mirror follows. */
	void managerAppeared();
	void unitFilesChanged();
	void reloaded();
	void propertiesChanged(const std::string &path, const PropertiesChanged &body);

private:
	enum Mark : unsigned {
		UnitFiles = 1,
		LoadStates = 2,
		Everything = 4,
		ActiveStates = 8,
	};

	void requestRefresh(unsigned marks);
	void startRefresh();
	void runRefresh(unsigned marks, Completion done);
	void refreshEnded(unsigned marks, std::exception_ptr error);
	void readUnitFilesThenChangedUnits(const std::vector<std::string> &units, Completion done);
	std::vector<std::string> trackedAmong(const std::vector<std::string> &units) const;
	void changed(const std::string &unit);

	EventLoop &loop_;
	UnitCache cache_;
	UnitReader reader_;
	UnitChangedHandler unitChanged_;

	unsigned ownCallsRunning_ = 0;
	unsigned signalsDuringOwnCalls_ = 0;

	bool refreshing_ = false;
	unsigned pending_ = 0;
	std::chrono::milliseconds backOff_;
	EventLoop::TimerId retryTimer_ = 0;
	bool retryScheduled_ = false;
};

} /* namespace plinth */

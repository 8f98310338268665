/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "unit_mirror.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <map>
#include <utility>

#include "gather.h"

namespace plinth {

namespace {

using namespace std::chrono_literals;

/* A failed refresh is tried again after this, doubling up to the bound. */
constexpr std::chrono::milliseconds kFirstRetry = 200ms;
constexpr std::chrono::milliseconds kLastRetry = 30s;

} /* namespace */

UnitMirror::UnitMirror(Manager &manager, EventLoop &loop)
	: loop_(loop), reader_(manager, cache_, [this](const std::string &unit) { changed(unit); }),
	  backOff_(kFirstRetry)
{
}

UnitMirror::~UnitMirror()
{
	if (retryScheduled_)
		loop_.cancelTimer(retryTimer_);
}

void UnitMirror::onUnitChanged(UnitChangedHandler handler)
{
	unitChanged_ = std::move(handler);
}

void UnitMirror::changed(const std::string &unit)
{
	if (unitChanged_)
		unitChanged_(unit);
}

void UnitMirror::track(const std::vector<std::string> &units, Completion done)
{
	cache_.setTracked(units);
	auto gather = Gather::create(std::move(done));
	reader_.readActiveStates(units, gather->part());
	reader_.readUnitFileStates(units, gather->part());
	gather->arm();
}

void UnitMirror::readActiveStates(const std::vector<std::string> &units, Completion done)
{
	reader_.readActiveStates(trackedAmong(units), std::move(done));
}

std::vector<std::string> UnitMirror::trackedAmong(const std::vector<std::string> &units) const
{
	std::vector<std::string> tracked;
	for (const std::string &unit : units) {
		if (cache_.isTracked(unit) &&
		    std::find(tracked.begin(), tracked.end(), unit) == tracked.end())
			tracked.push_back(unit);
	}
	return tracked;
}

void UnitMirror::ownUnitFileCallStarted()
{
	ownCallsRunning_++;
}

void UnitMirror::ownUnitFileCallEnded(bool modified)
{
	if (modified && signalsDuringOwnCalls_ > 0)
		signalsDuringOwnCalls_--;
	if (--ownCallsRunning_ > 0)
		return;
	/* More signals than modifying calls of ours: someone else changed files meanwhile. */
	if (signalsDuringOwnCalls_ > 0) {
		signalsDuringOwnCalls_ = 0;
		requestRefresh(UnitFiles);
	}
}

void UnitMirror::readTouched(const std::vector<std::string> &units, bool reloaded, Completion done)
{
	const std::vector<std::string> tracked = trackedAmong(units);
	/* What could not be read now is read by a refresh, later. */
	done = [this, done = std::move(done)](std::exception_ptr error) {
		if (error)
			requestRefresh(UnitFiles | ActiveStates);
		done(error);
	};
	if (!reloaded) {
		readUnitFilesThenChangedUnits(tracked, std::move(done));
		return;
	}
	auto gather = Gather::create(std::move(done));
	reader_.readUnitFileStates(tracked, gather->part());
	reader_.readActiveStates(tracked, gather->part());
	gather->arm();
}

/*
 * A unit whose file state changed may have changed its load state too (masked, or a file that
 * appeared for a name systemd had not found); systemd announces that only for units it holds
 * loaded, so those few are read again.
 */
void UnitMirror::readUnitFilesThenChangedUnits(const std::vector<std::string> &units,
					       Completion done)
{
	std::map<std::string, std::string> before;
	for (const std::string &unit : units)
		before.emplace(unit, cache_.unitState(unit).unitFileState);

	reader_.readUnitFileStates(units, [this, before = std::move(before),
					   done = std::move(done)](std::exception_ptr error) {
		std::vector<std::string> changedUnits;
		for (const auto &[unit, state] : before) {
			if (cache_.unitState(unit).unitFileState != state)
				changedUnits.push_back(unit);
		}
		reader_.readActiveStates(changedUnits, [error, done](std::exception_ptr next) {
			done(error ? error : next);
		});
	});
}

void UnitMirror::managerAppeared()
{
	/* The retry waiting for the manager to answer again need not wait any longer. */
	backOff_ = kFirstRetry;
	if (retryScheduled_) {
		loop_.cancelTimer(retryTimer_);
		retryScheduled_ = false;
	}
	requestRefresh(Everything);
}

void UnitMirror::unitFilesChanged()
{
	/* systemd sends it before its reply to the call that caused it: account it there. */
	if (ownCallsRunning_ > 0) {
		signalsDuringOwnCalls_++;
		return;
	}
	requestRefresh(UnitFiles);
}

/*
 * A reload keeps every unit object and sends PropertiesChanged for each unit it holds loaded,
 * so their states need no read; units it does not hold (never found, masked, or collected as
 * unused) say nothing, and a reload is what makes a new file visible to them.
 */
void UnitMirror::reloaded()
{
	requestRefresh(LoadStates);
}

void UnitMirror::propertiesChanged(const std::string &path, const PropertiesChanged &body)
{
	if (cache_.unitsAt(path).empty())
		return;

	reader_.applyProperties(path, body.changed);
	const bool stale =
		std::any_of(body.invalidated.begin(), body.invalidated.end(), [](auto &name) {
			return name == "LoadState" || name == "ActiveState" || name == "SubState";
		});
	if (stale)
		reader_.readObject(path, [this](std::exception_ptr error) {
			if (error)
				requestRefresh(ActiveStates);
		});
}

void UnitMirror::requestRefresh(unsigned marks)
{
	pending_ |= marks;
	if (!refreshing_ && !retryScheduled_)
		startRefresh();
}

void UnitMirror::startRefresh()
{
	const unsigned marks = pending_;
	pending_ = 0;
	refreshing_ = true;
	runRefresh(marks, [this, marks](std::exception_ptr error) { refreshEnded(marks, error); });
}

void UnitMirror::runRefresh(unsigned marks, Completion done)
{
	const std::vector<std::string> units = cache_.trackedUnits();
	auto gather = Gather::create(std::move(done));

	if (marks & (Everything | ActiveStates)) {
		reader_.readActiveStates(units, gather->part());
	} else if (marks & LoadStates) {
		std::vector<std::string> unloaded;
		for (const std::string &unit : units) {
			if (cache_.unitState(unit).loadState != "loaded")
				unloaded.push_back(unit);
		}
		reader_.readActiveStates(unloaded, gather->part());
	}

	if (marks & Everything)
		reader_.readUnitFileStates(units, gather->part());
	else if (marks & UnitFiles)
		readUnitFilesThenChangedUnits(units, gather->part());
	gather->arm();
}

void UnitMirror::refreshEnded(unsigned marks, std::exception_ptr error)
{
	refreshing_ = false;
	if (!error) {
		backOff_ = kFirstRetry;
		if (pending_)
			startRefresh();
		return;
	}

	pending_ |= marks;
	spdlog::warn("Refreshing unit states failed, trying again in {} ms: {}", backOff_.count(),
		     errorText(error));
	retryScheduled_ = true;
	retryTimer_ = loop_.addTimer(backOff_, [this] {
		retryScheduled_ = false;
		startRefresh();
	});
	backOff_ = std::min(backOff_ * 2, kLastRetry);
}

} /* namespace plinth */

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "systemd_client.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <deque>
#include <map>
#include <optional>
#include <utility>

#include <sdbus-c++/sdbus-c++.h>

#include "bounded_each.h"
#include "error.h"
#include "event_loop.h"
#include "gather.h"
#include "unit_cache.h"

namespace plinth {

namespace {

const std::string kService = "org.freedesktop.systemd1";
const std::string kManagerPath = "/org/freedesktop/systemd1";
const std::string kManagerInterface = "org.freedesktop.systemd1.Manager";
const std::string kUnitInterface = "org.freedesktop.systemd1.Unit";
const std::string kPropertiesInterface = "org.freedesktop.DBus.Properties";

/* Routed by the bus daemon, which resolves the well-known sender to its current owner. */
const std::string kManagerSignals = "type='signal',sender='org.freedesktop.systemd1',"
				    "path='/org/freedesktop/systemd1',"
				    "interface='org.freedesktop.systemd1.Manager'";
const std::string kUnitPropertiesChanged =
	"type='signal',sender='org.freedesktop.systemd1',"
	"path_namespace='/org/freedesktop/systemd1/unit',"
	"interface='org.freedesktop.DBus.Properties',member='PropertiesChanged',"
	"arg0='org.freedesktop.systemd1.Unit'";
const std::string kManagerOwnerChanged =
	"type='signal',sender='org.freedesktop.DBus',path='/org/freedesktop/DBus',"
	"interface='org.freedesktop.DBus',member='NameOwnerChanged',"
	"arg0='org.freedesktop.systemd1'";

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

using Properties = std::map<std::string, sdbus::Variant>;
/* ListUnitsByNames: id, description, load, active and sub state, following, object, job. */
using UnitRows = std::vector<
	sdbus::Struct<std::string, std::string, std::string, std::string, std::string, std::string,
		      sdbus::ObjectPath, std::uint32_t, std::string, sdbus::ObjectPath>>;
/* ListUnitFilesByPatterns: file path and state. */
using UnitFileRows = std::vector<sdbus::Struct<std::string, std::string>>;
using Completion = SystemdClient::Completion;

std::string jobMethod(JobType type)
{
	switch (type) {
	case JobType::Start:
		return "StartUnit";
	case JobType::Stop:
		return "StopUnit";
	case JobType::Restart:
		return "RestartUnit";
	case JobType::TryRestart:
		return "TryRestartUnit";
	case JobType::Reload:
		return "ReloadUnit";
	case JobType::TryReloadOrRestart:
		return "ReloadOrTryRestartUnit";
	}
	return {};
}

std::string unitFileMethod(UnitFileChange change)
{
	switch (change) {
	case UnitFileChange::Enable:
		return "EnableUnitFiles";
	case UnitFileChange::Disable:
		return "DisableUnitFiles";
	case UnitFileChange::Mask:
		return "MaskUnitFiles";
	case UnitFileChange::Unmask:
		return "UnmaskUnitFiles";
	}
	return {};
}

std::string joined(const std::vector<std::string> &units)
{
	return fmt::format("{}", fmt::join(units, ", "));
}

std::vector<std::string> unitsOf(const std::vector<PlanTarget> &targets, bool bestEffort)
{
	std::vector<std::string> units;
	for (const PlanTarget &target : targets) {
		if (target.bestEffort == bestEffort)
			units.push_back(target.unit);
	}
	return units;
}

std::exception_ptr error(ErrorCode code, const std::string &message)
{
	return std::make_exception_ptr(Error(code, message));
}

/* A best-effort part: its failure goes to the log, never to the caller. */
Completion loggedOnly(std::string what, Completion done)
{
	return [what = std::move(what), done = std::move(done)](std::exception_ptr error) {
		if (error)
			spdlog::warn("Ignoring the failure to {}: {}", what, errorText(error));
		done(nullptr);
	};
}

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

std::string baseName(const std::string &path)
{
	return path.substr(path.rfind('/') + 1);
}

/* Reads systemd's property when present, the cached value otherwise. */
std::string propertyOr(const Properties &properties, const std::string &name,
		       const std::string &cached)
{
	const auto it = properties.find(name);
	if (it == properties.end())
		return cached;
	return it->second.get<std::string>();
}

} /* namespace */

class SystemdClient::Private
{
public:
	Private(sdbus::IConnection &connection, EventLoop &loop,
		std::chrono::milliseconds jobTimeout);
	~Private();

	/* The manager on the bus. */
	void watchManager();
	void managerAppeared();
	void managerVanished();
	void subscribe();
	void onManagerSignal(sdbus::Message &message);
	std::exception_ptr callError(const sdbus::Error &error, const std::string &what) const;

	/* The cache. */
	void readUnits(const std::vector<std::string> &units, Completion done);
	void listUnits(const std::vector<std::string> &units, Completion done);
	void loadEachUnit(const std::vector<std::string> &units, Completion done);
	void loadUnit(const std::string &unit, Completion done);
	void readProperties(const std::string &path, Completion done);
	void readUnitFileStates(const std::vector<std::string> &units, Completion done);
	void listUnitFiles(const std::vector<std::string> &units, Completion done);
	void readEachUnitFileState(const std::vector<std::string> &units, Completion done);
	void readUnitFileState(const std::string &unit, Completion done);
	void applyProperties(const std::string &path, const Properties &properties);
	void onPropertiesChanged(sdbus::Message &message);
	void notify(bool changed, const std::string &unit);
	sdbus::IProxy &unitProxy(const std::string &path);

	/* Plans. */
	void runSteps(std::shared_ptr<const Plan> plan, std::size_t index, Completion done);
	void runUnitFileStep(UnitFileChange change, const std::vector<PlanTarget> &targets,
			     Completion done);
	void changeUnitFiles(UnitFileChange change, const std::vector<std::string> &units,
			     Completion done);
	void reloadManager(Completion done);
	void runUnitCallStep(UnitCall call, const std::vector<PlanTarget> &targets,
			     Completion done);
	void runJobStep(JobType type, const std::vector<PlanTarget> &targets, Completion done);
	void startJob(JobType type, const std::string &unit, Completion done);
	void onJobRemoved(const std::string &path, const std::string &result);
	void finishJob(std::uint64_t id, std::exception_ptr error);
	std::exception_ptr jobResultError(std::uint64_t id, const std::string &result) const;
	std::optional<std::string> takeUnclaimedResult(const std::string &path);

	struct Job {
		JobType type;
		std::string unit;
		/* Empty until the manager answered the call. */
		std::string path;
		EventLoop::TimerId timer;
		Completion done;
	};

	/* A JobRemoved that came before the reply naming its job. */
	struct UnclaimedResult {
		EventLoop::Clock::time_point at;
		std::string path;
		std::string result;
	};

	sdbus::IConnection &connection_;
	EventLoop &loop_;
	std::chrono::milliseconds jobTimeout_;

	std::unique_ptr<sdbus::IProxy> bus_;
	std::unique_ptr<sdbus::IProxy> manager_;
	std::map<std::string, std::unique_ptr<sdbus::IProxy>> unitProxies_;
	std::vector<sdbus::Slot> matches_;
	bool available_ = false;

	UnitCache cache_;
	UnitChangedHandler unitChanged_;

	std::map<std::uint64_t, Job> jobs_;
	std::uint64_t nextJobId_ = 1;
	std::deque<UnclaimedResult> unclaimed_;
};

SystemdClient::Private::Private(sdbus::IConnection &connection, EventLoop &loop,
				std::chrono::milliseconds jobTimeout)
	: connection_(connection), loop_(loop), jobTimeout_(jobTimeout),
	  bus_(sdbus::createProxy(connection, "org.freedesktop.DBus", "/org/freedesktop/DBus")),
	  manager_(sdbus::createProxy(connection, kService, kManagerPath))
{
	/* Every signal handler is in place before the first call. */
	matches_.push_back(connection_.addMatch(
		kManagerSignals, [this](sdbus::Message &message) { onManagerSignal(message); }));
	matches_.push_back(
		connection_.addMatch(kUnitPropertiesChanged, [this](sdbus::Message &message) {
			onPropertiesChanged(message);
		}));
	matches_.push_back(connection_.addMatch(kManagerOwnerChanged, [this](sdbus::Message &m) {
		std::string name, oldOwner, newOwner;
		m >> name >> oldOwner >> newOwner;
		if (!oldOwner.empty())
			managerVanished();
		if (!newOwner.empty())
			managerAppeared();
	}));

	watchManager();
	subscribe();
}

SystemdClient::Private::~Private()
{
	for (const auto &[id, job] : jobs_)
		loop_.cancelTimer(job.timer);
}

void SystemdClient::Private::watchManager()
{
	bus_->callMethodAsync("GetNameOwner")
		.onInterface("org.freedesktop.DBus")
		.withArguments(kService)
		.uponReplyInvoke([this](const sdbus::Error *error, const std::string &) {
			available_ = !error;
			if (error)
				spdlog::warn("systemd is not on its bus yet: {}",
					     error->getMessage());
		});
}

void SystemdClient::Private::managerAppeared()
{
	spdlog::info("systemd is on the bus: subscribing and reloading the unit cache");
	available_ = true;
	subscribe();
	readUnits(cache_.trackedUnits(), [](std::exception_ptr) {});
}

void SystemdClient::Private::managerVanished()
{
	spdlog::warn("systemd left the bus: failing its pending jobs");
	available_ = false;
	/* Job paths restart from 1 with the next manager. */
	unclaimed_.clear();

	std::vector<std::uint64_t> ids;
	for (const auto &[id, job] : jobs_)
		ids.push_back(id);
	for (std::uint64_t id : ids) {
		const auto it = jobs_.find(id);
		if (it == jobs_.end())
			continue;
		const Job &job = it->second;
		finishJob(id,
			  error(ErrorCode::SystemdUnavailable,
				fmt::format("systemd went away before the job to {} {} finished; "
					    "check that the manager runs and try again.",
					    jobTypeName(job.type), job.unit)));
	}
}

void SystemdClient::Private::subscribe()
{
	/* Without a subscriber, the manager sends no JobRemoved and no PropertiesChanged. */
	manager_->callMethodAsync("Subscribe")
		.onInterface(kManagerInterface)
		.uponReplyInvoke([](const sdbus::Error *error) {
			if (error)
				spdlog::warn("Cannot subscribe to systemd's signals: {}",
					     error->getMessage());
		});
}

void SystemdClient::Private::onManagerSignal(sdbus::Message &message)
{
	const std::string member = message.getMemberName();
	if (member == "JobRemoved") {
		std::uint32_t id;
		sdbus::ObjectPath path;
		std::string unit, result;
		message >> id >> path >> unit >> result;
		onJobRemoved(path, result);
	} else if (member == "UnitFilesChanged") {
		readUnitFileStates(cache_.trackedUnits(), [](std::exception_ptr) {});
	} else if (member == "Reloading") {
		bool starting;
		message >> starting;
		/* A reload replaces every unit object: read them all again once it is over. */
		if (!starting)
			readUnits(cache_.trackedUnits(), [](std::exception_ptr) {});
	}
}

std::exception_ptr SystemdClient::Private::callError(const sdbus::Error &e,
						     const std::string &what) const
{
	const std::string &name = e.getName();
	const bool gone = name == "org.freedesktop.DBus.Error.ServiceUnknown" ||
			  name == "org.freedesktop.DBus.Error.NameHasNoOwner" ||
			  name == "org.freedesktop.DBus.Error.Disconnected";
	/* The bus daemon answers NoReply for a manager that left; sd-bus for a late one. */
	const bool noReply = name == "org.freedesktop.DBus.Error.NoReply";

	if (gone || (noReply && !available_))
		return error(ErrorCode::SystemdUnavailable,
			     fmt::format("Cannot {}: systemd is not available on its bus ({}); "
					 "check that the manager runs.",
					 what, e.getMessage()));
	if (noReply)
		return error(ErrorCode::Timeout,
			     fmt::format("Cannot {}: systemd did not answer in time.", what));
	return error(ErrorCode::JobFailed,
		     fmt::format("Cannot {}: systemd says: {}", what, e.getMessage()));
}

void SystemdClient::Private::readUnits(const std::vector<std::string> &units, Completion done)
{
	auto gather = Gather::create(std::move(done));
	eachBatch(
		units, kUnitsPerBatch,
		[this](std::vector<std::string> batch, Completion part) {
			listUnits(batch, std::move(part));
		},
		gather->part());
	readUnitFileStates(units, gather->part());
	gather->arm();
}

/*
 * ListUnitsByNames loads the units as LoadUnit does and answers in the request's order, each
 * entry naming the unit's primary id (an alias gives its unit's entry): hence by position. It
 * skips invalid names and fails as a whole on a template name; then each name on its own.
 */
void SystemdClient::Private::listUnits(const std::vector<std::string> &units, Completion done)
{
	manager_->callMethodAsync("ListUnitsByNames")
		.onInterface(kManagerInterface)
		.withArguments(units)
		.withTimeout(jobTimeout_)
		.uponReplyInvoke([this, units, done](const sdbus::Error *e, const UnitRows &rows) {
			if (e || rows.size() != units.size()) {
				if (e)
					spdlog::debug("Loading units one by one: {}",
						      e->getMessage());
				loadEachUnit(units, done);
				return;
			}
			for (std::size_t i = 0; i < units.size(); i++) {
				const std::string &unit = units[i];
				cache_.setObjectPath(unit, rows[i].get<6>());
				notify(cache_.setActiveState(unit, rows[i].get<2>(),
							     rows[i].get<3>(), rows[i].get<4>()),
				       unit);
			}
			done(nullptr);
		});
}

void SystemdClient::Private::loadEachUnit(const std::vector<std::string> &units, Completion done)
{
	BoundedEach::run(
		units, kUnitReadsInFlight,
		[this](const std::string &unit, Completion part) {
			loadUnit(unit, std::move(part));
		},
		std::move(done));
}

/* LoadUnit, not GetUnit: the latter fails for units the manager has not loaded. */
void SystemdClient::Private::loadUnit(const std::string &unit, Completion done)
{
	manager_->callMethodAsync("LoadUnit")
		.onInterface(kManagerInterface)
		.withArguments(unit)
		.withTimeout(jobTimeout_)
		.uponReplyInvoke(
			[this, unit, done](const sdbus::Error *e, const sdbus::ObjectPath &path) {
				if (e) {
					done(callError(*e, "load " + unit));
					return;
				}
				cache_.setObjectPath(unit, path);
				readProperties(path, done);
			});
}

void SystemdClient::Private::readProperties(const std::string &path, Completion done)
{
	unitProxy(path)
		.callMethodAsync("GetAll")
		.onInterface(kPropertiesInterface)
		.withArguments(kUnitInterface)
		.withTimeout(jobTimeout_)
		.uponReplyInvoke(
			[this, path, done](const sdbus::Error *e, const Properties &properties) {
				if (e) {
					done(callError(*e, "read the state of " + path));
					return;
				}
				applyProperties(path, properties);
				done(nullptr);
			});
}

void SystemdClient::Private::readUnitFileStates(const std::vector<std::string> &units,
						Completion done)
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
void SystemdClient::Private::listUnitFiles(const std::vector<std::string> &units, Completion done)
{
	manager_->callMethodAsync("ListUnitFilesByPatterns")
		.onInterface(kManagerInterface)
		.withArguments(std::vector<std::string>(), units)
		.withTimeout(jobTimeout_)
		.uponReplyInvoke([this, units, done](const sdbus::Error *e,
						     const UnitFileRows &rows) {
			std::map<std::string, std::string> states;
			if (e)
				spdlog::debug("Reading unit-file states one by one: {}",
					      e->getMessage());
			else
				for (const auto &row : rows)
					states.emplace(baseName(row.get<0>()), row.get<1>());

			std::vector<std::string> unanswered;
			for (const std::string &unit : units) {
				const auto it = states.find(unit);
				if (it == states.end())
					unanswered.push_back(unit);
				else
					notify(cache_.setUnitFileState(unit, it->second), unit);
			}
			readEachUnitFileState(unanswered, done);
		});
}

void SystemdClient::Private::readEachUnitFileState(const std::vector<std::string> &units,
						   Completion done)
{
	BoundedEach::run(
		units, kUnitReadsInFlight,
		[this](const std::string &unit, Completion part) {
			readUnitFileState(unit, std::move(part));
		},
		std::move(done));
}

/* Of this very name: an alias has its own state, "alias". */
void SystemdClient::Private::readUnitFileState(const std::string &unit, Completion done)
{
	manager_->callMethodAsync("GetUnitFileState")
		.onInterface(kManagerInterface)
		.withArguments(unit)
		.withTimeout(jobTimeout_)
		.uponReplyInvoke([this, unit, done](const sdbus::Error *e,
						    const std::string &state) {
			if (e && e->getName() != "org.freedesktop.DBus.Error.FileNotFound") {
				done(callError(*e, "read the unit-file state of " + unit));
				return;
			}
			/* No file of that name: nothing to say, as UnitState documents. */
			notify(cache_.setUnitFileState(unit, e ? std::string() : state), unit);
			done(nullptr);
		});
}

void SystemdClient::Private::applyProperties(const std::string &path, const Properties &properties)
{
	for (const std::string &unit : cache_.unitsAt(path)) {
		const UnitState &cached = cache_.unitState(unit);
		const bool changed = cache_.setActiveState(
			unit, propertyOr(properties, "LoadState", cached.loadState),
			propertyOr(properties, "ActiveState", cached.activeState),
			propertyOr(properties, "SubState", cached.subState));
		notify(changed, unit);
	}
}

void SystemdClient::Private::onPropertiesChanged(sdbus::Message &message)
{
	std::string interface;
	Properties changed;
	std::vector<std::string> invalidated;
	message >> interface >> changed >> invalidated;

	const std::string path = message.getPath();
	if (cache_.unitsAt(path).empty())
		return;

	applyProperties(path, changed);
	const bool stale = std::any_of(invalidated.begin(), invalidated.end(), [](auto &name) {
		return name == "LoadState" || name == "ActiveState" || name == "SubState";
	});
	if (stale)
		readProperties(path, [](std::exception_ptr) {});
}

void SystemdClient::Private::notify(bool changed, const std::string &unit)
{
	if (changed && unitChanged_)
		unitChanged_(unit);
}

sdbus::IProxy &SystemdClient::Private::unitProxy(const std::string &path)
{
	std::unique_ptr<sdbus::IProxy> &proxy = unitProxies_[path];
	if (!proxy)
		proxy = sdbus::createProxy(connection_, kService, path);
	return *proxy;
}

void SystemdClient::Private::runSteps(std::shared_ptr<const Plan> plan, std::size_t index,
				      Completion done)
{
	if (index == plan->size()) {
		done(nullptr);
		return;
	}

	const PlanStep &step = (*plan)[index];
	Completion next = [this, plan, index, done](std::exception_ptr error) {
		if (error)
			done(error);
		else
			runSteps(plan, index + 1, done);
	};

	if (const auto *change = std::get_if<UnitFileChange>(&step.action))
		runUnitFileStep(*change, step.targets, std::move(next));
	else if (const auto *call = std::get_if<UnitCall>(&step.action))
		runUnitCallStep(*call, step.targets, std::move(next));
	else
		runJobStep(std::get<JobType>(step.action), step.targets, std::move(next));
}

void SystemdClient::Private::runUnitFileStep(UnitFileChange change,
					     const std::vector<PlanTarget> &targets,
					     Completion done)
{
	const std::vector<std::string> units = unitsOf(targets, false);
	const std::vector<std::string> aliases = unitsOf(targets, true);

	/* The aliases after their units: enabling a unit is what creates its alias link. */
	changeUnitFiles(change, units, [this, change, aliases, done](std::exception_ptr error) {
		if (error) {
			done(error);
			return;
		}
		const std::string what =
			fmt::format("{} {}", unitFileChangeName(change), joined(aliases));
		changeUnitFiles(change, aliases, loggedOnly(what, [this, done](std::exception_ptr) {
					reloadManager(done);
				}));
	});
}

void SystemdClient::Private::changeUnitFiles(UnitFileChange change,
					     const std::vector<std::string> &units, Completion done)
{
	if (units.empty()) {
		done(nullptr);
		return;
	}

	/* sdbus-c++ 1.2's invoker keeps a reference to the method name: it must outlive it. */
	const std::string method = unitFileMethod(change);
	sdbus::AsyncMethodInvoker call(*manager_, method);
	call.onInterface(kManagerInterface).withTimeout(jobTimeout_);
	/* Not runtime: the change lasts. force: replace links that point elsewhere. */
	if (change == UnitFileChange::Enable || change == UnitFileChange::Mask)
		call.withArguments(units, false, true);
	else
		call.withArguments(units, false);

	const std::string what = fmt::format("{} {}", unitFileChangeName(change), joined(units));
	call.uponReplyInvoke([this, what, done](const sdbus::Error *e) {
		done(e ? callError(*e, what) : nullptr);
	});
}

void SystemdClient::Private::reloadManager(Completion done)
{
	manager_->callMethodAsync("Reload")
		.onInterface(kManagerInterface)
		.withTimeout(jobTimeout_)
		.uponReplyInvoke([this, done](const sdbus::Error *e) {
			done(e ? callError(*e, "reload systemd's configuration") : nullptr);
		});
}

void SystemdClient::Private::runUnitCallStep(UnitCall call, const std::vector<PlanTarget> &targets,
					     Completion done)
{
	auto gather = Gather::create(std::move(done));
	for (const PlanTarget &target : targets) {
		const std::string what = fmt::format("{} {}", unitCallName(call), target.unit);
		Completion part = gather->part();
		if (target.bestEffort)
			part = loggedOnly(what, std::move(part));
		/* ResetFailedUnit is the only call so far; it acts at once and makes no job. */
		manager_->callMethodAsync("ResetFailedUnit")
			.onInterface(kManagerInterface)
			.withArguments(target.unit)
			.withTimeout(jobTimeout_)
			.uponReplyInvoke([this, what, part](const sdbus::Error *e) {
				part(e ? callError(*e, what) : nullptr);
			});
	}
	gather->arm();
}

void SystemdClient::Private::runJobStep(JobType type, const std::vector<PlanTarget> &targets,
					Completion done)
{
	auto gather = Gather::create(std::move(done));
	for (const PlanTarget &target : targets) {
		Completion part = gather->part();
		if (target.bestEffort)
			part = loggedOnly(fmt::format("{} {}", jobTypeName(type), target.unit),
					  std::move(part));
		startJob(type, target.unit, std::move(part));
	}
	gather->arm();
}

void SystemdClient::Private::startJob(JobType type, const std::string &unit, Completion done)
{
	const std::uint64_t id = nextJobId_++;
	const EventLoop::TimerId timer = loop_.addTimer(jobTimeout_, [this, id, type, unit] {
		finishJob(id,
			  error(ErrorCode::Timeout,
				fmt::format("The job to {} {} did not finish within {} ms; see "
					    "`systemctl status {}`.",
					    jobTypeName(type), unit, jobTimeout_.count(), unit)));
	});
	jobs_.emplace(id, Job{type, unit, {}, timer, std::move(done)});

	const std::string what = fmt::format("{} {}", jobTypeName(type), unit);
	manager_->callMethodAsync(jobMethod(type))
		.onInterface(kManagerInterface)
		.withArguments(unit, std::string("replace"))
		.uponReplyInvoke(
			[this, id, what](const sdbus::Error *e, const sdbus::ObjectPath &path) {
				const auto it = jobs_.find(id);
				if (it == jobs_.end())
					return;
				if (e) {
					finishJob(id, callError(*e, what));
					return;
				}
				if (std::optional<std::string> result = takeUnclaimedResult(path))
					finishJob(id, jobResultError(id, *result));
				else
					it->second.path = path;
			});
}

void SystemdClient::Private::onJobRemoved(const std::string &path, const std::string &result)
{
	/* Starting a unit and its alias gives both calls the one job of the unit. */
	std::vector<std::uint64_t> waiting;
	for (const auto &[id, job] : jobs_)
		if (job.path == path)
			waiting.push_back(id);
	for (std::uint64_t id : waiting)
		finishJob(id, jobResultError(id, result));

	/*
	 * Anyone's job, or ours whose reply is still on its way (an alias's, too): keep it as
	 * long as a job may run.
	 */
	const auto now = EventLoop::Clock::now();
	while (!unclaimed_.empty() && now - unclaimed_.front().at > jobTimeout_)
		unclaimed_.pop_front();
	unclaimed_.push_back({now, path, result});
}

std::optional<std::string> SystemdClient::Private::takeUnclaimedResult(const std::string &path)
{
	const auto it = std::find_if(unclaimed_.begin(), unclaimed_.end(),
				     [&](const UnclaimedResult &u) { return u.path == path; });
	if (it == unclaimed_.end())
		return std::nullopt;
	/* Kept until it expires: a unit's alias may still claim the same job. */
	return it->result;
}

std::exception_ptr SystemdClient::Private::jobResultError(std::uint64_t id,
							  const std::string &result) const
{
	if (result == "done")
		return nullptr;
	const Job &job = jobs_.at(id);
	return error(ErrorCode::JobFailed,
		     fmt::format("The job to {} {} ended with result '{}'; see `systemctl status "
				 "{}` for why.",
				 jobTypeName(job.type), job.unit, result, job.unit));
}

void SystemdClient::Private::finishJob(std::uint64_t id, std::exception_ptr error)
{
	const auto it = jobs_.find(id);
	if (it == jobs_.end())
		return;
	loop_.cancelTimer(it->second.timer);
	Completion done = std::move(it->second.done);
	jobs_.erase(it);
	done(std::move(error));
}

SystemdClient::SystemdClient(sdbus::IConnection &connection, EventLoop &loop,
			     std::chrono::milliseconds jobTimeout)
	: d_(std::make_unique<Private>(connection, loop, jobTimeout))
{
}

SystemdClient::~SystemdClient() = default;

void SystemdClient::track(const std::vector<std::string> &units, std::function<void()> done)
{
	d_->cache_.setTracked(units);
	d_->readUnits(units, [done = std::move(done)](std::exception_ptr error) {
		if (error)
			spdlog::warn("Some unit states are unknown: {}", errorText(error));
		done();
	});
}

const UnitStateView &SystemdClient::unitStates() const
{
	return d_->cache_;
}

void SystemdClient::onUnitChanged(UnitChangedHandler handler)
{
	d_->unitChanged_ = std::move(handler);
}

void SystemdClient::execute(const Plan &plan, Completion done)
{
	auto shared = std::make_shared<const Plan>(plan);
	d_->runSteps(shared, 0, [this, shared, done = std::move(done)](std::exception_ptr error) {
		std::vector<std::string> targets;
		for (const PlanStep &step : *shared) {
			for (const PlanTarget &target : step.targets) {
				if (d_->cache_.isTracked(target.unit) &&
				    std::find(targets.begin(), targets.end(), target.unit) ==
					    targets.end())
					targets.push_back(target.unit);
			}
		}
		/* The caller answers from the cache next: it must already show the outcome. */
		d_->readUnits(targets, [error, done](std::exception_ptr) { done(error); });
	});
}

bool SystemdClient::isAvailable() const
{
	return d_->available_;
}

} /* namespace plinth */

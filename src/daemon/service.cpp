/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "service.h"

#include <signal.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <filesystem>

#include <sdbus-c++/sdbus-c++.h>

#include "app_catalog.h"
#include "app_changes.h"
#include "app_diagnoses.h"
#include "daemons_adaptor.h"
#include "diagnosis_runner.h"
#include "enable_state_store.h"
#include "event_loop.h"
#include "health_journal.h"
#include "health_monitor.h"
#include "health_scheduler.h"
#include "log_service.h"
#include "method_calls.h"
#include "object_tree.h"
#include "options.h"
#include "peer_watcher.h"
#include "polkit_authority.h"
#include "queries.h"
#include "read_requests.h"
#include "requests.h"
#include "signal_gate.h"
#include "systemd_client.h"
#include "translator.h"
#include "unit_failure_report.h"
#include "unit_leases.h"
#include "unit_properties.h"

namespace plinth {

namespace {

constexpr const char *kBusName = "org.freedesktop.Plinth.Daemons";
constexpr const char *kStateFile = "leaderless-apps.toml";
constexpr const char *kHealthFile = "health.toml";
constexpr const char *kIgnoredChecksFile = "ignored-checks.toml";
constexpr const char *kLeaseFile = "leases.toml";
/* A connect check that cannot connect within this fails. */
constexpr std::chrono::seconds kConnectTimeout{5};

std::unique_ptr<sdbus::IConnection> connectBus(const BusChoice &bus)
{
	switch (bus.type) {
	case BusChoice::Type::System:
		return sdbus::createSystemBusConnection();
	case BusChoice::Type::User:
		return sdbus::createSessionBusConnection();
	case BusChoice::Type::Address:
		break;
	}
	return sdbus::createSessionBusConnectionWithAddress(bus.address);
}

/*
 * The system manager's units log under _SYSTEMD_UNIT=; a user manager's (one reached by
 * address may be one) also under _SYSTEMD_USER_UNIT=, for the service's own uid only.
 */
JournalSource journalSource(const Options &options)
{
	JournalSource source;
	if (!options.journalDir.empty())
		source.directory = options.journalDir;
	if (options.systemdBus.type != BusChoice::Type::System)
		source.userManagerUid = ::getuid();
	return source;
}

/*
 * Blocked before any thread starts, so that the loop receives them as events: a thread made
 * earlier would keep SIGTERM unblocked, and the kernel would kill the process through it
 * instead of letting it drain.
 */
void blockHandledSignals()
{
	sigset_t mask;
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	sigprocmask(SIG_BLOCK, &mask, nullptr);
}

class Service
{
public:
	explicit Service(const Options &options)
		: options_(options), bus_(connectBus(options.bus)),
		  systemdBus_(connectBus(options.systemdBus)), busSignals_(*bus_),
		  systemdSignals_(*systemdBus_),
		  systemd_(systemdSignals_, loop_, options.jobTimeout),
		  records_(options.stateDir / kStateFile), authority_(*bus_, options.authorization),
		  translator_(options.locale),
		  diagnosis_([this](std::function<void()> fn) { loop_.post(std::move(fn)); },
			     kConnectTimeout, translator_),
		  apps_(systemd_, records_, options.appsDirs), diagnoses_(apps_, diagnosis_),
		  changes_(apps_, diagnoses_, systemd_, records_),
		  healthStore_(options.stateDir / kHealthFile),
		  ignoredChecksStore_(options.stateDir / kIgnoredChecksFile),
		  health_(apps_, changes_, diagnoses_, translator_, healthStore_,
			  ignoredChecksStore_,
			  [this](std::function<void()> work,
				 std::function<void(std::exception_ptr)> done) {
				  logs_.runBlocking(std::move(work), std::move(done));
			  }),
		  healthJournal_(health_),
		  healthChecks_(apps_, diagnoses_, loop_, options.healthInterval,
				options.healthSettleDelay),
		  leases_(changes_, loop_, options.stateDir / kLeaseFile),
		  peers_(busSignals_,
			 [this](const std::string &name) {
				 leases_.holderLeft(name);
				 authority_.callerLeft(name);
				 logs_.followerLeft(name);
			 }),
		  logs_(loop_, journalSource(options)), properties_(systemdSignals_),
		  failures_(properties_, logs_, authority_, apps_),
		  requests_(apps_, changes_, leases_, failures_, health_),
		  reads_(apps_, diagnoses_, logs_, properties_), queries_(apps_, health_),
		  calls_(requests_, reads_, queries_, authority_)
	{
		/* Exiting non-zero lets systemd restart the service on a bus that works. */
		loop_.addConnection(*bus_, [this] { connectionLost("the bus it serves on"); });
		loop_.addConnection(*systemdBus_,
				    [this] { connectionLost("the bus systemd is on"); });
	}

	~Service()
	{
		objects_.reset();
		adaptor_.reset();
		loop_.removeConnection(*systemdBus_);
		loop_.removeConnection(*bus_);
	}

	int run()
	{
		std::error_code ec;
		std::filesystem::create_directories(options_.stateDir, ec);
		records_.load();

		loop_.watchSignal(SIGTERM, [this] { shutDown(); });
		loop_.watchSignal(SIGINT, [this] { shutDown(); });
		loop_.watchSignal(SIGHUP, [this] { reloadDefinitions(); });
		if (loop_.enableWatchdog())
			spdlog::debug("telling systemd's watchdog that the loop is alive");

		apps_.reload([this](const LoadResult &) {
			leases_.restore();
			startServing();
		});
		return loop_.run();
	}

private:
	void startServing()
	{
		adaptor_ = std::make_unique<DaemonsAdaptor>(*bus_, apps_, health_, calls_);
		objects_ = std::make_unique<ObjectTree>(
			*bus_, apps_, health_, calls_,
			[this](std::function<void()> fn) { loop_.post(std::move(fn)); });
		bus_->requestName(kBusName);
		spdlog::info("{} is ready on the bus", kBusName);
	}

	void connectionLost(const char *which)
	{
		spdlog::critical("lost the connection to {}; exiting", which);
		loop_.quit(1);
	}

	/* A request of the service itself, as a Reload call would make. */
	void reloadDefinitions()
	{
		auto request = std::make_unique<Request<void>>(
			Caller{.uniqueName = "SIGHUP", .isService = true}, nullptr, authority_);
		Task<void> reload = requests_.reload(*request);
		Request<void>::run(std::move(request), std::move(reload));
	}

	void shutDown()
	{
		if (stopping_)
			return;
		stopping_ = true;
		spdlog::info("stopping: answering the calls in flight, then releasing {}",
			     kBusName);
		if (adaptor_)
			bus_->releaseName(kBusName);
		if (quitIfAllAnswered())
			return;

		/* A reply goes out from some handler of the loop: look after each one. */
		loop_.afterEachTurn([this] { quitIfAllAnswered(); });
		loop_.addTimer(options_.jobTimeout + std::chrono::seconds(5), [this] {
			spdlog::warn("quitting with {} calls unanswered", calls_.inFlight());
			loop_.quit(0);
		});
	}

	bool quitIfAllAnswered()
	{
		if (calls_.inFlight() > 0)
			return false;
		loop_.quit(0);
		return true;
	}

	const Options &options_;
	/*
	 * Destroyed in reverse: everything that can hold a reply owed on a connection (the
	 * adaptor, the app manager, the diagnoses in flight, the loop's queued tasks and timers)
	 * goes before the connections do, so nothing ever answers on a freed one.
	 */
	std::unique_ptr<sdbus::IConnection> bus_;
	std::unique_ptr<sdbus::IConnection> systemdBus_;
	/* One per connection: every signal the service follows passes one of them. */
	SignalGate busSignals_;
	SignalGate systemdSignals_;
	EventLoop loop_;
	SystemdClient systemd_;
	EnableStateStore records_;
	PolkitAuthority authority_;
	Translator translator_;
	DiagnosisRunner diagnosis_;
	AppCatalog apps_;
	AppDiagnoses diagnoses_;
	AppChanges changes_;
	HealthStore healthStore_;
	IgnoredChecksStore ignoredChecksStore_;
	/* Destroyed after logs_, whose thread writes its records until then. */
	HealthMonitor health_;
	HealthJournal healthJournal_;
	HealthScheduler healthChecks_;
	UnitLeases leases_;
	PeerWatcher peers_;
	LogService logs_;
	UnitPropertyReader properties_;
	UnitFailureReport failures_;
	Requests requests_;
	ReadRequests reads_;
	Queries queries_;
	MethodCalls calls_;
	std::unique_ptr<DaemonsAdaptor> adaptor_;
	std::unique_ptr<ObjectTree> objects_;
	bool stopping_ = false;
};

} /* namespace */

int runService(const Options &options)
{
	try {
		blockHandledSignals();
		Service service(options);
		return service.run();
	} catch (const sdbus::Error &e) {
		spdlog::critical("cannot use the bus: {}: {}", e.getName(), e.getMessage());
	} catch (const std::exception &e) {
		spdlog::critical("{}", e.what());
	}
	return 1;
}

} /* namespace plinth */

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "service.h"

#include <poll.h>
#include <signal.h>
#include <spdlog/spdlog.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <system_error>

#include <sdbus-c++/sdbus-c++.h>

#include "app_manager.h"
#include "authority.h"
#include "daemons_adaptor.h"
#include "diagnosis_runner.h"
#include "enable_state_store.h"
#include "event_loop.h"
#include "failure_report.h"
#include "log_service.h"
#include "object_tree.h"
#include "options.h"
#include "peer_watcher.h"
#include "requests.h"
#include "systemd_client.h"
#include "translator.h"
#include "unit_leases.h"
#include "unit_properties.h"

namespace plinth {

namespace {

constexpr const char *kBusName = "org.freedesktop.Plinth.Daemons";
constexpr const char *kStateFile = "leaderless-apps.toml";
constexpr const char *kLeaseFile = "leases.toml";
/* A connect check that cannot connect within this fails. */
constexpr std::chrono::seconds kConnectTimeout{5};
/* How often SIGTERM looks whether the calls in flight have been answered. */
constexpr std::chrono::milliseconds kDrainPollInterval{20};

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

/* Turns the signals into readable events on the loop instead of asynchronous interrupts. */
int blockSignalsIntoFd()
{
	sigset_t mask;
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	sigprocmask(SIG_BLOCK, &mask, nullptr);
	const int fd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	/* Blocked and never read, SIGTERM would no longer stop the service at all. */
	if (fd < 0)
		throw std::system_error(errno, std::system_category(),
					"cannot receive SIGTERM, SIGINT and SIGHUP (signalfd)");
	return fd;
}

class Service
{
public:
	explicit Service(const Options &options)
		: options_(options), signalFd_(blockSignalsIntoFd()), bus_(connectBus(options.bus)),
		  systemdBus_(connectBus(options.systemdBus)),
		  systemd_(*systemdBus_, loop_, options.jobTimeout),
		  records_(options.stateDir / kStateFile), authority_(*bus_, options.authorization),
		  translator_(options.locale),
		  diagnosis_([this](std::function<void()> fn) { loop_.post(std::move(fn)); },
			     kConnectTimeout, translator_),
		  apps_(systemd_, records_, diagnosis_, options.appsDirs),
		  leases_(apps_, loop_, options.stateDir / kLeaseFile),
		  peers_(*bus_,
			 [this](const std::string &name) {
				 leases_.holderLeft(name);
				 authority_.callerLeft(name);
				 logs_.followerLeft(name);
			 }),
		  logs_(loop_, journalSource(options)), properties_(*systemdBus_),
		  failures_(properties_, logs_, authority_),
		  requests_(apps_, authority_, leases_, failures_, logs_, properties_)
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
		loop_.unwatchFd(signalFd_);
		::close(signalFd_);
	}

	int run()
	{
		std::error_code ec;
		std::filesystem::create_directories(options_.stateDir, ec);
		records_.load();

		loop_.watchFd(signalFd_, POLLIN, [this](short) { readSignals(); });

		apps_.reload([this](const LoadResult &) {
			leases_.restore();
			startServing();
		});
		return loop_.run();
	}

private:
	void startServing()
	{
		adaptor_ = std::make_unique<DaemonsAdaptor>(*bus_, apps_, requests_);
		objects_ = std::make_unique<ObjectTree>(
			*bus_, apps_, requests_,
			[this](std::function<void()> fn) { loop_.post(std::move(fn)); });
		bus_->requestName(kBusName);
		spdlog::info("{} is ready on the bus", kBusName);
	}

	void connectionLost(const char *which)
	{
		spdlog::critical("lost the connection to {}; exiting", which);
		loop_.quit(1);
	}

	void readSignals()
	{
		signalfd_siginfo info;
		while (::read(signalFd_, &info, sizeof(info)) == sizeof(info)) {
			if (info.ssi_signo == SIGHUP) {
				spdlog::info("SIGHUP: reading the app definitions again");
				if (adaptor_)
					adaptor_->reload([] {});
			} else {
				shutDown();
			}
		}
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
		drain(EventLoop::Clock::now() + options_.jobTimeout + std::chrono::seconds(5));
	}

	/* Quits once every call in flight has its reply, or at the deadline. */
	void drain(EventLoop::Clock::time_point deadline)
	{
		const std::size_t pending = requests_.callsInFlight();
		if (pending == 0 || EventLoop::Clock::now() >= deadline) {
			if (pending)
				spdlog::warn("quitting with {} calls unanswered", pending);
			loop_.quit(0);
			return;
		}
		loop_.addTimer(kDrainPollInterval, [this, deadline] { drain(deadline); });
	}

	const Options &options_;
	/*
	 * Blocked before any thread starts: a thread made earlier would keep SIGTERM unblocked,
	 * and the kernel would kill the process through it instead of letting it drain.
	 */
	const int signalFd_;
	/*
	 * Destroyed in reverse: everything that can hold a reply owed on a connection (the
	 * adaptor, the app manager, the diagnoses in flight, the loop's queued tasks and timers)
	 * goes before the connections do, so nothing ever answers on a freed one.
	 */
	std::unique_ptr<sdbus::IConnection> bus_;
	std::unique_ptr<sdbus::IConnection> systemdBus_;
	EventLoop loop_;
	SystemdClient systemd_;
	EnableStateStore records_;
	Authority authority_;
	Translator translator_;
	DiagnosisRunner diagnosis_;
	AppManager apps_;
	UnitLeases leases_;
	PeerWatcher peers_;
	LogService logs_;
	UnitPropertyReader properties_;
	FailureReport failures_;
	Requests requests_;
	std::unique_ptr<DaemonsAdaptor> adaptor_;
	std::unique_ptr<ObjectTree> objects_;
	bool stopping_ = false;
};

} /* namespace */

int runService(const Options &options)
{
	try {
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

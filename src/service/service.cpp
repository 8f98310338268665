/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "service.h"

#include <poll.h>
#include <signal.h>
#include <spdlog/spdlog.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <filesystem>

#include <sdbus-c++/sdbus-c++.h>

#include "app_manager.h"
#include "authority.h"
#include "daemons_adaptor.h"
#include "diagnosis_runner.h"
#include "enable_state_store.h"
#include "event_loop.h"
#include "log_service.h"
#include "options.h"
#include "systemd_client.h"
#include "translator.h"
#include "unit_properties.h"

namespace plinth {

namespace {

constexpr const char *kBusName = "org.freedesktop.Plinth.Daemons";
constexpr const char *kStateFile = "leaderless-apps.toml";
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
	return signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
}

class Service
{
public:
	explicit Service(const Options &options)
		: options_(options), bus_(connectBus(options.bus)),
		  systemdBus_(connectBus(options.systemdBus)),
		  systemd_(*systemdBus_, loop_, options.jobTimeout),
		  records_(options.stateDir / kStateFile), authority_(*bus_, options.authorization),
		  translator_(options.locale),
		  diagnosis_([this](std::function<void()> fn) { loop_.post(std::move(fn)); },
			     kConnectTimeout, translator_),
		  apps_(systemd_, records_, diagnosis_, options.appsDirs),
		  logs_(loop_, journalSource(options)), properties_(*systemdBus_)
	{
		/* Exiting non-zero lets systemd restart the service on a bus that works. */
		loop_.addConnection(*bus_, [this] { connectionLost("the bus it serves on"); });
		loop_.addConnection(*systemdBus_,
				    [this] { connectionLost("the bus systemd is on"); });
	}

	~Service()
	{
		adaptor_.reset();
		loop_.removeConnection(*systemdBus_);
		loop_.removeConnection(*bus_);
	}

	int run()
	{
		std::error_code ec;
		std::filesystem::create_directories(options_.stateDir, ec);
		records_.load();

		signalFd_ = blockSignalsIntoFd();
		loop_.watchFd(signalFd_, POLLIN, [this](short) { readSignals(); });

		apps_.reload([this](const LoadResult &) { startServing(); });
		const int status = loop_.run();
		::close(signalFd_);
		return status;
	}

private:
	void startServing()
	{
		adaptor_ = std::make_unique<DaemonsAdaptor>(*bus_, apps_, authority_, logs_,
							    properties_);
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
		const std::size_t pending = adaptor_ ? adaptor_->callsInFlight() : 0;
		if (pending == 0 || EventLoop::Clock::now() >= deadline) {
			if (pending)
				spdlog::warn("quitting with {} calls unanswered", pending);
			loop_.quit(0);
			return;
		}
		loop_.addTimer(kDrainPollInterval, [this, deadline] { drain(deadline); });
	}

	const Options &options_;
	EventLoop loop_;
	std::unique_ptr<sdbus::IConnection> bus_;
	std::unique_ptr<sdbus::IConnection> systemdBus_;
	SystemdClient systemd_;
	EnableStateStore records_;
	Authority authority_;
	Translator translator_;
	DiagnosisRunner diagnosis_;
	AppManager apps_;
	LogService logs_;
	UnitPropertyReader properties_;
	std::unique_ptr<DaemonsAdaptor> adaptor_;
	int signalFd_ = -1;
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

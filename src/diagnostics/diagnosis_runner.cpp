/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "diagnosis_runner.h"

#include <spdlog/spdlog.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <future>
#include <optional>
#include <set>
#include <system_error>
#include <thread>
#include <utility>

#include "connect_check.h"
#include "diagnose.h"
#include "name_resolver.h"
#include "socket_table.h"
#include "work_queue.h"

namespace plinth {

namespace {

using Clock = std::chrono::steady_clock;

/* What one diagnosis needs off the loop thread, owned by it: a reload may drop the apps. */
struct Job {
	std::vector<App> apps;
	/* Per app, one running check per Daemon and SharedDaemon, in order. */
	std::vector<std::vector<DiagnosticCheck>> runningChecks;
	DiagnosisRunner::Done done;
};

/* The checks of each app in the reference's order, from the parts made on either thread. */
DiagnosisRunner::Results assemble(Job &job, const SocketSnapshot &snapshot,
				  std::vector<std::vector<DiagnosticCheck>> connectChecks,
				  const Translator &translator)
{
	DiagnosisRunner::Results results;
	for (std::size_t i = 0; i < job.apps.size(); ++i) {
		const App &app = job.apps[i];
		std::vector<DiagnosticCheck> &checks = results[app.id];
		auto running = job.runningChecks[i].begin();
		for (const Component &component : app.components) {
			if (!component.followsApp())
				continue;
			checks.push_back(std::move(*running++));
			for (const ListenPort &port : component.listenPorts)
				checks.push_back(
					diagnosePort(component.id, port, snapshot, translator));
		}
		for (DiagnosticCheck &check : connectChecks[i])
			checks.push_back(std::move(check));
	}
	return results;
}

/* The addresses of a look-up if it answered by the deadline, else none. */
std::vector<SocketAddress> addressesBy(const std::shared_future<Resolution> &resolution,
				       Clock::time_point deadline)
{
	if (resolution.wait_until(deadline) != std::future_status::ready)
		return {};
	return resolution.get().addresses;
}

} /* namespace */

class DiagnosisRunner::Private
{
public:
	Private(Post post, std::chrono::milliseconds connectTimeout, const Translator &translator);
	~Private();

	void queue(Job job) { queue_.push(std::move(job)); }
	const Translator &translator() const { return translator_; }

private:
	void work();
	std::vector<Results> runRound(std::vector<Job> &round);
	void answer(std::vector<Job> &round, std::vector<Results> results,
		    std::exception_ptr error);

	Post post_;
	std::chrono::milliseconds connectTimeout_;
	const Translator &translator_;
	/* Posted callbacks that find it gone belong to a runner destroyed since. */
	std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
	NameResolver resolver_;
	/* Readable once the runner stops: ends a round's connects at once. */
	int stopFd_;

	WorkQueue<Job> queue_;
	/* Last member: it starts once everything it uses exists. */
	std::thread worker_;
};

DiagnosisRunner::Private::Private(Post post, std::chrono::milliseconds connectTimeout,
				  const Translator &translator)
	: post_(std::move(post)), connectTimeout_(connectTimeout), translator_(translator),
	  stopFd_(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK))
{
	if (stopFd_ < 0)
		throw std::system_error(errno, std::system_category(), "eventfd");
	worker_ = std::thread([this] { work(); });
}

DiagnosisRunner::Private::~Private()
{
	queue_.stop();
	const std::uint64_t one = 1;
	if (::write(stopFd_, &one, sizeof(one)) < 0)
		spdlog::warn("cannot stop the diagnosis worker early: {}",
			     std::system_category().message(errno));
	worker_.join();
	::close(stopFd_);
}

void DiagnosisRunner::Private::work()
{
	while (std::optional<std::vector<Job>> round = queue_.takeAll()) {
		std::vector<Results> results;
		std::exception_ptr error;
		try {
			results = runRound(*round);
		} catch (const std::exception &e) {
			spdlog::error("a diagnosis failed: {}", e.what());
			error = std::current_exception();
		} catch (...) {
			spdlog::error("a diagnosis failed with an exception of unknown type");
			error = std::current_exception();
		}
		answer(*round, std::move(results), error);
	}
}

std::vector<DiagnosisRunner::Results> DiagnosisRunner::Private::runRound(std::vector<Job> &round)
{
	const Clock::time_point deadline = Clock::now() + connectTimeout_;

	/* Asked first: a name may take up to the deadline, the socket tables far less. */
	std::vector<std::shared_future<Resolution>> resolutions;
	std::set<std::uint16_t> ports;
	for (const Job &job : round) {
		for (const App &app : job.apps) {
			for (const ConnectCheckSpec &check : app.checks)
				resolutions.push_back(resolver_.resolve(check.host, check.port));
		}
		for (std::uint16_t port : listenPorts(job.apps))
			ports.insert(port);
	}

	const SocketSnapshot snapshot =
		readSocketTables(std::vector<std::uint16_t>(ports.begin(), ports.end()));

	std::vector<ConnectTarget> targets;
	for (const Job &job : round) {
		for (const App &app : job.apps) {
			for (const ConnectCheckSpec &check : app.checks)
				targets.push_back(
					{addressesBy(resolutions[targets.size()], deadline),
					 check.input});
		}
	}
	const std::vector<bool> connected = connectAll(targets, deadline, stopFd_);

	std::vector<Results> results;
	std::size_t next = 0;
	for (Job &job : round) {
		std::vector<std::vector<DiagnosticCheck>> connectChecks(job.apps.size());
		for (std::size_t i = 0; i < job.apps.size(); ++i) {
			for (const ConnectCheckSpec &check : job.apps[i].checks)
				connectChecks[i].push_back(makeConnectCheck(
					check, {}, connected[next++], translator_));
		}
		results.push_back(assemble(job, snapshot, std::move(connectChecks), translator_));
	}
	return results;
}

void DiagnosisRunner::Private::answer(std::vector<Job> &round, std::vector<Results> results,
				      std::exception_ptr error)
{
	for (std::size_t i = 0; i < round.size(); ++i) {
		Results mine = error ? Results{} : std::move(results[i]);
		try {
			post_([alive = std::weak_ptr<bool>(alive_), done = std::move(round[i].done),
			       error, results = std::move(mine)]() mutable {
				if (!alive.expired())
					done(error, std::move(results));
			});
		} catch (const std::exception &e) {
			/* Dropped, its caller still gets an error from the reply it owed. */
			spdlog::error("cannot hand a diagnosis back to the event loop: {}",
				      e.what());
		}
	}
}

DiagnosisRunner::DiagnosisRunner(Post post, std::chrono::milliseconds connectTimeout,
				 const Translator &translator)
	: d_(std::make_unique<Private>(std::move(post), connectTimeout, translator))
{
}

DiagnosisRunner::~DiagnosisRunner() = default;

void DiagnosisRunner::diagnose(std::vector<const App *> apps, const StatusQueries &status,
			       Done done)
{
	Job job;
	for (const App *app : apps) {
		std::vector<DiagnosticCheck> &running = job.runningChecks.emplace_back();
		for (const Component &component : app->components) {
			if (component.followsApp())
				running.push_back(
					diagnoseRunning(component, status, d_->translator()));
		}
		job.apps.push_back(*app);
	}
	job.done = std::move(done);
	d_->queue(std::move(job));
}

} /* namespace plinth */

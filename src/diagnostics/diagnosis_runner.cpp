/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "diagnosis_runner.h"

#include <future>
#include <list>
#include <thread>
#include <utility>

#include "connect_check.h"
#include "diagnose.h"
#include "socket_table.h"

namespace plinth {

namespace {

/* What one diagnosis needs off the loop thread, owned by it: a reload may drop the apps. */
struct Job {
	std::vector<App> apps;
	/* Per app, one running check per Daemon and SharedDaemon, in order. */
	std::vector<std::vector<DiagnosticCheck>> runningChecks;
};

/* The checks of each app in the reference's order, from the parts made on either thread. */
DiagnosisRunner::Results assemble(Job job, const SocketSnapshot &snapshot,
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

} /* namespace */

class DiagnosisRunner::Private
{
public:
	Private(Post post, std::chrono::milliseconds connectTimeout, const Translator &translator)
		: post_(std::move(post)), connectTimeout_(connectTimeout), translator_(translator)
	{
	}

	Results run(Job job) const;

	Post post_;
	std::chrono::milliseconds connectTimeout_;
	const Translator &translator_;
	/* Loop thread only. A worker's last act is to post the callback that joins it. */
	std::list<std::thread> workers_;
	/* Posted callbacks that find it gone belong to a runner destroyed since. */
	std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

DiagnosisRunner::Results DiagnosisRunner::Private::run(Job job) const
{
	/* Started first: they take up to the connect timeout, the socket tables far less. */
	std::vector<std::vector<std::future<DiagnosticCheck>>> pending(job.apps.size());
	for (std::size_t i = 0; i < job.apps.size(); ++i) {
		for (const ConnectCheckSpec &check : job.apps[i].checks)
			pending[i].push_back(std::async(std::launch::async, [this, check] {
				return runConnectCheck(check, {}, connectTimeout_, translator_);
			}));
	}

	const SocketSnapshot snapshot = readSocketTables(listenPorts(job.apps));

	std::vector<std::vector<DiagnosticCheck>> connectChecks(job.apps.size());
	for (std::size_t i = 0; i < pending.size(); ++i) {
		for (std::future<DiagnosticCheck> &check : pending[i])
			connectChecks[i].push_back(check.get());
	}
	return assemble(std::move(job), snapshot, std::move(connectChecks), translator_);
}

DiagnosisRunner::DiagnosisRunner(Post post, std::chrono::milliseconds connectTimeout,
				 const Translator &translator)
	: d_(std::make_unique<Private>(std::move(post), connectTimeout, translator))
{
}

DiagnosisRunner::~DiagnosisRunner()
{
	for (std::thread &worker : d_->workers_)
		worker.join();
}

void DiagnosisRunner::diagnose(std::vector<const App *> apps, const StatusQueries &status,
			       Done done)
{
	Job job;
	for (const App *app : apps) {
		std::vector<DiagnosticCheck> &running = job.runningChecks.emplace_back();
		for (const Component &component : app->components) {
			if (component.followsApp())
				running.push_back(
					diagnoseRunning(component, status, d_->translator_));
		}
		job.apps.push_back(*app);
	}

	Private *d = d_.get();
	const auto worker = d->workers_.emplace(d->workers_.end());
	try {
		*worker = std::thread([d, worker, alive = std::weak_ptr<bool>(d->alive_),
				       job = std::move(job), done = std::move(done)]() mutable {
			Results results = d->run(std::move(job));
			d->post_([d, worker, alive, results = std::move(results),
				  done = std::move(done)]() mutable {
				if (alive.expired())
					return;
				worker->join();
				d->workers_.erase(worker);
				done(std::move(results));
			});
		});
	} catch (...) {
		d->workers_.erase(worker);
		throw;
	}
}

} /* namespace plinth */

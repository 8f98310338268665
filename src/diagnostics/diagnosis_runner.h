/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <chrono>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "app.h"
#include "check.h"
#include "status.h"
#include "translator.h"

namespace plinth {

/*
 * Diagnoses apps for an event loop without ever blocking it, on a fixed budget of two threads
 * whatever the number of diagnoses asked for: everything but the running checks waits on the
 * kernel or the network, so it happens on the runner's one worker thread, and host names are
 * looked up on the NameResolver's. The worker takes every diagnosis queued since its last
 * round at once: one socket-table read for all their ports, and every connect check of all
 * of them at the same time, on non-blocking sockets.
 */
class DiagnosisRunner
{
public:
	/* App id -> its checks in the reference's order. */
	using Results = std::map<std::string, std::vector<DiagnosticCheck>>;
	/* error is set, and results empty, when the diagnosis could not be made at all. */
	using Done = std::function<void(std::exception_ptr error, Results results)>;
	/* Runs a function on the loop thread; callable from any thread. */
	using Post = std::function<void(std::function<void()>)>;

	/*
	 * Each connect check, its name look-up included, gives up after connectTimeout. The
	 * translator must outlive the runner.
	 */
	DiagnosisRunner(Post post, std::chrono::milliseconds connectTimeout,
			const Translator &translator);
	/*
	 * Stops the worker at once (a name look-up in progress is waited for); the diagnoses not
	 * finished never call done, and a done already posted does nothing.
	 */
	~DiagnosisRunner();

	DiagnosisRunner(const DiagnosisRunner &) = delete;
	DiagnosisRunner &operator=(const DiagnosisRunner &) = delete;

	/*
	 * Call on the loop thread. Reads the running states from status before it returns (the
	 * apps need not outlive the call), then calls done through post with one entry per app:
	 * for each Daemon and SharedDaemon its running check, then its port checks, in
	 * declaration order; then the app's connect checks, with an empty component id. A check
	 * that cannot be made is there with result error and the parameter "error". Diagnoses
	 * may overlap; the socket tables are read after each was asked for. No exception leaves
	 * the worker: one that fails a round is logged and given to each done of that round.
	 */
	void diagnose(std::vector<const App *> apps, const StatusQueries &status, Done done);

private:
	class Private;
	std::unique_ptr<Private> d_;
};

} /* namespace plinth */

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <chrono>
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
 * Diagnoses apps for an event loop without ever blocking it. Everything but the running checks
 * waits on the kernel or the network, so it happens on a thread of its own per diagnosis: one
 * socket-table read for all the apps' ports, and every connect check at the same time.
 */
class DiagnosisRunner
{
public:
	/* App id -> its checks in the reference's order. */
	using Results = std::map<std::string, std::vector<DiagnosticCheck>>;
	using Done = std::function<void(Results)>;
	/* Runs a function on the loop thread; callable from any thread. */
	using Post = std::function<void(std::function<void()>)>;

	/*
	 * Each connect check gives up after connectTimeout. The translator must outlive the
	 * runner.
	 */
	DiagnosisRunner(Post post, std::chrono::milliseconds connectTimeout,
			const Translator &translator);
	/* Waits for the diagnoses still running; their done is not called. */
	~DiagnosisRunner();

	DiagnosisRunner(const DiagnosisRunner &) = delete;
	DiagnosisRunner &operator=(const DiagnosisRunner &) = delete;

	/*
	 * Call on the loop thread. Reads the running states from status before it returns (the
	 * apps need not outlive the call), then calls done through post with one entry per app:
	 * for each Daemon and SharedDaemon its running check, then its port checks, in
	 * declaration order; then the app's connect checks, with an empty component id. A check
	 * that cannot be made is there with result error and the parameter "error". Diagnoses
	 * may overlap; each reads the socket tables once.
	 */
	void diagnose(std::vector<const App *> apps, const StatusQueries &status, Done done);

private:
	class Private;
	std::unique_ptr<Private> d_;
};

} /* namespace plinth */

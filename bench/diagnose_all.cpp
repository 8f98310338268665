/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * DiagnoseAll over the example apps on a machine with 10 000 extra sockets: the runner the
 * service uses (one netlink read of the ports, connect checks at once, on a worker) against
 * the same checks made the reference's way in the same run: /proc/net parsed, one connect
 * check after another, all on the calling thread. The example units' ports are served by
 * this process (where nothing else serves them), so the checks pass as on a running system.
 * Also prints how long the runner holds the loop thread: diagnose() and the posted callback.
 *
 *   diagnose-all [sockets] [runs]
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <set>

#include "app_loader.h"
#include "bench_support.h"
#include "connect_check.h"
#include "diagnose.h"
#include "diagnosis_runner.h"
#include "post_queue.h"

using namespace plinth;

namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

constexpr std::chrono::milliseconds kConnectTimeout = 2s;

double microsecondsSince(Clock::time_point start)
{
	return std::chrono::duration<double, std::micro>(Clock::now() - start).count();
}

/* Every unit loaded and active: the bench measures sockets, not systemd. */
class AllRunning : public UnitStateView
{
public:
	AllRunning() : state_{"loaded", "active", "running", "enabled"} {}
	const UnitState &unitState(std::string_view) const override { return state_; }

private:
	UnitState state_;
};

/* A TCP listener on 127.0.0.1:port; -1 when the port is taken, by the real unit perhaps. */
int serve(std::uint16_t port)
{
	const int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	sockaddr_in address{};
	address.sin_family = AF_INET;
	address.sin_port = htons(port);
	address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || bind(fd, reinterpret_cast<sockaddr *>(&address), sizeof(address)) < 0 ||
	    listen(fd, 64) < 0) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

/* Connections the checks left behind; a full accept queue would make the next ones hang. */
void acceptPending(int listener)
{
	int connection;
	while ((connection = accept4(listener, nullptr, nullptr, SOCK_CLOEXEC)) >= 0)
		close(connection);
}

/* The reference's way: everything in turn on the calling thread, sockets from /proc. */
DiagnosisRunner::Results diagnoseInline(const std::vector<const App *> &apps,
					const StatusQueries &status, const Translator &translator)
{
	const SocketSnapshot snapshot = bench::readProcNet();
	DiagnosisRunner::Results results;
	for (const App *app : apps) {
		std::vector<DiagnosticCheck> &checks = results[app->id];
		for (const Component &component : app->components) {
			if (!component.followsApp())
				continue;
			checks.push_back(diagnoseRunning(component, status, translator));
			for (const ListenPort &port : component.listenPorts)
				checks.push_back(
					diagnosePort(component.id, port, snapshot, translator));
		}
		for (const ConnectCheckSpec &check : app->checks)
			checks.push_back(runConnectCheck(check, {}, kConnectTimeout, translator));
	}
	return results;
}

std::vector<CheckResult> resultsOf(const DiagnosisRunner::Results &results)
{
	std::vector<CheckResult> flat;
	for (const auto &[app, checks] : results) {
		for (const DiagnosticCheck &check : checks)
			flat.push_back(check.result);
	}
	return flat;
}

} /* namespace */

int main(int argc, char **argv)
{
	const int sockets = argc > 1 ? std::atoi(argv[1]) : 10000;
	const int runs = argc > 2 ? std::atoi(argv[2]) : 51;
	if (sockets < 0 || runs < 1) {
		std::fprintf(stderr, "usage: %s [sockets >= 0] [runs >= 1]\n", argv[0]);
		return 2;
	}

	LoadResult loaded = loadAppDefinitions({PLINTH_EXAMPLE_APPS_DIR});
	if (!loaded.errors.empty()) {
		std::fprintf(stderr, "%s\n", loaded.errors[0].toString().c_str());
		return 1;
	}
	const Registry &registry = *loaded.registry;
	std::vector<const App *> apps;
	std::set<std::uint16_t> ports;
	std::size_t connectChecks = 0;
	for (const App &app : registry.apps()) {
		apps.push_back(&app);
		connectChecks += app.checks.size();
		for (const Component &component : app.components) {
			for (const ListenPort &port : component.listenPorts)
				ports.insert(port.port);
		}
	}

	std::vector<int> fds = bench::openExtraSockets(sockets);
	std::vector<int> listeners;
	for (const std::uint16_t port : ports) {
		if (const int fd = serve(port); fd >= 0)
			listeners.push_back(fd);
	}

	const AllRunning units;
	const EnableStateStore records(std::filesystem::path("/nonexistent/plinth-bench-state"));
	const StatusQueries status(registry, units, records);
	const Translator translator;
	test::PostQueue loop;
	/* The loop is held while a posted function runs, not while it waits for one. */
	double callback = 0;
	DiagnosisRunner runner(
		[&callback, post = loop.post()](std::function<void()> function) {
			post([&callback, function = std::move(function)] {
				const auto start = Clock::now();
				function();
				callback = microsecondsSince(start);
			});
		},
		kConnectTimeout, translator);

	std::vector<double> runnerTotal, runnerHeld, inlineTotal;
	for (int i = 0; i < runs; i++) {
		DiagnosisRunner::Results results;
		const auto start = Clock::now();
		runner.diagnose(apps, status, [&](std::exception_ptr, DiagnosisRunner::Results r) {
			results = std::move(r);
		});
		const double call = microsecondsSince(start);
		if (!loop.runOne(kConnectTimeout * 10)) {
			std::fprintf(stderr, "the runner never posted its results\n");
			return 1;
		}
		runnerTotal.push_back(microsecondsSince(start));
		runnerHeld.push_back(call + callback);

		const auto inlineStart = Clock::now();
		const DiagnosisRunner::Results expected = diagnoseInline(apps, status, translator);
		inlineTotal.push_back(microsecondsSince(inlineStart));

		if (resultsOf(results) != resultsOf(expected)) {
			std::fprintf(stderr, "the runner and the /proc baseline disagree\n");
			return 1;
		}
		for (const int fd : listeners)
			acceptPending(fd);
	}

	const double total = bench::median(runnerTotal);
	const double held = bench::median(runnerHeld);
	const double baseline = bench::median(inlineTotal);
	std::printf("DiagnoseAll over %zu example apps: %zu ports (%zu served here), %zu connect "
		    "checks; %d extra sockets; median of %d runs\n",
		    apps.size(), ports.size(), listeners.size(), connectChecks, sockets, runs);
	std::printf("runner (netlink, connects at once):   %10.1f us until done\n", total);
	std::printf("  of which the loop thread is held:    %10.1f us\n", held);
	std::printf("reference way (/proc, in turn, inline): %8.1f us, all of it on the loop\n",
		    baseline);
	std::printf("baseline / runner: %.1fx until done, %.0fx loop-thread time\n",
		    baseline / total, baseline / held);

	for (const int fd : fds)
		close(fd);
	for (const int fd : listeners)
		close(fd);
	return 0;
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace plinth::test {

/*
 * A real systemd --user manager with some of the units under tests/units, run by the
 * tests/sandbox/systemd-sandbox script. Its bus outlives the manager, so a test can kill and
 * restart the manager under a connected client.
 */
class SystemdSandbox
{
public:
	/* Why no sandbox can run on this machine; empty when one can. */
	static std::string unavailableReason();

	/*
	 * Starts a sandbox with these units, each a file name under tests/units or an absolute
	 * path; throws std::runtime_error with the script's output.
	 */
	explicit SystemdSandbox(const std::vector<std::string> &unitFiles);
	~SystemdSandbox();

	SystemdSandbox(const SystemdSandbox &) = delete;
	SystemdSandbox &operator=(const SystemdSandbox &) = delete;

	const std::string &busAddress() const { return busAddress_; }
	/* What a client of the manager needs: XDG_RUNTIME_DIR, HOME, the bus address. */
	std::vector<std::string> environment() const;

	/* systemctl --user ARGS in the sandbox: its trimmed standard output, or its exit status. */
	std::string systemctl(const std::vector<std::string> &args) const;
	int systemctlStatus(const std::vector<std::string> &args) const;

	/* Kills the manager and its units, keeping the bus; then starts a fresh manager on it. */
	void killManager();
	void startManager();

private:
	std::string dir_;
	std::string busAddress_;
};

/*
 * Whether a test that cannot run must fail rather than skip: under CI=true, as tools/run-tests
 * has it. Needed here because meson counts a gtest whose every test skipped as passed.
 */
bool skipsAreFailures();

} /* namespace plinth::test */

/* Skips the current test, saying why, when no sandbox can run here; fails it instead in CI. */
#define SKIP_WITHOUT_SANDBOX()                                                                     \
	do {                                                                                       \
		const std::string sandboxUnavailable =                                             \
			plinth::test::SystemdSandbox::unavailableReason();                         \
		if (sandboxUnavailable.empty())                                                    \
			break;                                                                     \
		if (plinth::test::skipsAreFailures())                                              \
			GTEST_FAIL() << sandboxUnavailable;                                        \
		else                                                                               \
			GTEST_SKIP() << sandboxUnavailable;                                        \
	} while (false)

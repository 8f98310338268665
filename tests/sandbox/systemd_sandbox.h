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

	/* Starts a sandbox with these units; throws std::runtime_error with the script's output. */
	explicit SystemdSandbox(const std::vector<std::string> &unitNames);
	~SystemdSandbox();

	SystemdSandbox(const SystemdSandbox &) = delete;
	SystemdSandbox &operator=(const SystemdSandbox &) = delete;

	const std::string &busAddress() const { return busAddress_; }

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

} /* namespace plinth::test */

/* Skips the current test, saying why, when no sandbox can run here. */
#define SKIP_WITHOUT_SANDBOX()                                                                     \
	do {                                                                                       \
		const std::string sandboxUnavailable =                                             \
			plinth::test::SystemdSandbox::unavailableReason();                         \
		if (!sandboxUnavailable.empty())                                                   \
			GTEST_SKIP() << sandboxUnavailable;                                        \
	} while (false)

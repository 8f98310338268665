/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <gtest/gtest.h>

#include <stdexcept>

#include "systemd_sandbox.h"

namespace plinth::test {
namespace {

TEST(SystemdSandboxFixture, RunsUnitsAndKeepsTheBusAcrossAManagerRestart)
{
	SKIP_WITHOUT_SANDBOX();
	SystemdSandbox sandbox({"plinth-test-renamed.service", "plinth-test-fail.service"});
	const std::string bus = sandbox.busAddress();
	EXPECT_TRUE(bus.starts_with("unix:path=/tmp/")) << bus;

	EXPECT_EQ(sandbox.systemctlStatus({"start", "plinth-test-renamed.service"}), 0);
	EXPECT_EQ(sandbox.systemctl({"is-active", "plinth-test-renamed.service"}), "active");
	EXPECT_NE(sandbox.systemctlStatus({"start", "plinth-test-fail.service"}), 0);
	EXPECT_EQ(sandbox.systemctl({"is-active", "plinth-test-fail.service"}), "failed");

	sandbox.killManager();
	sandbox.startManager();
	EXPECT_EQ(sandbox.busAddress(), bus);
	EXPECT_EQ(sandbox.systemctl({"is-active", "plinth-test-renamed.service"}), "inactive");
	EXPECT_EQ(sandbox.systemctlStatus({"start", "plinth-test-renamed.service"}), 0);
}

TEST(SystemdSandboxFixture, AnUnknownUnitFailsTheStartWithTheScriptsWords)
{
	SKIP_WITHOUT_SANDBOX();
	try {
		SystemdSandbox sandbox({"plinth-test-no-such.service"});
		FAIL() << "a sandbox started with a unit file that does not exist";
	} catch (const std::runtime_error &e) {
		EXPECT_NE(std::string(e.what()).find("plinth-test-no-such.service"),
			  std::string::npos)
			<< e.what();
	}
}

} /* namespace */
} /* namespace plinth::test */

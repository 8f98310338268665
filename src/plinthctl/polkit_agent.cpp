/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "polkit_agent.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>

namespace plinth {

namespace {

constexpr const char *kAgent = "/usr/bin/pkttyagent";

} /* namespace */

PolkitAgent::PolkitAgent()
{
	if (access(kAgent, X_OK) != 0)
		return;

	/* The agent closes its end of the pipe once it is registered with polkit. */
	int notify[2];
	if (pipe2(notify, O_CLOEXEC) != 0)
		return;

	pid_ = fork();
	if (pid_ == 0) {
		const int fd = dup(notify[1]);
		const std::string fdText = std::to_string(fd);
		execl(kAgent, kAgent, "--notify-fd", fdText.c_str(), "--fallback", nullptr);
		_exit(127);
	}
	close(notify[1]);
	if (pid_ > 0) {
		char byte;
		while (read(notify[0], &byte, 1) > 0) {
		}
	}
	close(notify[0]);
}

PolkitAgent::~PolkitAgent()
{
	if (pid_ <= 0)
		return;
	kill(pid_, SIGTERM);
	waitpid(pid_, nullptr, 0);
}

} /* namespace plinth */

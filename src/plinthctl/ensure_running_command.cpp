/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>
#include <string>
#include <tuple>
#include <vector>

#include "commands.h"
#include "exit_code.h"
#include "progress_line.h"

namespace plinth {

namespace {

/* As a shell reports it: the command's exit status, or 128 + the signal that ended it. */
int runCommand(const std::vector<std::string> &command)
{
	std::vector<char *> argv;
	for (const std::string &word : command)
		argv.push_back(const_cast<char *>(word.c_str()));
	argv.push_back(nullptr);

	/* The terminal's Ctrl-C is the command's to handle, as system(3) lets it be. */
	struct sigaction ignore = {}, oldInt = {}, oldQuit = {};
	ignore.sa_handler = SIG_IGN;
	sigaction(SIGINT, &ignore, &oldInt);
	sigaction(SIGQUIT, &ignore, &oldQuit);

	const pid_t child = fork();
	if (child == 0) {
		sigaction(SIGINT, &oldInt, nullptr);
		sigaction(SIGQUIT, &oldQuit, nullptr);
		execvp(argv[0], argv.data());
		const int error = errno;
		std::cerr << "plinthctl: cannot run " << command.front() << ": "
			  << std::strerror(error) << "\n";
		_exit(error == ENOENT ? 127 : 126);
	}

	int status = 0;
	int result = ExitFailure;
	if (child < 0) {
		std::cerr << "plinthctl: cannot start " << command.front() << ": "
			  << std::strerror(errno) << "\n";
	} else {
		while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
		}
		result = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	}
	sigaction(SIGINT, &oldInt, nullptr);
	sigaction(SIGQUIT, &oldQuit, nullptr);
	return result;
}

} /* namespace */

/*
 * The shell's form of the reference's ensure_running() context manager: the lease is held
 * while the command runs, and ends with plinthctl, however it ends.
 */
int runEnsureRunning(CommandContext &context)
{
	const std::vector<std::string> &arguments = context.invocation.arguments;
	const std::string &unit = arguments.front();
	sdbus::UnixFd lease;
	{
		ProgressLine progress("ensure-running " + unit + "...", context.interactive);
		std::tie(std::ignore, lease) = context.service.EnsureUnitRunning(unit);
	}
	return runCommand({arguments.begin() + 1, arguments.end()});
}

} /* namespace plinth */

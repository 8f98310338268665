/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "child_process.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <system_error>

extern char **environ;

namespace plinth::bench {

ChildProcess::ChildProcess(const std::vector<std::string> &args, const std::string &outputFile,
			   const std::vector<std::string> &extraEnvironment)
{
	std::vector<char *> argv;
	for (const std::string &arg : args)
		argv.push_back(const_cast<char *>(arg.c_str()));
	argv.push_back(nullptr);

	std::vector<char *> envp;
	for (char **entry = environ; *entry; entry++)
		envp.push_back(*entry);
	for (const std::string &entry : extraEnvironment)
		envp.push_back(const_cast<char *>(entry.c_str()));
	envp.push_back(nullptr);

	posix_spawn_file_actions_t actions;
	posix_spawn_file_actions_init(&actions);
	posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, outputFile.c_str(),
					 O_WRONLY | O_CREAT | O_APPEND, 0644);
	posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
	const int error = posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), envp.data());
	posix_spawn_file_actions_destroy(&actions);
	if (error)
		throw std::system_error(error, std::generic_category(), "spawn " + args[0]);
}

ChildProcess::~ChildProcess()
{
	if (pid_ > 0) {
		kill(pid_, SIGKILL);
		wait();
	}
}

int ChildProcess::terminate()
{
	kill(pid_, SIGTERM);
	return wait();
}

int ChildProcess::wait()
{
	int status;
	while (waitpid(pid_, &status, 0) < 0)
		if (errno != EINTR)
			throw std::system_error(errno, std::generic_category(), "waitpid");
	pid_ = -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int runQuietly(const std::vector<std::string> &args,
	       const std::vector<std::string> &extraEnvironment)
{
	return ChildProcess(args, "/dev/null", extraEnvironment).wait();
}

double cpuMilliseconds(pid_t pid)
{
	std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
	std::string line;
	std::getline(stat, line);
	/* The fields after the command, which may hold spaces, start past its ')'. */
	std::istringstream fields(line.substr(line.rfind(')') + 2));
	std::string field;
	for (int i = 3; i < 14; i++)
		fields >> field;
	long user, system;
	if (!(fields >> user >> system))
		throw std::runtime_error("no CPU times for process " + std::to_string(pid));
	return static_cast<double>(user + system) * 1000.0 /
	       static_cast<double>(sysconf(_SC_CLK_TCK));
}

long residentKiB(pid_t pid)
{
	std::ifstream status("/proc/" + std::to_string(pid) + "/status");
	std::string key;
	while (status >> key) {
		if (key == "VmRSS:") {
			long kib;
			status >> kib;
			return kib;
		}
		status.ignore(4096, '\n');
	}
	throw std::runtime_error("no VmRSS for process " + std::to_string(pid));
}

} /* namespace plinth::bench */

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "systemd_sandbox.h"

#include <fcntl.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string_view>
#include <system_error>

extern char **environ;

namespace plinth::test {

namespace {

struct CommandResult {
	int status;
	std::string output;
};

enum class Capture {
	Stdout,
	StdoutAndStderr,
};

/* Runs argv to completion; a command that cannot run or dies of a signal throws. */
CommandResult runCommand(const std::vector<std::string> &args, Capture capture)
{
	std::array<int, 2> pipeFds;
	if (pipe2(pipeFds.data(), O_CLOEXEC) < 0)
		throw std::system_error(errno, std::generic_category(), "pipe2");

	posix_spawn_file_actions_t actions;
	posix_spawn_file_actions_init(&actions);
	posix_spawn_file_actions_adddup2(&actions, pipeFds[1], STDOUT_FILENO);
	if (capture == Capture::StdoutAndStderr)
		posix_spawn_file_actions_adddup2(&actions, pipeFds[1], STDERR_FILENO);

	std::vector<char *> argv;
	for (const std::string &arg : args)
		argv.push_back(const_cast<char *>(arg.c_str()));
	argv.push_back(nullptr);

	pid_t pid;
	const int error = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
	posix_spawn_file_actions_destroy(&actions);
	close(pipeFds[1]);
	if (error) {
		close(pipeFds[0]);
		throw std::system_error(error, std::generic_category(), "spawn " + args[0]);
	}

	CommandResult result{};
	std::array<char, 4096> buffer;
	ssize_t length;
	while ((length = read(pipeFds[0], buffer.data(), buffer.size())) != 0) {
		if (length < 0 && errno == EINTR)
			continue;
		if (length < 0)
			break;
		result.output.append(buffer.data(), static_cast<size_t>(length));
	}
	close(pipeFds[0]);

	int waitStatus;
	while (waitpid(pid, &waitStatus, 0) < 0)
		if (errno != EINTR)
			throw std::system_error(errno, std::generic_category(), "waitpid");
	if (!WIFEXITED(waitStatus))
		throw std::runtime_error(args[0] + " died of signal " +
					 std::to_string(WTERMSIG(waitStatus)));
	result.status = WEXITSTATUS(waitStatus);
	return result;
}

std::string trimmed(const std::string &text)
{
	const size_t first = text.find_first_not_of(" \t\n");
	if (first == std::string::npos)
		return {};
	return text.substr(first, text.find_last_not_of(" \t\n") - first + 1);
}

/* Runs the sandbox script; a failure throws with everything it printed. */
void runSandboxScript(const std::vector<std::string> &args)
{
	std::vector<std::string> command{PLINTH_SYSTEMD_SANDBOX};
	command.insert(command.end(), args.begin(), args.end());
	const CommandResult result = runCommand(command, Capture::StdoutAndStderr);
	if (result.status != 0)
		throw std::runtime_error("systemd-sandbox " + args.front() + " failed (" +
					 std::to_string(result.status) + "): " + result.output);
}

std::vector<std::string> systemctlCommand(const std::string &dir,
					  const std::vector<std::string> &args)
{
	std::vector<std::string> command{PLINTH_SYSTEMD_SANDBOX, "run", dir, "/usr/bin/systemctl",
					 "--user"};
	command.insert(command.end(), args.begin(), args.end());
	return command;
}

/* Stops what runs in dir and removes it; a failure is the test's failure, not an exception. */
void stopAndRemove(const std::string &dir)
{
	try {
		runSandboxScript({"stop", dir});
	} catch (const std::exception &e) {
		ADD_FAILURE() << e.what();
	}
	std::error_code ec;
	std::filesystem::remove_all(dir, ec);
}

std::string envValue(const std::string &dir, const std::string &key)
{
	std::ifstream env(dir + "/env");
	std::string line;
	while (std::getline(env, line))
		if (line.starts_with(key + "="))
			return line.substr(key.size() + 1);
	throw std::runtime_error(dir + "/env lacks " + key);
}

} /* namespace */

bool skipsAreFailures()
{
	const char *ci = getenv("CI");
	return ci && std::string_view(ci) == "true";
}

std::string SystemdSandbox::unavailableReason()
{
	static const std::string reason = [] {
		const CommandResult check =
			runCommand({PLINTH_SYSTEMD_SANDBOX, "check"}, Capture::StdoutAndStderr);
		if (check.status == 0)
			return std::string();
		const std::string said = trimmed(check.output);
		return said.empty() ? "systemd-sandbox check failed" : said;
	}();
	return reason;
}

SystemdSandbox::SystemdSandbox(const std::vector<std::string> &unitFiles)
{
	/* Under /tmp, because the bus socket's path must stay short. */
	std::string pattern = "/tmp/plinth-sandbox-XXXXXX";
	if (!mkdtemp(pattern.data()))
		throw std::system_error(errno, std::generic_category(), "mkdtemp " + pattern);
	dir_ = pattern;

	std::vector<std::string> args{"start", dir_};
	for (const std::string &unit : unitFiles)
		args.push_back(unit.starts_with('/')
				       ? unit
				       : std::string(PLINTH_TEST_UNITS_DIR) + "/" + unit);
	try {
		runSandboxScript(args);
		busAddress_ = envValue(dir_, "DBUS_SESSION_BUS_ADDRESS");
	} catch (...) {
		stopAndRemove(dir_);
		throw;
	}
}

SystemdSandbox::~SystemdSandbox()
{
	stopAndRemove(dir_);
}

std::vector<std::string> SystemdSandbox::environment() const
{
	std::vector<std::string> environment;
	for (const char *key : {"XDG_RUNTIME_DIR", "HOME", "DBUS_SESSION_BUS_ADDRESS"})
		environment.push_back(std::string(key) + "=" + envValue(dir_, key));
	return environment;
}

std::string SystemdSandbox::systemctl(const std::vector<std::string> &args) const
{
	return trimmed(runCommand(systemctlCommand(dir_, args), Capture::Stdout).output);
}

int SystemdSandbox::systemctlStatus(const std::vector<std::string> &args) const
{
	return runCommand(systemctlCommand(dir_, args), Capture::Stdout).status;
}

void SystemdSandbox::killManager()
{
	runSandboxScript({"kill-manager", dir_});
}

void SystemdSandbox::startManager()
{
	runSandboxScript({"start-manager", dir_});
}

} /* namespace plinth::test */

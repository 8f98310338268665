/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace plinth::bench {

/*
 * A program the bench starts: the bus daemon, the service, or one systemctl of the reference
 * way. Its output goes to a file; the environment is the bench's plus extra.
 */
class ChildProcess
{
public:
	ChildProcess(const std::vector<std::string> &args, const std::string &outputFile,
		     const std::vector<std::string> &extraEnvironment = {});
	/* Kills what still runs, so no process outlives a bench that threw. */
	~ChildProcess();
	ChildProcess(const ChildProcess &) = delete;
	ChildProcess &operator=(const ChildProcess &) = delete;

	pid_t pid() const { return pid_; }
	/* Sends SIGTERM and returns the exit status; -1 when a signal ended it. */
	int terminate();
	/* Waits for the exit and returns its status as above. */
	int wait();

private:
	pid_t pid_ = -1;
};

/* Runs args to completion with its output discarded; returns its exit status. */
int runQuietly(const std::vector<std::string> &args,
	       const std::vector<std::string> &extraEnvironment = {});

/* The CPU time the process used so far, user and system, in milliseconds. */
double cpuMilliseconds(pid_t pid);

/* The process's resident set (VmRSS) in KiB. */
long residentKiB(pid_t pid);

} /* namespace plinth::bench */

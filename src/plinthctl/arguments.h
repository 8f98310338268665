/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace plinth {

/* Where the service is reached, like systemctl's --system, --user, -H. */
struct BusTarget {
	enum class Type {
		System,
		Session,
		Address,
		/* [USER@]HOST: the system bus of another machine over ssh. */
		Host,
	};
	Type type = Type::System;
	/* The address or the host; empty for System and Session. */
	std::string where;
};

struct Invocation {
	BusTarget bus;
	bool json = false;
	bool askPassword = true;
	/* diagnose --all */
	bool all = false;
	/* logs -n N (0: the service's default), -f, --since WHEN */
	std::uint32_t lines = 0;
	bool follow = false;
	std::string since;
	bool help = false;
	bool version = false;
	std::string command;
	std::vector<std::string> arguments;
};

/* A command line plinthctl cannot run; the process exits with status 2. */
class UsageError : public std::runtime_error
{
public:
	using std::runtime_error::runtime_error;
};

/*
 * Options may come before or after the command, as systemctl allows; "--" ends them. Without
 * a command, plinthctl lists the apps. Throws UsageError.
 */
Invocation parseArguments(const std::vector<std::string> &argv);

/* The --help text. */
std::string usage();

/*
 * Whether a name given to is-enabled / is-running is a unit: app ids never contain a dot or an
 * '@'. A bare unit name such as "ssh" is taken as the app of that id; write "ssh.service".
 */
bool namesUnit(const std::string &name);

} /* namespace plinth */

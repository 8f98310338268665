/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <span>
#include <string_view>

namespace plinth {

/* No upper bound on a command's arguments. */
constexpr int kAnyNumber = -1;

struct CommandSpec {
	std::string_view name;
	/* As --help shows it, such as "APP..." */
	std::string_view arguments;
	std::string_view summary;
	int minArguments;
	int maxArguments;
	/* For the shell completion only: not in --help. */
	bool hidden = false;
};

/* Every command plinthctl knows, in the order --help lists them. */
std::span<const CommandSpec> commandSpecs();

/* nullptr when there is no such command. */
const CommandSpec *findCommand(std::string_view name);

} /* namespace plinth */

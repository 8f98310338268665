/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <sys/types.h>

namespace plinth {

/*
 * pkttyagent for the time plinthctl runs, as systemctl starts it: without an agent, polkit has
 * no one to ask for the password a call allowed to be interactive needs. Nothing happens where
 * pkttyagent is not installed.
 */
class PolkitAgent
{
public:
	PolkitAgent();
	~PolkitAgent();

	PolkitAgent(const PolkitAgent &) = delete;
	PolkitAgent &operator=(const PolkitAgent &) = delete;

private:
	pid_t pid_ = -1;
};

} /* namespace plinth */

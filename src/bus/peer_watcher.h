/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <functional>
#include <string>

#include <sdbus-c++/sdbus-c++.h>

#include "signal_gate.h"

namespace plinth {

/*
 * Tells when a client leaves the bus, from one match on the bus daemon's NameOwnerChanged
 * for names losing their owner (through the signal gate: a peer could otherwise end another
 * client's leases with a NameOwnerChanged of its own), so that what a client holds ends with it:
 * its leases, its polkit checks in flight. One match for the service's lifetime: a match per client
 * would cost a blocking AddMatch round trip on the event loop for each.
 */
class PeerWatcher
{
public:
	using Handler = std::function<void(const std::string &uniqueName)>;

	/* handler runs on the connection's dispatching thread for every unique name that goes. */
	PeerWatcher(SignalGate &signals, Handler handler);

private:
	Handler handler_;
	sdbus::Slot match_;
};

} /* namespace plinth */

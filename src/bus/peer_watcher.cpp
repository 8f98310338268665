/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "peer_watcher.h"

#include <utility>

namespace plinth {

namespace {

/* arg2 is the new owner: empty when the name has none any more. */
const std::string kNameLost = "path='/org/freedesktop/DBus',interface='org.freedesktop.DBus',"
			      "member='NameOwnerChanged',arg2=''";

} /* namespace */

PeerWatcher::PeerWatcher(SignalGate &signals, Handler handler)
	: handler_(std::move(handler)),
	  match_(signals.fromBusDriver(kNameLost, [this](sdbus::Message &m) {
		  const NameOwnerChange change = readNameOwnerChanged(m);
		  /* A unique name is its own owner; well-known names are not clients. */
		  if (change.name.starts_with(':') && change.newOwner.empty())
			  handler_(change.name);
	  }))
{
}

} /* namespace plinth */

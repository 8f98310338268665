/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "peer_watcher.h"

#include <utility>

namespace plinth {

namespace {

/* arg2 is the new owner: empty when the name has none any more. */
const std::string kNameLost = "type='signal',sender='org.freedesktop.DBus',"
			      "path='/org/freedesktop/DBus',interface='org.freedesktop.DBus',"
			      "member='NameOwnerChanged',arg2=''";

} /* namespace */

PeerWatcher::PeerWatcher(sdbus::IConnection &bus, Handler handler)
	: handler_(std::move(handler)), match_(bus.addMatch(kNameLost, [this](sdbus::Message &m) {
		  std::string name, oldOwner, newOwner;
		  m >> name >> oldOwner >> newOwner;
		  /* A unique name is its own owner; well-known names are not clients. */
		  if (name.starts_with(':') && newOwner.empty())
			  handler_(name);
	  }))
{
}

} /* namespace plinth */

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "caller.h"

#include <sdbus-c++/IObject.h>
#include <sdbus-c++/Message.h>

#include "raw_message.h"

namespace plinth {

Caller callerOf(const sdbus::Message &msg)
{
	return {msg.getSender(),
		sd_bus_message_get_allow_interactive_authorization(RawMessage::of(msg)) > 0};
}

Caller currentCaller(sdbus::IObject &object)
{
	return callerOf(*object.getCurrentlyProcessedMessage());
}

} /* namespace plinth */

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "authority.h"

namespace sdbus {
class IObject;
class Message;
} /* namespace sdbus */

namespace plinth {

/* Who sent msg, taken from the message itself so nothing needs asking later. */
Caller callerOf(const sdbus::Message &msg);

/* Who sent the method call object is handling now. */
Caller currentCaller(sdbus::IObject &object);

} /* namespace plinth */

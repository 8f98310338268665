/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "authority.h"

namespace sdbus {
class Message;
}

namespace plinth {

/* Who sent msg, taken from the message itself so nothing needs asking later. */
Caller callerOf(const sdbus::Message &msg);

} /* namespace plinth */

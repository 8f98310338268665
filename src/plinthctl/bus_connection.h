/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <memory>

#include <sdbus-c++/IConnection.h>

#include "arguments.h"

namespace plinth {

/* Opens the bus the service is on; throws sdbus::Error with sd-bus's reason when it cannot. */
std::unique_ptr<sdbus::IConnection> connectTo(const BusTarget &target);

} /* namespace plinth */

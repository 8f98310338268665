/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <sdbus-c++/Message.h>
#include <systemd/sd-bus.h>

namespace plinth {

/*
 * sdbus-c++ 1.2 does not expose a message's ALLOW_INTERACTIVE_AUTHORIZATION flag, neither to
 * read on a call received nor to set on a call sent. The underlying sd_bus_message is a
 * protected member; a member pointer formed in a derived class is the standard-conforming way
 * to reach it without modifying the library.
 */
struct RawMessage : sdbus::Message {
	static sd_bus_message *of(const sdbus::Message &msg)
	{
		constexpr void *sdbus::Message::*raw = &RawMessage::msg_;
		return static_cast<sd_bus_message *>(msg.*raw);
	}
};

} /* namespace plinth */

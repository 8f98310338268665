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

/* The library's handle of the connection a message belongs to, which it lends to another. */
struct RawHandle : sdbus::Message {
	static sdbus::internal::ISdBus *of(const sdbus::Message &msg)
	{
		constexpr sdbus::internal::ISdBus *sdbus::Message::*handle = &RawHandle::sdbus_;
		return msg.*handle;
	}
};

/*
 * A call sd-bus handed to a raw callback (sd_bus_add_object(), which sdbus-c++ 1.2 does not
 * offer), as sdbus-c++'s MethodCall, so that its reply is written and sent with sdbus-c++.
 * sameBus is any message of the same connection: it lends the library's handle of it.
 */
struct RawMethodCall : sdbus::MethodCall {
	RawMethodCall(sd_bus_message *call, const sdbus::Message &sameBus)
		: sdbus::MethodCall(call, RawHandle::of(sameBus))
	{
	}
};

/*
 * A message built with sd-bus itself (sdbus-c++ 1.2 builds no signal without an object on a
 * connection), as sdbus-c++'s Message, holding a reference of its own; for tests that feed
 * signals to their handlers without a bus.
 */
struct RawBuiltMessage : sdbus::Message {
	RawBuiltMessage(sd_bus_message *message, const sdbus::Message &sameBus)
		: sdbus::Message(message, RawHandle::of(sameBus))
	{
	}
};

} /* namespace plinth */

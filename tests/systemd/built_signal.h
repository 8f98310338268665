/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <cstdlib>
#include <memory>
#include <string>

#include <sdbus-c++/sdbus-c++.h>
#include <systemd/sd-bus.h>

#include "raw_message.h"

/*
 * Exported by libsdbus-c++ 1.2 but not declared in its headers: a message on the library's
 * connectionless bus, which its Variant API builds values in.
 */
namespace sdbus {
PlainMessage createPlainMessage();
} /* namespace sdbus */

namespace plinth::test {

/*
 * A signal as a peer could send it, built without a bus: new() gives the sd-bus message to
 * append a body to, done() seals it and wraps it for the readers. Returns nothing where sd-bus
 * refused the sender, the destination or the body.
 */
class BuiltSignal
{
public:
	BuiltSignal(const char *path, const char *interface, const char *member)
	{
		if (sd_bus_message_new_signal(sd_bus_message_get_bus(RawMessage::of(sameBus())),
					      &raw_, path, interface, member) < 0)
			std::abort();
	}
	~BuiltSignal() { sd_bus_message_unref(raw_); }
	BuiltSignal(const BuiltSignal &) = delete;
	BuiltSignal &operator=(const BuiltSignal &) = delete;

	sd_bus_message *raw() { return raw_; }

	std::unique_ptr<RawBuiltMessage> done(const std::string &sender,
					      const std::string &destination)
	{
		if ((!sender.empty() && sd_bus_message_set_sender(raw_, sender.c_str()) < 0) ||
		    (!destination.empty() &&
		     sd_bus_message_set_destination(raw_, destination.c_str()) < 0) ||
		    sd_bus_message_seal(raw_, 1, 0) < 0)
			return nullptr;
		return std::make_unique<RawBuiltMessage>(raw_, sameBus());
	}

private:
	static const sdbus::Message &sameBus()
	{
		static const sdbus::PlainMessage plain = sdbus::createPlainMessage();
		return plain;
	}

	sd_bus_message *raw_ = nullptr;
};

} /* namespace plinth::test */

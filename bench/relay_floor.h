/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <atomic>
#include <cstddef>
#include <string>
#include <thread>
#include <vector>

#include <systemd/sd-bus.h>

namespace plinth::bench {

/*
 * A trivial server on another thread, on the same bus as the service: what relaying a reply
 * costs through that bus daemon when the server does next to nothing. At kPath, interface
 * kInterface:
 *  - Blob(u size) → ay: that many bytes, one memcpy to build, trivial for the bus daemon
 *    to check;
 *  - Replay() → the body of the reply given to keep(), copied by sd-bus: the same bytes and
 *    the same signature as the service's answer, so the bus daemon checks the same
 *    structure; sd-bus's generic copy walks every value to build it.
 */
class RelayFloor
{
public:
	static constexpr const char *kPath = "/bench/floor";
	static constexpr const char *kInterface = "org.freedesktop.Plinth.Bench.Floor";

	explicit RelayFloor(const std::string &busAddress);
	~RelayFloor();
	RelayFloor(const RelayFloor &) = delete;
	RelayFloor &operator=(const RelayFloor &) = delete;

	/* The server's unique name, to call it by. */
	const std::string &name() const { return name_; }

	/*
	 * Calls method (no arguments) of interface on path of destination from the floor's own
	 * connection and keeps the reply for Replay. Call before serve().
	 */
	void keep(const std::string &destination, const std::string &path,
		  const std::string &interface, const std::string &method);

	/* The size of the kept reply's body on the wire, in bytes. */
	std::size_t keptBodyBytes() const;

	/*
	 * Milliseconds sd-bus takes to marshal the kept reply's values into a new message and
	 * seal it, the values read out beforehand: the least any sd-bus server pays a call to
	 * build this reply. The median of runs. Call before serve().
	 */
	double marshalMilliseconds(int runs) const;

	/* Starts answering on the floor's thread. */
	void serve();

private:
	static int blob(sd_bus_message *call, void *userdata, sd_bus_error *error);
	static int replay(sd_bus_message *call, void *userdata, sd_bus_error *error);

	sd_bus *bus_ = nullptr;
	sd_bus_slot *slot_ = nullptr;
	sd_bus_message *kept_ = nullptr;
	std::string replaySignature_;
	std::vector<sd_bus_vtable> vtable_;
	std::string name_;
	std::atomic<bool> stop_{false};
	std::thread thread_;
};

} /* namespace plinth::bench */

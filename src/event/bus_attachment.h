/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <functional>
#include <memory>

#include <systemd/sd-event.h>

#include "event_source.h"

namespace sdbus {
class IConnection;
}

namespace plinth {

/*
 * One sdbus-c++ 1.2 connection dispatched by an sd-event loop through its poll data, as
 * sdbus-c++ 1.3+ does itself: an io source on the bus fd and a time source for sd-bus's own
 * timeouts (zero while messages wait in its queue), both brought up to date from the poll
 * data before every wait of the loop, so after every processPendingRequest().
 */
class BusAttachment
{
public:
	/* onBroken runs when the connection fails; it may destroy the attachment. */
	BusAttachment(sd_event *event, sdbus::IConnection &connection,
		      std::function<void(const char *why)> onBroken);
	~BusAttachment();
	BusAttachment(const BusAttachment &) = delete;
	BusAttachment &operator=(const BusAttachment &) = delete;

	sdbus::IConnection &connection() const { return connection_; }

private:
	static int prepare(sd_event_source *source, void *userdata);
	static int onReadable(sd_event_source *source, int fd, uint32_t revents, void *userdata);
	static int onTimeout(sd_event_source *source, uint64_t usec, void *userdata);

	void updateFromPollData();
	void processPending();
	void broken(const char *why);

	sdbus::IConnection &connection_;
	std::function<void(const char *why)> onBroken_;
	/* Cleared when the attachment goes, which a message handler may cause. */
	std::shared_ptr<bool> attached_ = std::make_shared<bool>(true);
	EventSource io_;
	EventSource timeout_;
};

} /* namespace plinth */

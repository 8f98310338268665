/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "bus_attachment.h"

#include <spdlog/spdlog.h>
#include <time.h>

#include <cstdint>
#include <utility>

#include <sdbus-c++/sdbus-c++.h>

namespace plinth {

BusAttachment::BusAttachment(sd_event *event, sdbus::IConnection &connection,
			     std::function<void(const char *why)> onBroken)
	: connection_(connection), onBroken_(std::move(onBroken))
{
	const sdbus::IConnection::PollData data = connection_.getEventLoopPollData();

	sd_event_source *io = nullptr;
	checkEventCall(sd_event_add_io(event, &io, data.fd, data.events, onReadable, this),
		       "watch a D-Bus connection");
	io_.reset(io);
	checkEventCall(sd_event_source_set_prepare(io, prepare),
		       "prepare a D-Bus connection's source");

	/* Accuracy 1 µs: sd-bus's timeouts are already deadlines; 0 would mean 250 ms. */
	sd_event_source *timeout = nullptr;
	checkEventCall(sd_event_add_time(event, &timeout, CLOCK_MONOTONIC, 0, 1, onTimeout, this),
		       "time a D-Bus connection");
	timeout_.reset(timeout);
	checkEventCall(sd_event_source_set_enabled(timeout, SD_EVENT_OFF),
		       "time a D-Bus connection");

	/*
	 * The messages that came first, then timers and posted work: calls that arrive together
	 * are all read before the work they ask for starts, so they can share it.
	 */
	checkEventCall(sd_event_source_set_priority(io, SD_EVENT_PRIORITY_IMPORTANT),
		       "order a D-Bus connection's sources");
	checkEventCall(sd_event_source_set_priority(timeout, SD_EVENT_PRIORITY_IMPORTANT),
		       "order a D-Bus connection's sources");
}

BusAttachment::~BusAttachment()
{
	*attached_ = false;
}

int BusAttachment::prepare(sd_event_source *, void *userdata)
{
	auto *self = static_cast<BusAttachment *>(userdata);
	runGuarded("D-Bus connection's poll update", [self] { self->updateFromPollData(); });
	return 0;
}

int BusAttachment::onReadable(sd_event_source *, int, uint32_t, void *userdata)
{
	static_cast<BusAttachment *>(userdata)->processPending();
	return 0;
}

int BusAttachment::onTimeout(sd_event_source *, uint64_t, void *userdata)
{
	static_cast<BusAttachment *>(userdata)->processPending();
	return 0;
}

void BusAttachment::updateFromPollData()
{
	sdbus::IConnection::PollData data;
	try {
		data = connection_.getEventLoopPollData();
	} catch (const sdbus::Error &e) {
		broken(e.what());
		return;
	}

	checkEventCall(sd_event_source_set_io_events(io_.get(), static_cast<uint16_t>(data.events)),
		       "watch a D-Bus connection");
	if (data.timeout_usec == UINT64_MAX) {
		checkEventCall(sd_event_source_set_enabled(timeout_.get(), SD_EVENT_OFF),
			       "time a D-Bus connection");
		return;
	}
	checkEventCall(sd_event_source_set_time(timeout_.get(), data.timeout_usec),
		       "time a D-Bus connection");
	checkEventCall(sd_event_source_set_enabled(timeout_.get(), SD_EVENT_ONESHOT),
		       "time a D-Bus connection");
}

void BusAttachment::processPending()
{
	const std::shared_ptr<bool> attached = attached_;
	try {
		while (*attached && connection_.processPendingRequest()) {
		}
	} catch (const sdbus::Error &e) {
		if (*attached)
			broken(e.what());
	} catch (const std::exception &e) {
		/* A message handler failed; the connection itself is fine. */
		spdlog::error("a D-Bus message handler failed: {}", e.what());
	} catch (...) {
		spdlog::error("a D-Bus message handler failed with an exception of unknown type");
	}
}

void BusAttachment::broken(const char *why)
{
	/* The handler may destroy this attachment, and with it onBroken_. */
	const std::function<void(const char *)> onBroken = onBroken_;
	onBroken(why);
}

} /* namespace plinth */

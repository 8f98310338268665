/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <spdlog/spdlog.h>

#include <memory>
#include <system_error>

#include <systemd/sd-event.h>

namespace plinth {

struct EventSourceRelease {
	void operator()(sd_event_source *source) const { sd_event_source_disable_unref(source); }
};

/* Disabled as it goes: a source whose handler's data is gone must never fire again. */
using EventSource = std::unique_ptr<sd_event_source, EventSourceRelease>;

/* Throws std::system_error for a failed sd-event call (a negative errno). */
inline void checkEventCall(int result, const char *what)
{
	if (result < 0)
		throw std::system_error(-result, std::system_category(), what);
}

/*
 * Runs one handler of the loop. A failing handler must not take the loop, and with it every
 * other caller, down: its exception is logged and the loop goes on with the rest. Nothing
 * may leave an sd-event callback as an exception anyway: it would unwind through C.
 */
template<typename Fn>
void runGuarded(const char *what, Fn &&fn) noexcept
{
	try {
		fn();
	} catch (const std::exception &e) {
		spdlog::error("a {} failed: {}", what, e.what());
	} catch (...) {
		spdlog::error("a {} failed with an exception of unknown type", what);
	}
}

} /* namespace plinth */

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "progress_line.h"

#include <array>
#include <chrono>
#include <cstdio>

namespace plinth {

ProgressLine::ProgressLine(std::string text, bool shown) : text_(std::move(text))
{
	if (shown)
		thread_ = std::jthread([this](std::stop_token stop) { spin(stop); });
}

ProgressLine::~ProgressLine()
{
	if (!thread_.joinable())
		return;
	thread_.request_stop();
	thread_.join();
	std::fputs("\r\033[K", stderr);
	std::fflush(stderr);
}

void ProgressLine::spin(std::stop_token stop)
{
	constexpr std::array<char, 4> kFrames = {'|', '/', '-', '\\'};
	/* Quick calls finish before anything shows, so they never flicker. */
	constexpr auto kDelay = std::chrono::milliseconds(300);
	constexpr auto kFrameTime = std::chrono::milliseconds(120);

	std::unique_lock lock(mutex_);
	wake_.wait_for(lock, stop, kDelay, [] { return false; });
	for (std::size_t frame = 0; !stop.stop_requested(); frame++) {
		std::fprintf(stderr, "\r%c %s", kFrames[frame % kFrames.size()], text_.c_str());
		std::fflush(stderr);
		wake_.wait_for(lock, stop, kFrameTime, [] { return false; });
	}
}

} /* namespace plinth */

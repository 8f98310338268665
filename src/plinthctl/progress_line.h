/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

namespace plinth {

/*
 * A spinner with a line of text on stderr while a long call runs, for a person at a terminal;
 * nothing at all otherwise. The line is erased when the object goes.
 */
class ProgressLine
{
public:
	ProgressLine(std::string text, bool shown);
	~ProgressLine();

	ProgressLine(const ProgressLine &) = delete;
	ProgressLine &operator=(const ProgressLine &) = delete;

private:
	void spin(std::stop_token stop);

	std::string text_;
	std::mutex mutex_;
	std::condition_variable_any wake_;
	std::jthread thread_;
};

} /* namespace plinth */

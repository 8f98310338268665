/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "logging.h"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/sinks/systemd_sink.h>
#include <spdlog/spdlog.h>

#include <cstdlib>
#include <memory>

namespace plinth {

/* Thread-safe sinks: the diagnosis workers log too. */
void setUpLogging(spdlog::level::level_enum level)
{
	std::shared_ptr<spdlog::logger> logger;
	if (std::getenv("JOURNAL_STREAM")) {
		logger = std::make_shared<spdlog::logger>(
			"plinth-daemons", std::make_shared<spdlog::sinks::systemd_sink_mt>());
		/* The journal records the time and the process itself. */
		logger->set_pattern("%v");
	} else {
		logger = spdlog::stderr_color_mt("plinth-daemons");
		logger->set_pattern("%Y-%m-%d %H:%M:%S.%e %^%l%$: %v");
	}
	logger->set_level(level);
	spdlog::set_default_logger(std::move(logger));
}

} /* namespace plinth */

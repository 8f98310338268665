/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <filesystem>
#include <stdexcept>

#include "load_error.h"
#include "settings.h"

namespace plinth {

class ConfigFileError : public std::runtime_error
{
public:
	explicit ConfigFileError(const LoadError &error)
		: std::runtime_error(error.toString()), error_(error)
	{
	}

	const LoadError &error() const { return error_; }

private:
	LoadError error_;
};

/*
 * Reads the service's configuration file, as strictly as app definitions: an unknown key,
 * a wrong type or a bad value is a ConfigFileError pointing at it. Keys: bus, systemd-bus,
 * apps-dirs, state-dir, authorization, log-level, job-timeout-seconds, locale, and the table
 * [health] with interval and settle-delay, in seconds.
 */
Settings readConfigFile(const std::filesystem::path &file);

} /* namespace plinth */

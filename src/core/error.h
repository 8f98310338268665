/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <exception>
#include <stdexcept>
#include <string>
#include <string_view>

namespace plinth {

/*
 * Every failure a caller can act on. The bus adaptor maps each code to the D-Bus error
 * org.freedesktop.Plinth.Daemons.Error.<name> at one place; nothing else knows those names.
 */
enum class ErrorCode {
	NoSuchApp,
	NotManaged,
	InvalidUnitName,
	InvalidArgument,
	NotAuthorized,
	JobFailed,
	Timeout,
	SystemdUnavailable,
	/* A per-caller limit is reached: the caller should wait for its calls in flight. */
	Busy,
	/*
	 * polkit would allow the call only after the caller authenticates, and the caller did
	 * not allow that; on the bus it is D-Bus's own InteractiveAuthorizationRequired.
	 */
	InteractiveAuthorizationRequired,
};

/* "NoSuchApp", "JobFailed", ...: the last part of the D-Bus error name. */
std::string_view errorCodeName(ErrorCode code);

/* What an exception says, for a log line. */
std::string errorText(const std::exception_ptr &error);

class Error : public std::runtime_error
{
public:
	/* message is a sentence for a person: what went wrong and what to do about it. */
	Error(ErrorCode code, const std::string &message) : std::runtime_error(message), code_(code)
	{
	}

	ErrorCode code() const { return code_; }

private:
	ErrorCode code_;
};

} /* namespace plinth */

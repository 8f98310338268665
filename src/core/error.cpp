/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "error.h"

namespace plinth {

std::string_view errorCodeName(ErrorCode code)
{
	switch (code) {
	case ErrorCode::NoSuchApp:
		return "NoSuchApp";
	case ErrorCode::NotManaged:
		return "NotManaged";
	case ErrorCode::InvalidUnitName:
		return "InvalidUnitName";
	case ErrorCode::InvalidArgument:
		return "InvalidArgument";
	case ErrorCode::NotAuthorized:
		return "NotAuthorized";
	case ErrorCode::JobFailed:
		return "JobFailed";
	case ErrorCode::Timeout:
		return "Timeout";
	case ErrorCode::SystemdUnavailable:
		return "SystemdUnavailable";
	case ErrorCode::Busy:
		return "Busy";
	case ErrorCode::InteractiveAuthorizationRequired:
		return "InteractiveAuthorizationRequired";
	}
	return "Failed";
}

std::string errorText(const std::exception_ptr &error)
{
	try {
		std::rethrow_exception(error);
	} catch (const std::exception &e) {
		return e.what();
	} catch (...) {
		return "unknown error";
	}
}

} /* namespace plinth */

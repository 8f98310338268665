/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "load_error.h"

namespace plinth {

std::string LoadError::toString() const
{
	if (line == 0)
		return file + ": " + reason;
	return file + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " + reason;
}

} /* namespace plinth */

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "object_path.h"

#include <cstdlib>
#include <new>

#include <systemd/sd-bus.h>

namespace plinth {

namespace {

std::string encodedPath(std::string_view prefix, std::string_view name)
{
	const std::string prefixCopy(prefix);
	const std::string nameCopy(name);
	char *encoded = nullptr;
	if (sd_bus_path_encode(prefixCopy.c_str(), nameCopy.c_str(), &encoded) < 0)
		throw std::bad_alloc();
	std::string path(encoded);
	std::free(encoded);
	return path;
}

} /* namespace */

std::string appObjectPath(std::string_view appId)
{
	return encodedPath(std::string(kObjectManagerPath) + "/app", appId);
}

std::string unitObjectPath(std::string_view unit)
{
	return encodedPath(std::string(kObjectManagerPath) + "/unit", unit);
}

} /* namespace plinth */

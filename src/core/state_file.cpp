/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "state_file.h"

#include <spdlog/spdlog.h>

namespace plinth {

bool readStateFile(const std::filesystem::path &file, std::string_view consequence,
		   const std::function<void(const toml::table &document)> &read)
{
	std::error_code ec;
	if (!std::filesystem::exists(file, ec))
		return false;
	try {
		read(toml::parse_file(file.string()));
		return true;
	} catch (const toml::parse_error &e) {
		spdlog::error("{}:{}:{}: {}; {}", file.string(), e.source().begin.line,
			      e.source().begin.column, e.description(), consequence);
	} catch (const std::exception &e) {
		spdlog::error("{}: {}; {}", file.string(), e.what(), consequence);
	}
	return false;
}

} /* namespace plinth */

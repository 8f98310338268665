/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <string_view>

namespace plinth {

/* App and component ids: [a-z0-9][a-z0-9_-]* */
bool isValidIdentifier(std::string_view id);

} /* namespace plinth */

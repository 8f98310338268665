/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <string>
#include <string_view>

namespace plinth {

/* text as a JSON string, quotes included; UTF-8 passes through, control characters escaped. */
std::string jsonQuote(std::string_view text);

} /* namespace plinth */

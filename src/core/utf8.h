/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace plinth {

/* The length of the valid UTF-8 sequence at the start of text (1 for any ASCII byte), or 0. */
std::size_t utf8SequenceLength(std::string_view text);

/*
 * text with every byte that is not part of valid UTF-8 replaced by U+FFFD: journal fields may
 * hold any bytes, D-Bus strings must be UTF-8.
 */
std::string validUtf8(std::string_view text);

} /* namespace plinth */

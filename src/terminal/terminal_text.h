/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <string>
#include <string_view>

namespace plinth {

/*
 * Text from the journal or the service, made safe to print on a terminal as journalctl makes it:
 * a control character (C0 but tab and newline, DEL, C1) becomes "\xNN" for each of its bytes,
 * and so does every byte that is not part of valid UTF-8, so that no escape sequence a logged
 * string holds reaches the terminal. Tabs and newlines stay.
 */
std::string terminalText(std::string_view text);

/* The same for text that must stay on one line (a unit, an identifier): newlines too become \x0a.
 */
std::string terminalLine(std::string_view text);

} /* namespace plinth */

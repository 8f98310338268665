/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <locale.h>

#include <cstdlib>
#include <string>

namespace plinth::test {

/* The one complete translation; tools/install-deps generates its locale. */
inline constexpr const char *kGerman = "de_DE.UTF-8";

/*
 * Why German messages cannot be tested here: the locale is not generated, or the build tree's
 * catalogues are not where meson test points PLINTH_LOCALEDIR; empty when they can.
 */
inline std::string missingGerman()
{
	const locale_t german = newlocale(LC_MESSAGES_MASK, kGerman, nullptr);
	if (!german)
		return std::string("the locale ") + kGerman +
		       " is not generated; run tools/install-deps as root";
	freelocale(german);
	if (!std::getenv("PLINTH_LOCALEDIR"))
		return "PLINTH_LOCALEDIR is not set; run the tests with meson test";
	return {};
}

} /* namespace plinth::test */

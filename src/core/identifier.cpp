/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "identifier.h"

namespace plinth {

namespace {

bool isLowerAlnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

} /* namespace */

bool isValidIdentifier(std::string_view id)
{
	if (id.empty() || !isLowerAlnum(id.front()))
		return false;
	for (char c : id) {
		if (!isLowerAlnum(c) && c != '_' && c != '-')
			return false;
	}
	return true;
}

} /* namespace plinth */

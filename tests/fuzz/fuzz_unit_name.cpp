/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Unit-name validation, which guards every unit method and every definition: it must never
 * crash, and its answers must agree with each other whatever the bytes.
 */
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "require.h"
#include "unit_name.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
	using namespace plinth;

	const std::string_view name(reinterpret_cast<const char *>(data), size);
	const std::optional<UnitNameForm> form = unitNameForm(name);
	const bool manageable = unitNameError(name).empty();

	require(!form || name.size() <= kUnitNameMaxBytes);
	require(!form || name.find('\0') == std::string_view::npos);
	require(manageable == (form == UnitNameForm::Plain || form == UnitNameForm::Instance));

	const std::optional<std::string> service = serviceOfSocket(name);
	if (service && form)
		require(unitNameForm(*service) == form);
	return 0;
}

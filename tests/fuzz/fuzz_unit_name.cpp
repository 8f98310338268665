/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Unit names as systemctl takes them, which guard every unit method and every definition: the
 * functions must never crash, and their answers must agree with each other whatever the bytes.
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

	require(!form || name.size() <= kUnitNameMaxBytes);
	require(!form || name.find('\0') == std::string_view::npos);

	/* Mangling only ever appends ".service", once: a full name is left as it is. */
	const std::string unit = mangleUnitName(name);
	require(unit.starts_with(name));
	require(unit == name || unit == std::string(name) + ".service");
	require(mangleUnitName(unit) == unit);
	if (form)
		require(unit == name);

	/* What is accepted is exactly a plain or instance name once mangled. */
	const std::optional<UnitNameForm> mangledForm = unitNameForm(unit);
	const bool manageable = unitNameError(name).empty();
	require(manageable ==
		(mangledForm == UnitNameForm::Plain || mangledForm == UnitNameForm::Instance));
	require(unitNameError(unit).empty() == manageable);

	const std::optional<std::string> service = serviceOfSocket(name);
	if (service && form)
		require(unitNameForm(*service) == form);
	return 0;
}

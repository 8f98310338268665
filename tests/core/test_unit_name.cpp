/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <gtest/gtest.h>

#include <string>

#include "unit_name.h"

namespace plinth {
namespace {

struct NameCase {
	std::string name;
	std::optional<UnitNameForm> form;
};

class UnitNameFormTest : public testing::TestWithParam<NameCase>
{
};

TEST_P(UnitNameFormTest, ClassifiesAsSystemdDoes)
{
	EXPECT_EQ(unitNameForm(GetParam().name), GetParam().form) << GetParam().name;
}

INSTANTIATE_TEST_SUITE_P(
	Table, UnitNameFormTest,
	testing::Values(NameCase{"apache2.service", UnitNameForm::Plain},
			NameCase{"dbus.socket", UnitNameForm::Plain},
			NameCase{"multi-user.target", UnitNameForm::Plain},
			NameCase{"backup.timer", UnitNameForm::Plain},
			NameCase{"var-lib.mount", UnitNameForm::Plain},
			NameCase{"dev-sda1.device", UnitNameForm::Plain},
			NameCase{"proc-sys-fs-binfmt_misc.automount", UnitNameForm::Plain},
			NameCase{"swapfile.swap", UnitNameForm::Plain},
			NameCase{"watch.path", UnitNameForm::Plain},
			NameCase{"user.slice", UnitNameForm::Plain},
			NameCase{"session-1.scope", UnitNameForm::Plain},
			NameCase{"a:b_c.d\\x2de.service", UnitNameForm::Plain},
			NameCase{"getty@.service", UnitNameForm::Template},
			NameCase{"getty@tty1.service", UnitNameForm::Instance},
			NameCase{"openvpn@server@a.service", UnitNameForm::Instance},
			NameCase{"", std::nullopt}, NameCase{"apache2", std::nullopt},
			NameCase{".service", std::nullopt}, NameCase{"apache2.", std::nullopt},
			NameCase{"apache2.serv", std::nullopt},
			NameCase{"apache2.SERVICE", std::nullopt},
			NameCase{"@foo.service", std::nullopt}, NameCase{"@.service", std::nullopt},
			NameCase{"foo bar.service", std::nullopt},
			NameCase{"foo/bar.service", std::nullopt},
			NameCase{"foo;rm.service", std::nullopt},
			NameCase{"f\xc3\xa9.service", std::nullopt},
			NameCase{std::string(247, 'a') + ".service", UnitNameForm::Plain},
			NameCase{std::string(248, 'a') + ".service", std::nullopt}));

TEST(UnitNameError, ExplainsEachRefusal)
{
	EXPECT_EQ(unitNameError("apache2.service"), "");
	EXPECT_EQ(unitNameError("getty@tty1.service"), "");
	EXPECT_EQ(unitNameError(""), "unit name is empty");
	EXPECT_EQ(unitNameError("apache2"),
		  "'apache2' has no unit type suffix such as .service, .socket or .timer");
	EXPECT_EQ(unitNameError("getty@.service"),
		  "'getty@.service' is a template; name an instance such as 'getty@NAME.service'");
	EXPECT_EQ(unitNameError("foo bar.service"),
		  "'foo bar.service' is not a valid unit name (allowed: ASCII letters, digits, "
		  "':-_.\\' and one '@' after a non-empty prefix)");
	EXPECT_EQ(unitNameError(std::string(300, 'a') + ".service"),
		  "unit name is longer than 255 bytes");
}

TEST(ServiceOfSocket, MapsOnlySockets)
{
	EXPECT_EQ(serviceOfSocket("cockpit.socket"), "cockpit.service");
	EXPECT_EQ(serviceOfSocket("echo@1.socket"), "echo@1.service");
	EXPECT_EQ(serviceOfSocket("cockpit.service"), std::nullopt);
	EXPECT_EQ(serviceOfSocket(".socket"), std::nullopt);

	/* Found by the fuzzer: the longest socket name has no valid service name. */
	const std::string longest = std::string(kUnitNameMaxBytes - 7, 'a') + ".socket";
	ASSERT_EQ(unitNameForm(longest), UnitNameForm::Plain);
	EXPECT_EQ(serviceOfSocket(longest), std::nullopt);
	const std::string shorter = longest.substr(1);
	EXPECT_EQ(serviceOfSocket(shorter), std::string(kUnitNameMaxBytes - 8, 'a') + ".service");
}

} /* namespace */
} /* namespace plinth */

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

TEST(MangleUnitName, AppendsServiceWhereSystemctlWould)
{
	EXPECT_EQ(mangleUnitName("ssh"), "ssh.service");
	EXPECT_EQ(mangleUnitName("tor@plinth"), "tor@plinth.service");
	EXPECT_EQ(mangleUnitName("openvpn-server@freedombox"), "openvpn-server@freedombox.service");
	EXPECT_EQ(mangleUnitName("getty@"), "getty@.service");
	/* A known type after the last dot is kept; anything else after it is part of the name. */
	EXPECT_EQ(mangleUnitName("ssh.service"), "ssh.service");
	EXPECT_EQ(mangleUnitName("uwsgi-app@searx.socket"), "uwsgi-app@searx.socket");
	EXPECT_EQ(mangleUnitName("wordpress-freedombox.timer"), "wordpress-freedombox.timer");
	EXPECT_EQ(mangleUnitName("php7.4-fpm"), "php7.4-fpm.service");
	EXPECT_EQ(mangleUnitName("apache2.SERVICE"), "apache2.SERVICE.service");
	EXPECT_EQ(mangleUnitName(".service"), ".service");
	/* Never escaped, unlike systemctl: what is not valid stays so. */
	EXPECT_EQ(mangleUnitName("foo bar"), "foo bar.service");
	EXPECT_EQ(mangleUnitName("/srv/x"), "/srv/x.service");
}

TEST(UnitNameError, ExplainsEachRefusal)
{
	EXPECT_EQ(unitNameError("apache2.service"), "");
	EXPECT_EQ(unitNameError("getty@tty1.service"), "");
	EXPECT_EQ(unitNameError("apache2"), "");
	EXPECT_EQ(unitNameError("tor@plinth"), "");
	EXPECT_EQ(unitNameError(""), "unit name is empty");
	EXPECT_EQ(unitNameError("getty@.service"),
		  "'getty@.service' is a template; name an instance such as 'getty@NAME.service'");
	EXPECT_EQ(unitNameError("getty@"),
		  "'getty@' is a template; name an instance such as 'getty@NAME.service'");
	EXPECT_EQ(unitNameError("foo bar.service"),
		  "'foo bar.service' is not a valid unit name (allowed: ASCII letters, digits, "
		  "':-_.\\' and one '@' after a non-empty prefix); systemctl would escape it "
		  "into the different name 'foo\\x20bar.service': write that name if it is the "
		  "unit you mean");
	EXPECT_EQ(unitNameError("a/b"),
		  "'a/b' is not a valid unit name (allowed: ASCII letters, digits, ':-_.\\' and "
		  "one '@' after a non-empty prefix); systemctl would escape it into the "
		  "different name 'a-b.service': write that name if it is the unit you mean");
	EXPECT_EQ(unitNameError("/srv/x"),
		  "'/srv/x' is not a valid unit name (allowed: ASCII letters, digits, ':-_.\\' "
		  "and one '@' after a non-empty prefix); a path is not a unit name: name its "
		  ".mount or .device unit (systemd-escape --path --suffix=mount PATH prints it)");
	EXPECT_EQ(unitNameError("ssh*"),
		  "'ssh*' is not a valid unit name (allowed: ASCII letters, digits, ':-_.\\' and "
		  "one '@' after a non-empty prefix); patterns are not taken: name each unit");
	/* Nothing escaping could save: no hint. */
	EXPECT_EQ(unitNameError(".service"),
		  "'.service' is not a valid unit name (allowed: ASCII letters, digits, ':-_.\\' "
		  "and one '@' after a non-empty prefix)");
	EXPECT_EQ(unitNameError(std::string(300, 'a') + ".service"),
		  "unit name is longer than 255 bytes");
	EXPECT_EQ(unitNameError(std::string(247, 'a')), "");
	EXPECT_EQ(unitNameError(std::string(248, 'a')),
		  "unit name is longer than 255 bytes once .service is appended");
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

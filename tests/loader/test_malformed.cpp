/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <gtest/gtest.h>

#include <string>

#include "app_loader.h"
#include "temp_dir.h"

namespace plinth {
namespace {

struct MalformedCase {
	std::string name;
	std::string definition;
	/* The whole error, with the file path shortened to its name. */
	std::string error;
};

std::ostream &operator<<(std::ostream &os, const MalformedCase &c)
{
	return os << c.name;
}

class MalformedDefinitionTest : public testing::TestWithParam<MalformedCase>
{
};

TEST_P(MalformedDefinitionTest, IsRejectedWithPositionAndReason)
{
	const test::TempDir dir;
	const std::filesystem::path file = dir.write("app.toml", GetParam().definition);

	const LoadResult result = loadAppDefinitions({dir.path()});

	ASSERT_EQ(result.errors.size(), 1u);
	EXPECT_EQ(result.errors[0].file, file.string());
	LoadError shown = result.errors[0];
	shown.file = "app.toml";
	EXPECT_EQ(shown.toString(), GetParam().error);
	EXPECT_TRUE(result.registry->apps().empty());
	EXPECT_TRUE(result.warnings.empty());
}

/* Line 1-2 of most cases: a valid [app], so the component part is what fails. */
const std::string kApp = "[app]\nid = \"wiki\"\n";
const std::string kDaemon = kApp + "[[components]]\nkind = \"daemon\"\nid = \"daemon-wiki\"\n"
				   "unit = \"wiki.service\"\n";
/* Lines 3-5: one connect check. */
const std::string kCheck = kApp + "[[checks]]\nhost = \"localhost\"\nport = 80\n";

INSTANTIATE_TEST_SUITE_P(
	Table, MalformedDefinitionTest,
	testing::Values(
		MalformedCase{"SyntaxError", "[app]\nid = \n",
			      "app.toml:2:6: Error while parsing key-value pair: expected value, "
			      "saw '\\n'"},
		MalformedCase{"KeyDefinedTwice", "[app]\nid = \"a\"\nid = \"b\"\n",
			      "app.toml:3:6: Error while parsing key-value pair: cannot redefine "
			      "existing string 'id'"},
		MalformedCase{"EmptyFile", "",
			      "app.toml:1:1: no [app] table; every definition needs "
			      "one with an 'id'"},
		MalformedCase{
			"NoAppTable",
			"[[components]]\nkind = \"daemon\"\nid = \"daemon-wiki\"\n"
			"unit = \"wiki.service\"\n",
			"app.toml:1:1: no [app] table; every definition needs one with an 'id'"},
		MalformedCase{"UnknownTopLevelTable", kApp + "\n[service]\nname = \"x\"\n",
			      "app.toml:4:2: unknown key 'service' at the top level; allowed keys: "
			      "app, components, checks"},
		MalformedCase{
			"ComponentTableMisspelt", kApp + "[[component]]\nkind = \"daemon\"\n",
			"app.toml:3:3: unknown key 'component' at the top level; did you mean "
			"'components'?"},
		MalformedCase{"AppIsNotATable", "app = \"wiki\"\n",
			      "app.toml:1:7: 'app' must be a table, not a string"},
		MalformedCase{"UnknownAppKey", kApp + "title = \"Wiki\"\n",
			      "app.toml:3:1: unknown key 'title' in [app]; allowed keys: id, name, "
			      "depends"},
		MalformedCase{
			"AppKeyTypo", kApp + "depend = [\"web\"]\n",
			"app.toml:3:1: unknown key 'depend' in [app]; did you mean 'depends'?"},
		MalformedCase{"AppWithoutId", "[app]\nname = \"Wiki\"\n",
			      "app.toml:1:1: missing required key 'id' in [app]"},
		MalformedCase{"AppIdNotAString", "[app]\nid = 5\n",
			      "app.toml:2:6: 'id' must be a string, not an integer"},
		MalformedCase{"AppIdUppercase", "[app]\nid = \"Wiki\"\n",
			      "app.toml:2:6: app id 'Wiki' is not valid; use lowercase letters, "
			      "digits, '-' and '_', starting with a letter or digit"},
		MalformedCase{"EmptyName", kApp + "name = \"\"\n",
			      "app.toml:3:8: 'name' is empty; remove it to use the app id"},
		MalformedCase{
			"NameNotAString", kApp + "name = true\n",
			"app.toml:3:8: 'name' must be a string, not a boolean (true or false)"},
		MalformedCase{"DependsNotAnArray", kApp + "depends = \"web\"\n",
			      "app.toml:3:11: 'depends' must be an array, not a string"},
		MalformedCase{"DependsEntryNotAString", kApp + "depends = [\"web\", 7]\n",
			      "app.toml:3:19: each entry of 'depends' must be a string, not an "
			      "integer"},
		MalformedCase{
			"DependsInvalidId", kApp + "depends = [\"Web Server\"]\n",
			"app.toml:3:12: 'depends' names 'Web Server', which is not a valid app "
			"id"},
		MalformedCase{"DependsOnItself", kApp + "depends = [\"wiki\"]\n",
			      "app.toml:3:12: app 'wiki' cannot depend on itself"},
		MalformedCase{"DependsTwice", kApp + "depends = [\"web\", \"web\"]\n",
			      "app.toml:3:19: 'depends' lists 'web' twice"},
		MalformedCase{"ComponentsInsideAppTable", kApp + "components = \"daemon\"\n",
			      "app.toml:3:1: unknown key 'components' in [app]; allowed keys: id, "
			      "name, depends"},
		MalformedCase{"TopLevelComponentsNotAnArray", "components = 1\n" + kApp,
			      "app.toml:1:14: 'components' must be an array, not an integer"},
		MalformedCase{"ComponentEntryNotATable", "components = [\"daemon\"]\n" + kApp,
			      "app.toml:1:15: each entry of 'components' must be a table, not a "
			      "string"},
		MalformedCase{"ComponentKeyTypo", kDaemon + "strict_check = true\n",
			      "app.toml:7:1: unknown key 'strict_check' in [[components]]; did you "
			      "mean 'strict-check'?"},
		MalformedCase{
			"UnknownComponentKey", kDaemon + "restart = \"always\"\n",
			"app.toml:7:1: unknown key 'restart' in [[components]]; allowed keys: "
			"kind, id, unit, strict-check, alias, listen-ports"},
		MalformedCase{
			"ComponentWithoutKind",
			kApp + "[[components]]\nid = \"daemon-wiki\"\nunit = \"wiki.service\"\n",
			"app.toml:3:1: missing required key 'kind' in [[components]]"},
		MalformedCase{"UnknownKind",
			      kApp + "[[components]]\nkind = \"deamon\"\nid = \"daemon-wiki\"\n",
			      "app.toml:4:8: unknown component kind 'deamon'; expected daemon, "
			      "shared-daemon or related-daemon"},
		MalformedCase{"KindNotAString", kApp + "[[components]]\nkind = 1\n",
			      "app.toml:4:8: 'kind' must be a string, not an integer"},
		MalformedCase{"ComponentWithoutId",
			      kApp + "[[components]]\nkind = \"daemon\"\nunit = \"wiki.service\"\n",
			      "app.toml:3:1: missing required key 'id' in [[components]]"},
		MalformedCase{
			"ComponentIdInvalid",
			kApp + "[[components]]\nkind = \"daemon\"\nid = \"daemon wiki\"\n",
			"app.toml:5:6: component id 'daemon wiki' is not valid; use lowercase "
			"letters, digits, '-' and '_', starting with a letter or digit"},
		MalformedCase{"ComponentWithoutUnit",
			      kApp + "[[components]]\nkind = \"daemon\"\nid = \"daemon-wiki\"\n",
			      "app.toml:3:1: missing required key 'unit' in [[components]]"},
		MalformedCase{"InlineComponentWithoutUnit",
			      "components = [{kind = \"daemon\", id = \"daemon-wiki\"}]\n" + kApp,
			      "app.toml:1:15: missing required key 'unit' in [[components]]"},
		MalformedCase{"UnitBareTemplate",
			      kApp + "[[components]]\nkind = \"daemon\"\nid = \"daemon-wiki\"\n"
				     "unit = \"wiki@\"\n",
			      "app.toml:6:8: invalid unit: 'wiki@' is a template; name an instance "
			      "such as 'wiki@NAME.service'"},
		MalformedCase{"UnitIsAPath",
			      kApp + "[[components]]\nkind = \"daemon\"\nid = \"daemon-wiki\"\n"
				     "unit = \"/srv/wiki\"\n",
			      "app.toml:6:8: invalid unit: '/srv/wiki' is not a valid unit name "
			      "(allowed: ASCII letters, digits, ':-_.\\' and one '@' after a "
			      "non-empty prefix); a path is not a unit name: name its .mount or "
			      ".device unit (systemd-escape --path --suffix=mount PATH prints it)"},
		MalformedCase{"UnitIsAPattern",
			      kApp + "[[components]]\nkind = \"daemon\"\nid = \"daemon-wiki\"\n"
				     "unit = \"wiki-*\"\n",
			      "app.toml:6:8: invalid unit: 'wiki-*' is not a valid unit name "
			      "(allowed: ASCII letters, digits, ':-_.\\' and one '@' after a "
			      "non-empty prefix); patterns are not taken: name each unit"},
		MalformedCase{"UnitTooLongOnceServiceIsAppended",
			      kApp +
				      "[[components]]\nkind = \"daemon\"\nid = \"daemon-wiki\"\n"
				      "unit = \"" +
				      std::string(250, 'w') + "\"\n",
			      "app.toml:6:8: invalid unit: unit name is longer than 255 bytes once "
			      ".service is appended"},
		MalformedCase{"UnitIsATemplate",
			      kApp + "[[components]]\nkind = \"daemon\"\nid = \"daemon-wiki\"\n"
				     "unit = \"wiki@.service\"\n",
			      "app.toml:6:8: invalid unit: 'wiki@.service' is a template; name an "
			      "instance such as 'wiki@NAME.service'"},
		MalformedCase{"UnitWithSpace",
			      kApp + "[[components]]\nkind = \"daemon\"\nid = \"daemon-wiki\"\n"
				     "unit = \"my wiki.service\"\n",
			      "app.toml:6:8: invalid unit: 'my wiki.service' is not a valid unit "
			      "name (allowed: ASCII letters, digits, ':-_.\\' and one '@' after a "
			      "non-empty prefix); systemctl would escape it into the different "
			      "name 'my\\x20wiki.service': write that name if it is the unit you "
			      "mean"},
		MalformedCase{
			"StrictCheckNotABool", kDaemon + "strict-check = \"yes\"\n",
			"app.toml:7:16: 'strict-check' must be a boolean (true or false), not "
			"a string"},
		MalformedCase{
			"StrictCheckOnRelatedDaemon",
			kApp + "[[components]]\nkind = \"related-daemon\"\n"
			       "id = \"related-daemon-wiki-web\"\nunit = \"apache2.service\"\n"
			       "strict-check = true\n",
			"app.toml:7:1: 'strict-check' is not allowed in a related-daemon "
			"component; only daemon and shared-daemon components have it"},
		MalformedCase{
			"AliasOnRelatedDaemon",
			kApp + "[[components]]\nkind = \"related-daemon\"\n"
			       "id = \"related-daemon-wiki-web\"\nunit = \"apache2.service\"\n"
			       "alias = \"httpd.service\"\n",
			"app.toml:7:1: 'alias' is not allowed in a related-daemon component; "
			"only daemon and shared-daemon components have it"},
		MalformedCase{
			"ListenPortsOnRelatedDaemon",
			kApp + "[[components]]\nkind = \"related-daemon\"\n"
			       "listen-ports = [[80, \"tcp4\"]]\n"
			       "id = \"related-daemon-wiki-web\"\nunit = \"apache2.service\"\n",
			"app.toml:5:1: 'listen-ports' is not allowed in a related-daemon "
			"component; only daemon and shared-daemon components have it"},
		MalformedCase{"AliasIsTheUnit", kDaemon + "alias = \"wiki.service\"\n",
			      "app.toml:7:9: alias 'wiki.service' is the unit itself; give the "
			      "unit's other name or remove 'alias'"},
		MalformedCase{"AliasIsTheUnitWrittenBare", kDaemon + "alias = \"wiki\"\n",
			      "app.toml:7:9: alias 'wiki.service' is the unit itself; give the "
			      "unit's other name or remove 'alias'"},
		MalformedCase{"AliasOfAnotherType", kDaemon + "alias = \"wiki.socket\"\n",
			      "app.toml:7:9: alias 'wiki.socket' must have the same type as its "
			      "unit 'wiki.service'"},
		MalformedCase{"AliasInvalid", kDaemon + "alias = \"old wiki.service\"\n",
			      "app.toml:7:9: invalid alias: 'old wiki.service' is not a valid unit "
			      "name (allowed: ASCII letters, digits, ':-_.\\' and one '@' after a "
			      "non-empty prefix); systemctl would escape it into the different "
			      "name 'old\\x20wiki.service': write that name if it is the unit you "
			      "mean"},
		MalformedCase{"ListenPortsNotAnArray", kDaemon + "listen-ports = 80\n",
			      "app.toml:7:16: 'listen-ports' must be an array, not an integer"},
		MalformedCase{
			"ListenPortNotAnArray", kDaemon + "listen-ports = [80, \"tcp4\"]\n",
			"app.toml:7:17: each entry of 'listen-ports' must be an array, not an "
			"integer"},
		MalformedCase{"ListenPortWithoutKind", kDaemon + "listen-ports = [[80]]\n",
			      "app.toml:7:17: each entry of 'listen-ports' must be [port, kind] or "
			      "[port, kind, address], not 1 values"},
		MalformedCase{"ListenPortWithFourValues",
			      kDaemon + "listen-ports = [[80, \"tcp4\", \"127.0.0.1\", \"x\"]]\n",
			      "app.toml:7:17: each entry of 'listen-ports' must be [port, kind] or "
			      "[port, kind, address], not 4 values"},
		MalformedCase{"PortZero", kDaemon + "listen-ports = [[0, \"tcp4\"]]\n",
			      "app.toml:7:18: port 0 is out of range (1-65535)"},
		MalformedCase{"PortTooLarge",
			      kDaemon + "listen-ports = [[80, \"tcp4\"], [65536, \"udp\"]]\n",
			      "app.toml:7:32: port 65536 is out of range (1-65535)"},
		MalformedCase{"PortAsString", kDaemon + "listen-ports = [[\"80\", \"tcp4\"]]\n",
			      "app.toml:7:18: the port must be an integer, not a string"},
		MalformedCase{"PortAsFloat", kDaemon + "listen-ports = [[80.0, \"tcp4\"]]\n",
			      "app.toml:7:18: the port must be an integer, not a floating-point "
			      "number"},
		MalformedCase{"UnknownPortKind", kDaemon + "listen-ports = [[80, \"tcp5\"]]\n",
			      "app.toml:7:22: unknown port kind 'tcp5'; expected tcp4, tcp6, tcp, "
			      "udp4, udp6 or udp"},
		MalformedCase{"PortKindNotAString", kDaemon + "listen-ports = [[80, 4]]\n",
			      "app.toml:7:22: the port kind must be a string, not an integer"},
		MalformedCase{"AddressNotALiteral",
			      kDaemon + "listen-ports = [[53, \"udp\", \"localhost\"]]\n",
			      "app.toml:7:29: 'localhost' is not an IPv4 or IPv6 address (write a "
			      "literal such as 127.0.0.1 or ::1)"},
		MalformedCase{"AddressNotAString",
			      kDaemon + "listen-ports = [[53, \"udp\", 127]]\n",
			      "app.toml:7:29: the listen address must be a string, not an integer"},
		MalformedCase{
			"IPv6AddressOnTcp4", kDaemon + "listen-ports = [[80, \"tcp4\", \"::1\"]]\n",
			"app.toml:7:30: '::1' is an IPv6 address but 'tcp4' is IPv4 only (of IPv6 "
			"addresses only the wildcard '::' can pass it); use 'tcp6' or 'tcp'"},
		MalformedCase{"IPv4AddressOnUdp6",
			      kDaemon + "listen-ports = [[53, \"udp6\", \"127.0.0.1\"]]\n",
			      "app.toml:7:30: '127.0.0.1' is an IPv4 address but 'udp6' is IPv6 "
			      "only; use 'udp4' or 'udp'"},
		MalformedCase{"ListenPortTwice",
			      kDaemon + "listen-ports = [[80, \"tcp4\"], [80, \"tcp4\"]]\n",
			      "app.toml:7:31: this listen port is already listed"},
		MalformedCase{
			"ChecksInsideAppTable", kApp + "checks = \"127.0.0.1:80\"\n",
			"app.toml:3:1: unknown key 'checks' in [app]; allowed keys: id, name, "
			"depends"},
		MalformedCase{"TopLevelChecksNotAnArray", "checks = 80\n" + kApp,
			      "app.toml:1:10: 'checks' must be an array, not an integer"},
		MalformedCase{"CheckEntryNotATable", "checks = [80]\n" + kApp,
			      "app.toml:1:11: each entry of 'checks' must be a table, not an "
			      "integer"},
		MalformedCase{"UnknownCheckKey", kCheck + "timeout = 3\n",
			      "app.toml:6:1: unknown key 'timeout' in [[checks]]; allowed keys: "
			      "host, port, input, negate"},
		MalformedCase{"CheckKeyTypo", kCheck + "negated = true\n",
			      "app.toml:6:1: unknown key 'negated' in [[checks]]; did you mean "
			      "'negate'?"},
		MalformedCase{"CheckWithoutHost", kApp + "[[checks]]\nport = 80\n",
			      "app.toml:3:1: missing required key 'host' in [[checks]]"},
		MalformedCase{"CheckWithoutPort", kApp + "[[checks]]\nhost = \"localhost\"\n",
			      "app.toml:3:1: missing required key 'port' in [[checks]]"},
		MalformedCase{"CheckHostNotAString", kApp + "[[checks]]\nhost = 127\nport = 80\n",
			      "app.toml:4:8: 'host' must be a string, not an integer"},
		MalformedCase{"CheckHostEmpty", kApp + "[[checks]]\nhost = \"\"\nport = 80\n",
			      "app.toml:4:8: 'host' is empty"},
		MalformedCase{
			"CheckHostIsAUrl",
			kApp + "[[checks]]\nhost = \"http://localhost/\"\nport = 80\n",
			"app.toml:4:8: 'host' 'http://localhost/' is not a host name or an IP "
			"address; give the port in 'port' and nothing else"},
		MalformedCase{"CheckPortZero",
			      kApp + "[[checks]]\nhost = \"localhost\"\nport = 0\n",
			      "app.toml:5:8: port 0 is out of range (1-65535)"},
		MalformedCase{"CheckPortTooLarge",
			      kApp + "[[checks]]\nhost = \"localhost\"\nport = 70000\n",
			      "app.toml:5:8: port 70000 is out of range (1-65535)"},
		MalformedCase{"CheckPortAsString",
			      kApp + "[[checks]]\nhost = \"localhost\"\nport = \"80\"\n",
			      "app.toml:5:8: 'port' must be an integer, not a string"},
		MalformedCase{"CheckInputNotAString", kCheck + "input = 1\n",
			      "app.toml:6:9: 'input' must be a string, not an integer"},
		MalformedCase{"CheckNegateNotABool", kCheck + "negate = \"yes\"\n",
			      "app.toml:6:10: 'negate' must be a boolean (true or false), not a "
			      "string"},
		MalformedCase{"CheckTwice", kCheck + kCheck.substr(kApp.size()),
			      "app.toml:6:1: a check of localhost port 80 without 'negate' is "
			      "already listed"},
		MalformedCase{"ComponentIdTwiceInOneFile",
			      kDaemon + "[[components]]\nkind = \"related-daemon\"\n"
					"id = \"daemon-wiki\"\nunit = \"apache2.service\"\n",
			      "app.toml:9:6: component id 'daemon-wiki' is already used at line 5, "
			      "column 6"}),
	[](const testing::TestParamInfo<MalformedCase> &info) { return info.param.name; });

} /* namespace */
} /* namespace plinth */

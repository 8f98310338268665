/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "app_definition.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <limits>
#include <string_view>

#include "identifier.h"
#include "toml_schema.h"
#include "unit_name.h"

namespace plinth {

namespace {

constexpr std::array<std::string_view, 3> kTopLevelKeys = {"app", "components", "checks"};
constexpr std::array<std::string_view, 3> kAppKeys = {"id", "name", "depends"};
constexpr std::array<std::string_view, 6> kComponentKeys = {
	"kind", "id", "unit", "strict-check", "alias", "listen-ports",
};
constexpr std::array<std::string_view, 4> kCheckKeys = {"host", "port", "input", "negate"};
/* What only the components that follow their app (daemon, shared-daemon) may declare. */
constexpr std::array<std::string_view, 3> kFollowerOnlyKeys = {"strict-check", "alias",
							       "listen-ports"};

constexpr std::string_view kInApp = "in [app]";
constexpr std::string_view kInComponent = "in [[components]]";
constexpr std::string_view kInCheck = "in [[checks]]";

std::string inQuotes(std::string_view s)
{
	return "'" + std::string(s) + "'";
}

std::string identifierAt(const toml::node &node, std::string_view what)
{
	std::string id = valueOf<std::string>(node, "'id'");
	if (!isValidIdentifier(id))
		throw SchemaError(node.source(),
				  std::string(what) + " " + inQuotes(id) +
					  " is not valid; use lowercase letters, digits, '-' and "
					  "'_', starting with a letter or digit");
	return id;
}

/* The full name, as systemctl would take what is written ("ssh" is "ssh.service"). */
std::string unitAt(const toml::node &node, std::string_view key)
{
	const std::string written = valueOf<std::string>(node, inQuotes(key));
	if (std::string error = unitNameError(written); !error.empty())
		throw SchemaError(node.source(), "invalid " + std::string(key) + ": " + error);
	return mangleUnitName(written);
}

std::string_view unitType(std::string_view unit)
{
	return unit.substr(unit.rfind('.'));
}

std::vector<std::string> readDepends(const toml::node &node, const std::string &appId)
{
	std::vector<std::string> depends;
	for (const toml::node &entry : arrayOf(node, "'depends'")) {
		std::string dep = valueOf<std::string>(entry, "each entry of 'depends'");
		if (!isValidIdentifier(dep))
			throw SchemaError(entry.source(), "'depends' names " + inQuotes(dep) +
								  ", which is not a valid app id");
		if (dep == appId)
			throw SchemaError(entry.source(),
					  "app " + inQuotes(appId) + " cannot depend on itself");
		if (std::find(depends.begin(), depends.end(), dep) != depends.end())
			throw SchemaError(entry.source(),
					  "'depends' lists " + inQuotes(dep) + " twice");
		depends.push_back(std::move(dep));
	}
	return depends;
}

void checkAddressFamily(const toml::node &node, const std::string &address, PortKind kind)
{
	in_addr v4;
	in6_addr v6;
	const bool isV4 = inet_pton(AF_INET, address.c_str(), &v4) == 1;
	const bool isV6 = !isV4 && inet_pton(AF_INET6, address.c_str(), &v6) == 1;
	if (!isV4 && !isV6)
		throw SchemaError(node.source(),
				  inQuotes(address) + " is not an IPv4 or IPv6 address "
						      "(write a literal such as 127.0.0.1 or ::1)");

	const std::string_view kindName = portKindName(kind);
	const std::string_view family = isTcp(kind) ? "tcp" : "udp";
	/* A socket on the IPv6 wildcard takes IPv4 too: the reference passes it for tcp4/udp4. */
	const bool v6Wildcard = isV6 && IN6_IS_ADDR_UNSPECIFIED(&v6);
	if (isV6 && !v6Wildcard && kindName.ends_with('4'))
		throw SchemaError(
			node.source(),
			inQuotes(address) + " is an IPv6 address but " + inQuotes(kindName) +
				" is IPv4 only (of IPv6 addresses only the "
				"wildcard '::' can pass it); use '" +
				std::string(family) + "6' or '" + std::string(family) + "'");
	if (isV4 && kindName.ends_with('6'))
		throw SchemaError(node.source(), inQuotes(address) + " is an IPv4 address but " +
							 inQuotes(kindName) +
							 " is IPv6 only; use '" +
							 std::string(family) + "4' or '" +
							 std::string(family) + "'");
}

std::uint16_t portNumberAt(const toml::node &node, std::string_view what)
{
	const std::int64_t number = valueOf<std::int64_t>(node, what);
	if (number < 1 || number > std::numeric_limits<std::uint16_t>::max())
		throw SchemaError(node.source(),
				  "port " + std::to_string(number) + " is out of range (1-65535)");
	return static_cast<std::uint16_t>(number);
}

ListenPort readListenPort(const toml::node &node)
{
	const toml::array &entry = arrayOf(node, "each entry of 'listen-ports'");
	if (entry.size() != 2 && entry.size() != 3)
		throw SchemaError(
			node.source(),
			"each entry of 'listen-ports' must be [port, kind] or [port, kind, "
			"address], not " +
				std::to_string(entry.size()) + " values");

	ListenPort port;
	port.port = portNumberAt(*entry.get(0), "the port");

	const std::string kind = valueOf<std::string>(*entry.get(1), "the port kind");
	const std::optional<PortKind> parsed = parsePortKind(kind);
	if (!parsed)
		throw SchemaError(entry.get(1)->source(),
				  "unknown port kind " + inQuotes(kind) +
					  "; expected tcp4, tcp6, tcp, udp4, udp6 or udp");
	port.kind = *parsed;

	if (entry.size() == 3) {
		port.address = valueOf<std::string>(*entry.get(2), "the listen address");
		checkAddressFamily(*entry.get(2), port.address, port.kind);
	}
	return port;
}

std::vector<ListenPort> readListenPorts(const toml::node &node)
{
	std::vector<ListenPort> ports;
	for (const toml::node &entry : arrayOf(node, "'listen-ports'")) {
		ListenPort port = readListenPort(entry);
		if (std::find(ports.begin(), ports.end(), port) != ports.end())
			throw SchemaError(entry.source(), "this listen port is already listed");
		ports.push_back(std::move(port));
	}
	return ports;
}

Component readComponent(const toml::table &table)
{
	checkKeys(table, kInComponent, kComponentKeys);

	Component component;
	const toml::node &kindNode = requireKey(table, "kind", kInComponent);
	const std::string kindName = valueOf<std::string>(kindNode, "'kind'");
	const std::optional<ComponentKind> kind = parseComponentKind(kindName);
	if (!kind)
		throw SchemaError(kindNode.source(),
				  "unknown component kind " + inQuotes(kindName) +
					  "; expected daemon, shared-daemon or related-daemon");
	component.kind = *kind;

	if (!component.followsApp()) {
		for (std::string_view key : kFollowerOnlyKeys) {
			if (table.contains(key))
				throw SchemaError(
					keyRegion(table, key),
					inQuotes(key) + " is not allowed in a related-daemon "
							"component; only daemon and shared-daemon "
							"components have it");
		}
	}

	component.id = identifierAt(requireKey(table, "id", kInComponent), "component id");
	component.unit = unitAt(requireKey(table, "unit", kInComponent), "unit");

	if (const toml::node *node = table.get("strict-check"))
		component.strictCheck = valueOf<bool>(*node, "'strict-check'");

	if (const toml::node *node = table.get("alias")) {
		component.alias = unitAt(*node, "alias");
		if (component.alias == component.unit)
			throw SchemaError(node->source(),
					  "alias " + inQuotes(component.alias) +
						  " is the unit itself; give the unit's other name "
						  "or remove 'alias'");
		if (unitType(component.alias) != unitType(component.unit))
			throw SchemaError(node->source(),
					  "alias " + inQuotes(component.alias) +
						  " must have the same type as its unit " +
						  inQuotes(component.unit));
	}

	if (const toml::node *node = table.get("listen-ports"))
		component.listenPorts = readListenPorts(*node);

	return component;
}

/*
 * A name or an address literal, as it also becomes part of the check id; anything else (a URL,
 * a space, a port after a colon) is a mistake the connect would only report as "failed".
 */
std::string hostAt(const toml::node &node)
{
	std::string host = valueOf<std::string>(node, "'host'");
	if (host.empty())
		throw SchemaError(node.source(), "'host' is empty");
	const bool plain = std::all_of(host.begin(), host.end(), [](unsigned char c) {
		return std::isalnum(c) || c == '.' || c == '-' || c == '_' || c == ':' || c == '%';
	});
	if (!plain)
		throw SchemaError(node.source(),
				  "'host' " + inQuotes(host) +
					  " is not a host name or an IP address; give the port "
					  "in 'port' and nothing else");
	return host;
}

ConnectCheckSpec readCheck(const toml::table &table)
{
	checkKeys(table, kInCheck, kCheckKeys);

	ConnectCheckSpec check;
	check.host = hostAt(requireKey(table, "host", kInCheck));
	check.port = portNumberAt(requireKey(table, "port", kInCheck), "'port'");
	if (const toml::node *node = table.get("input"))
		check.input = valueOf<std::string>(*node, "'input'");
	if (const toml::node *node = table.get("negate"))
		check.negate = valueOf<bool>(*node, "'negate'");
	return check;
}

/* Two checks of the same host, port and negate would carry the same check id. */
std::vector<ConnectCheckSpec> readChecks(const toml::node &node)
{
	std::vector<ConnectCheckSpec> checks;
	for (const toml::node &entry : arrayOf(node, "'checks'")) {
		ConnectCheckSpec check = readCheck(tableOf(entry, "each entry of 'checks'"));
		const bool listed =
			std::any_of(checks.begin(), checks.end(), [&](const ConnectCheckSpec &c) {
				return c.host == check.host && c.port == check.port &&
				       c.negate == check.negate;
			});
		if (listed)
			throw SchemaError(entry.source(),
					  "a check of " + check.host + " port " +
						  std::to_string(check.port) +
						  (check.negate ? " with" : " without") +
						  " 'negate' is already listed");
		checks.push_back(std::move(check));
	}
	return checks;
}

} /* namespace */

AppDefinition readAppDefinition(const toml::table &document, const std::string &sourceFile)
{
	checkKeys(document, "at the top level", kTopLevelKeys);

	const toml::node *appNode = document.get("app");
	if (!appNode)
		throw SchemaError(1, 1, "no [app] table; every definition needs one with an 'id'");
	const toml::table &appTable = tableOf(*appNode, "'app'");
	checkKeys(appTable, kInApp, kAppKeys);

	AppDefinition definition;
	App &app = definition.app;
	app.sourceFile = sourceFile;

	const toml::node &idNode = requireKey(appTable, "id", kInApp);
	app.id = identifierAt(idNode, "app id");
	definition.appIdRegion = idNode.source();

	app.name = app.id;
	if (const toml::node *node = appTable.get("name")) {
		app.name = valueOf<std::string>(*node, "'name'");
		if (app.name.empty())
			throw SchemaError(node->source(),
					  "'name' is empty; remove it to use the app id");
	}

	if (const toml::node *node = appTable.get("depends"))
		app.depends = readDepends(*node, app.id);

	if (const toml::node *node = document.get("checks"))
		app.checks = readChecks(*node);

	const toml::node *componentsNode = document.get("components");
	if (!componentsNode)
		return definition;

	for (const toml::node &entry : arrayOf(*componentsNode, "'components'")) {
		const toml::table &table = tableOf(entry, "each entry of 'components'");
		Component component = readComponent(table);
		const toml::source_region &idRegion = table.get("id")->source();

		for (std::size_t i = 0; i < app.components.size(); ++i) {
			if (app.components[i].id != component.id)
				continue;
			const toml::source_position &first = definition.componentIdRegions[i].begin;
			throw SchemaError(idRegion, "component id " + inQuotes(component.id) +
							    " is already used at line " +
							    std::to_string(first.line) +
							    ", column " +
							    std::to_string(first.column));
		}

		app.components.push_back(std::move(component));
		definition.componentIdRegions.push_back(idRegion);
	}
	return definition;
}

} /* namespace plinth */

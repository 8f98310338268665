/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "toml_schema.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>
#include <type_traits>
#include <vector>

namespace plinth {

namespace {

std::string_view typePhrase(toml::node_type type)
{
	switch (type) {
	case toml::node_type::string:
		return "a string";
	case toml::node_type::integer:
		return "an integer";
	case toml::node_type::floating_point:
		return "a floating-point number";
	case toml::node_type::boolean:
		return "a boolean (true or false)";
	case toml::node_type::table:
		return "a table";
	case toml::node_type::array:
		return "an array";
	case toml::node_type::date:
		return "a date";
	case toml::node_type::time:
		return "a time";
	case toml::node_type::date_time:
		return "a date-time";
	case toml::node_type::none:
		break;
	}
	return "nothing";
}

[[noreturn]] void wrongType(const toml::node &node, std::string_view what, toml::node_type wanted)
{
	throw SchemaError(node.source(), std::string(what) + " must be " +
						 std::string(typePhrase(wanted)) + ", not " +
						 std::string(typePhrase(node.type())));
}

std::string lowered(std::string_view s)
{
	std::string out(s);
	std::transform(out.begin(), out.end(), out.begin(),
		       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
	return out;
}

std::size_t editDistance(std::string_view a, std::string_view b)
{
	std::vector<std::size_t> row(b.size() + 1);
	for (std::size_t j = 0; j <= b.size(); ++j)
		row[j] = j;
	for (std::size_t i = 1; i <= a.size(); ++i) {
		std::size_t diagonal = row[0];
		row[0] = i;
		for (std::size_t j = 1; j <= b.size(); ++j) {
			const std::size_t above = row[j];
			row[j] = std::min({row[j] + 1, row[j - 1] + 1,
					   diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
			diagonal = above;
		}
	}
	return row[b.size()];
}

/* A typo is one or two edits away ('strict_check', 'Kind', 'depend'); anything further is not. */
std::optional<std::string_view> closestKey(std::string_view key,
					   std::span<const std::string_view> allowed)
{
	constexpr std::size_t kMaxTypoEdits = 2;
	const std::string wanted = lowered(key);
	std::optional<std::string_view> best;
	std::size_t bestDistance = kMaxTypoEdits + 1;
	for (std::string_view candidate : allowed) {
		const std::size_t distance = editDistance(wanted, candidate);
		if (distance < bestDistance && distance < candidate.size()) {
			best = candidate;
			bestDistance = distance;
		}
	}
	return best;
}

/* The three scalar types the readers are instantiated for below. */
template<typename T>
constexpr toml::node_type nodeTypeOf()
{
	if constexpr (std::is_same_v<T, bool>)
		return toml::node_type::boolean;
	else if constexpr (std::is_same_v<T, std::int64_t>)
		return toml::node_type::integer;
	else
		return toml::node_type::string;
}

bool before(const toml::source_position &a, const toml::source_position &b)
{
	return a.line < b.line || (a.line == b.line && a.column < b.column);
}

} /* namespace */

SchemaError::SchemaError(std::uint32_t line, std::uint32_t column, const std::string &reason)
	: std::runtime_error(reason), line_(line), column_(column)
{
}

SchemaError::SchemaError(const toml::source_region &where, const std::string &reason)
	: SchemaError(where.begin.line, where.begin.column, reason)
{
}

LoadError SchemaError::in(const std::string &file) const
{
	return {file, line_, column_, what()};
}

toml::table parseTomlFile(const std::filesystem::path &file)
{
	std::ifstream stream(file, std::ios::binary);
	if (!stream)
		throw SchemaError(0, 0, std::string("cannot open: ") + std::strerror(errno));
	std::ostringstream content;
	content << stream.rdbuf();
	if (stream.bad())
		throw SchemaError(0, 0, std::string("cannot read: ") + std::strerror(errno));

	try {
		return toml::parse(content.view(), file.string());
	} catch (const toml::parse_error &e) {
		throw SchemaError(e.source(), std::string(e.description()));
	}
}

void checkKeys(const toml::table &table, std::string_view where,
	       std::span<const std::string_view> allowed)
{
	/* toml++ iterates keys sorted by name; report the unknown key the reader meets first. */
	const toml::key *first = nullptr;
	for (const auto &[key, value] : table) {
		if (std::find(allowed.begin(), allowed.end(), key.str()) != allowed.end())
			continue;
		if (!first || before(key.source().begin, first->source().begin))
			first = &key;
	}
	if (!first)
		return;

	std::string reason =
		"unknown key '" + std::string(first->str()) + "' " + std::string(where);
	if (const auto suggestion = closestKey(first->str(), allowed)) {
		reason += "; did you mean '" + std::string(*suggestion) + "'?";
	} else {
		reason += "; allowed keys:";
		for (std::size_t i = 0; i < allowed.size(); ++i)
			reason += (i == 0 ? " " : ", ") + std::string(allowed[i]);
	}
	throw SchemaError(first->source(), reason);
}

const toml::source_region &keyRegion(const toml::table &table, std::string_view key)
{
	return table.find(key)->first.source();
}

const toml::node &requireKey(const toml::table &table, std::string_view key, std::string_view where)
{
	const toml::node *node = table.get(key);
	if (!node)
		throw SchemaError(table.source(), "missing required key '" + std::string(key) +
							  "' " + std::string(where));
	return *node;
}

template<typename T>
T valueOf(const toml::node &node, std::string_view what)
{
	const auto *value = node.as<T>();
	if (!value)
		wrongType(node, what, nodeTypeOf<T>());
	return value->get();
}

template std::string valueOf<std::string>(const toml::node &, std::string_view);
template bool valueOf<bool>(const toml::node &, std::string_view);
template std::int64_t valueOf<std::int64_t>(const toml::node &, std::string_view);

const toml::array &arrayOf(const toml::node &node, std::string_view what)
{
	if (!node.is_array())
		wrongType(node, what, toml::node_type::array);
	return *node.as_array();
}

const toml::table &tableOf(const toml::node &node, std::string_view what)
{
	if (!node.is_table())
		wrongType(node, what, toml::node_type::table);
	return *node.as_table();
}

} /* namespace plinth */

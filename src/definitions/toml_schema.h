/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>

#include <toml++/toml.h>

#include "load_error.h"

namespace plinth {

/*
 * Strict reading of the project's TOML files (app definitions, the configuration). A file is
 * accepted whole or not at all, so the readers throw at the first problem instead of
 * collecting problems, and every message points at the key or value to fix.
 */
class SchemaError : public std::runtime_error
{
public:
	/* line 0: the file as a whole, such as one that cannot be read. */
	SchemaError(std::uint32_t line, std::uint32_t column, const std::string &reason);
	SchemaError(const toml::source_region &where, const std::string &reason);

	LoadError in(const std::string &file) const;

private:
	std::uint32_t line_;
	std::uint32_t column_;
};

/* The whole document of file; an unreadable file or a TOML syntax error is a SchemaError. */
toml::table parseTomlFile(const std::filesystem::path &file);

/*
 * Rejects the first key (in document order) that allowed does not list, naming the closest
 * allowed key when it looks like a typo. where completes "unknown key 'x' ...", e.g. "in [app]".
 */
void checkKeys(const toml::table &table, std::string_view where,
	       std::span<const std::string_view> allowed);

/* The position of key, which table must hold; for messages about a key rather than its value. */
const toml::source_region &keyRegion(const toml::table &table, std::string_view key);

/* The value of key, or "missing required key" pointing at the table itself. */
const toml::node &requireKey(const toml::table &table, std::string_view key,
			     std::string_view where);

/*
 * The node as a string, bool or std::int64_t, or a SchemaError naming what it should have
 * been. what names the node in that message: "'unit'", "each entry of 'depends'", ...
 */
template<typename T>
T valueOf(const toml::node &node, std::string_view what);
const toml::array &arrayOf(const toml::node &node, std::string_view what);
const toml::table &tableOf(const toml::node &node, std::string_view what);

} /* namespace plinth */

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <string>
#include <vector>

#include "style.h"

namespace plinth {

struct Cell {
	std::string text;
	Colour colour = Colour::None;
};

/*
 * Columns aligned to their widest cell, two spaces apart, as systemctl's lists. Widths count
 * characters, not bytes, and ignore colour, so translated and coloured text lines up.
 */
class Table
{
public:
	explicit Table(std::vector<std::string> headings);

	void addRow(std::vector<Cell> cells);
	bool empty() const { return rows_.empty(); }

	/* Every line ends in '\n'; each line starts with indent. */
	std::string render(const Style &style, const std::string &indent = {}) const;

private:
	std::vector<std::string> headings_;
	std::vector<std::vector<Cell>> rows_;
};

/* The number of characters of UTF-8 text. */
std::size_t displayWidth(const std::string &text);

} /* namespace plinth */

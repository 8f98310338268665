/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "table.h"

#include <algorithm>

#include "terminal_text.h"

namespace plinth {

std::size_t displayWidth(const std::string &text)
{
	/* Continuation bytes of a UTF-8 sequence are 10xxxxxx. */
	return std::count_if(text.begin(), text.end(),
			     [](char c) { return (static_cast<unsigned char>(c) & 0xc0) != 0x80; });
}

Table::Table(std::vector<std::string> headings) : headings_(std::move(headings))
{
}

void Table::addRow(std::vector<Cell> cells)
{
	cells.resize(headings_.size());
	for (Cell &cell : cells)
		cell.text = terminalLine(cell.text);
	rows_.push_back(std::move(cells));
}

std::string Table::render(const Style &style, const std::string &indent) const
{
	std::vector<std::size_t> widths;
	for (const std::string &heading : headings_)
		widths.push_back(displayWidth(heading));
	for (const auto &row : rows_) {
		for (std::size_t i = 0; i < row.size(); i++)
			widths[i] = std::max(widths[i], displayWidth(row[i].text));
	}

	auto line = [&](const std::vector<Cell> &cells) {
		std::string out = indent;
		for (std::size_t i = 0; i < cells.size(); i++) {
			out += style.paint(cells[i].text, cells[i].colour);
			/* No trailing blanks after the last column. */
			if (i + 1 < cells.size())
				out += std::string(widths[i] - displayWidth(cells[i].text) + 2,
						   ' ');
		}
		return out + "\n";
	};

	std::vector<Cell> heading;
	for (const std::string &text : headings_)
		heading.push_back({text, Colour::Heading});

	std::string out = line(heading);
	for (const auto &row : rows_)
		out += line(row);
	return out;
}

} /* namespace plinth */

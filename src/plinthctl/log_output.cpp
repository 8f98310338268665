/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "log_output.h"

#include <charconv>
#include <ctime>

#include "table.h"
#include "terminal_text.h"

namespace plinth {

namespace {

constexpr std::uint64_t kUsecPerSecond = 1000000;

Colour colourOf(std::uint32_t priority)
{
	if (priority <= 3)
		return Colour::Bad;
	if (priority == 4)
		return Colour::Warn;
	if (priority == 5)
		return Colour::Heading;
	return Colour::None;
}

/* Reads a JSON string starting at its opening quote; advances pos past the closing one. */
std::optional<std::string> readString(std::string_view json, std::size_t &pos)
{
	if (pos >= json.size() || json[pos] != '"')
		return std::nullopt;
	std::string out;
	for (++pos; pos < json.size(); ++pos) {
		const char c = json[pos];
		if (c == '"') {
			++pos;
			return out;
		}
		if (c != '\\') {
			out += c;
			continue;
		}
		if (++pos >= json.size())
			return std::nullopt;
		switch (json[pos]) {
		case 'n':
			out += '\n';
			break;
		case 't':
			out += '\t';
			break;
		case 'r':
			out += '\r';
			break;
		case 'u': {
			/* The stream escapes only control characters this way. */
			unsigned code = 0;
			const auto [end, ec] = std::from_chars(json.data() + pos + 1,
							       json.data() + pos + 5, code, 16);
			if (ec != std::errc() || end != json.data() + pos + 5 || code > 0x7f)
				return std::nullopt;
			out += static_cast<char>(code);
			pos += 4;
			break;
		}
		default:
			out += json[pos];
		}
	}
	return std::nullopt;
}

std::optional<std::uint64_t> readNumber(std::string_view json, std::size_t &pos)
{
	std::uint64_t value = 0;
	const auto [end, ec] = std::from_chars(json.data() + pos, json.data() + json.size(), value);
	if (ec != std::errc())
		return std::nullopt;
	pos = static_cast<std::size_t>(end - json.data());
	return value;
}

std::optional<std::uint64_t> localTime(std::tm &tm)
{
	tm.tm_isdst = -1;
	const std::time_t t = std::mktime(&tm);
	if (t == static_cast<std::time_t>(-1))
		return std::nullopt;
	return static_cast<std::uint64_t>(t) * kUsecPerSecond;
}

} /* namespace */

std::string logLineText(const LogEntry &line, const Style &style, bool showUnit)
{
	const std::time_t seconds = static_cast<std::time_t>(line.realtimeUsec / kUsecPerSecond);
	std::tm local{};
	localtime_r(&seconds, &local);
	char when[32];
	std::strftime(when, sizeof(when), "%b %d %H:%M:%S", &local);

	std::string prefix = when;
	prefix += ' ';
	if (showUnit)
		prefix += terminalLine(line.unit) + ' ';
	prefix += terminalLine(line.identifier);
	if (line.pid)
		prefix += '[' + std::to_string(line.pid) + ']';
	prefix += ": ";

	/* As journalctl: a final newline ends the message, others start lines under its start. */
	std::string_view message = line.message;
	if (!message.empty() && message.back() == '\n')
		message.remove_suffix(1);
	const std::string indent(displayWidth(prefix), ' ');
	std::string text;
	for (const char c : terminalText(message)) {
		text += c;
		if (c == '\n')
			text += indent;
	}
	return prefix + style.paint(text, colourOf(line.priority));
}

std::optional<LogEntry> parseLogEntryJson(std::string_view json)
{
	LogEntry line;
	std::size_t pos = 0;
	if (json.empty() || json[pos++] != '{')
		return std::nullopt;
	while (pos < json.size() && json[pos] != '}') {
		if (json[pos] == ',')
			++pos;
		const std::optional<std::string> key = readString(json, pos);
		if (!key || pos >= json.size() || json[pos++] != ':')
			return std::nullopt;
		if (pos < json.size() && json[pos] == '"') {
			std::optional<std::string> text = readString(json, pos);
			if (!text)
				return std::nullopt;
			if (*key == "unit")
				line.unit = std::move(*text);
			else if (*key == "identifier")
				line.identifier = std::move(*text);
			else if (*key == "message")
				line.message = std::move(*text);
			else if (*key == "cursor")
				line.cursor = std::move(*text);
		} else {
			const std::optional<std::uint64_t> number = readNumber(json, pos);
			if (!number)
				return std::nullopt;
			if (*key == "realtime")
				line.realtimeUsec = *number;
			else if (*key == "priority")
				line.priority = static_cast<std::uint32_t>(*number);
			else if (*key == "pid")
				line.pid = static_cast<std::uint32_t>(*number);
		}
	}
	if (pos >= json.size())
		return std::nullopt;
	return line;
}

std::optional<std::uint64_t> parseSince(std::string_view text, std::uint64_t nowUsec)
{
	if (text.size() >= 3 && text.front() == '-') {
		std::uint64_t count = 0;
		const auto [end, ec] =
			std::from_chars(text.data() + 1, text.data() + text.size() - 1, count);
		if (ec != std::errc() || end != text.data() + text.size() - 1)
			return std::nullopt;
		std::uint64_t unit;
		switch (text.back()) {
		case 's':
			unit = 1;
			break;
		case 'm':
			unit = 60;
			break;
		case 'h':
			unit = 3600;
			break;
		case 'd':
			unit = 86400;
			break;
		default:
			return std::nullopt;
		}
		const std::uint64_t back = count * unit * kUsecPerSecond;
		return back > nowUsec ? 0 : nowUsec - back;
	}

	const std::string value(text);
	for (const char *format : {"%Y-%m-%d %H:%M:%S", "%Y-%m-%d"}) {
		std::tm tm{};
		const char *end = strptime(value.c_str(), format, &tm);
		if (end && *end == '\0')
			return localTime(tm);
	}
	for (const char *format : {"%H:%M:%S", "%H:%M"}) {
		const std::time_t now = static_cast<std::time_t>(nowUsec / kUsecPerSecond);
		std::tm tm{};
		localtime_r(&now, &tm);
		tm.tm_sec = 0;
		const char *end = strptime(value.c_str(), format, &tm);
		if (end && *end == '\0')
			return localTime(tm);
	}
	return std::nullopt;
}

} /* namespace plinth */

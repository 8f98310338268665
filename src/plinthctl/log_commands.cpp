/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* logs, status UNIT and repair: why a daemon is as it is, and the way out. */
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <ostream>

#include "app_or_unit.h"
#include "commands.h"
#include "exit_code.h"
#include "json_writer.h"
#include "log_output.h"
#include "terminal_text.h"
#include "unit_name.h"

namespace plinth {

namespace {

using Properties = std::map<std::string, sdbus::Variant>;

template<typename T>
T propertyOr(const Properties &properties, const std::string &name, T fallback)
{
	const auto it = properties.find(name);
	if (it == properties.end() || !it->second.containsValueOfType<T>())
		return fallback;
	return it->second.get<T>();
}

std::uint64_t nowUsec()
{
	return static_cast<std::uint64_t>(
		std::chrono::duration_cast<std::chrono::microseconds>(
			std::chrono::system_clock::now().time_since_epoch())
			.count());
}

void print(CommandContext &context, const LogEntry &line, bool showUnit)
{
	if (context.invocation.json)
		context.out << toJsonLine(line) << "\n";
	else
		context.out << logLineText(line, context.style, showUnit) << "\n";
	context.out.flush();
}

/* Prints the stream's lines until the service or the user ends it. */
void follow(CommandContext &context, int fd, bool showUnit)
{
	std::string pending;
	char buffer[4096];
	ssize_t got;
	while ((got = ::read(fd, buffer, sizeof(buffer))) > 0) {
		pending.append(buffer, static_cast<std::size_t>(got));
		std::size_t end;
		while ((end = pending.find('\n')) != std::string::npos) {
			if (const auto line = parseLogEntryJson(pending.substr(0, end)))
				print(context, *line, showUnit);
			pending.erase(0, end + 1);
		}
	}
}

/* "3.2M", "812K", "120B", as systemctl shows memory. */
std::string bytesText(std::uint64_t bytes)
{
	const char *units = "BKMGT";
	double value = static_cast<double>(bytes);
	while (value >= 1024 && units[1]) {
		value /= 1024;
		++units;
	}
	char text[32];
	std::snprintf(text, sizeof(text), *units == 'B' ? "%.0f%c" : "%.1f%c", value, *units);
	return text;
}

std::string timeText(std::uint64_t usec)
{
	const std::time_t seconds = static_cast<std::time_t>(usec / 1000000);
	std::tm local{};
	localtime_r(&seconds, &local);
	char text[64];
	std::strftime(text, sizeof(text), "%a %Y-%m-%d %H:%M:%S %Z", &local);
	return text;
}

/* systemd's "not accounted" for the counters. */
constexpr std::uint64_t kUnset = UINT64_MAX;

std::string unitStatusText(const std::string &unit, const Properties &p, const Style &style)
{
	const auto text = [&](const char *name) {
		return terminalLine(propertyOr<std::string>(p, name, ""));
	};
	const std::string active = text("ActiveState");
	const Colour colour = active == "active"   ? Colour::Good
			      : active == "failed" ? Colour::Bad
						   : Colour::None;
	std::string out = style.paint("●", colour) + " " + unit;
	if (!text("Description").empty())
		out += " - " + text("Description");
	out += "\n     Loaded: " + text("LoadState");
	std::string where = text("FragmentPath");
	if (!text("UnitFileState").empty())
		where += (where.empty() ? "" : "; ") + text("UnitFileState");
	if (!where.empty())
		out += " (" + where + ")";

	out += "\n     Active: " + style.paint(active + " (" + text("SubState") + ")", colour);
	const std::uint64_t since = propertyOr<std::uint64_t>(p, "StateChangeTimestamp", 0);
	if (since)
		out += " since " + timeText(since);
	const std::uint32_t restarts = propertyOr<std::uint32_t>(p, "NRestarts", 0);
	out += "; " + std::to_string(restarts) + (restarts == 1 ? " restart" : " restarts");

	const std::uint32_t pid = propertyOr<std::uint32_t>(p, "MainPID", 0);
	if (pid)
		out += "\n   Main PID: " + std::to_string(pid);
	const std::uint64_t tasks = propertyOr<std::uint64_t>(p, "TasksCurrent", kUnset);
	if (tasks != kUnset)
		out += "\n      Tasks: " + std::to_string(tasks);
	const std::uint64_t memory = propertyOr<std::uint64_t>(p, "MemoryCurrent", kUnset);
	if (memory != kUnset)
		out += "\n     Memory: " + bytesText(memory);
	const std::uint64_t cpu = propertyOr<std::uint64_t>(p, "CPUUsageNSec", kUnset);
	if (cpu != kUnset)
		out += "\n        CPU: " + std::to_string(cpu / 1000000) + "ms";

	const std::string result = text("Result");
	if (!result.empty() && result != "success") {
		const std::int32_t code = propertyOr<std::int32_t>(p, "ExecMainCode", 0);
		const std::int32_t status = propertyOr<std::int32_t>(p, "ExecMainStatus", 0);
		std::string failure = "Result=" + result;
		if (code == 1)
			failure += ", exit status " + std::to_string(status);
		else if (code != 0)
			failure += ", signal " + std::to_string(status);
		out += "\nLast failure: " + style.paint(failure, Colour::Bad);
	}
	return out + "\n";
}

std::string unitStatusJson(const std::string &unit, const Properties &p)
{
	JsonWriter json;
	json.beginObject().key("unit").value(unit);
	for (const auto &[name, value] : p) {
		json.key(name);
		if (value.containsValueOfType<std::string>())
			json.value(value.get<std::string>());
		else if (value.containsValueOfType<std::uint64_t>())
			json.value(static_cast<std::int64_t>(value.get<std::uint64_t>()));
		else if (value.containsValueOfType<std::uint32_t>())
			json.value(static_cast<std::int64_t>(value.get<std::uint32_t>()));
		else if (value.containsValueOfType<std::int32_t>())
			json.value(static_cast<std::int64_t>(value.get<std::int32_t>()));
		else
			json.null();
	}
	json.endObject();
	return json.str();
}

} /* namespace */

int runLogs(CommandContext &context)
{
	const Invocation &invocation = context.invocation;
	const std::string &name = invocation.arguments.front();

	std::optional<std::uint64_t> since;
	if (!invocation.since.empty()) {
		since = parseSince(invocation.since, nowUsec());
		if (!since) {
			std::fprintf(stderr,
				     "plinthctl: --since takes YYYY-MM-DD [HH:MM:SS], HH:MM[:SS] "
				     "or -N{s,m,h,d}, not '%s'\n",
				     invocation.since.c_str());
			return ExitUsage;
		}
	}

	bool unit = false;
	const auto rows = askAppOrUnit(
		context.service, name, unit,
		[&](const std::string &app) {
			return context.service.GetAppLogs(app, invocation.lines, "");
		},
		[&](const std::string &unitName) {
			return context.service.GetUnitLogs(unitName, invocation.lines, "");
		});
	std::string cursor;
	bool printed = false;
	for (const auto &row : rows) {
		const LogEntry line{row.get<0>(), row.get<1>(), row.get<2>(), row.get<3>(),
				    row.get<4>(), row.get<5>(), row.get<6>()};
		cursor = line.cursor;
		if (!since || line.realtimeUsec >= *since) {
			print(context, line, !unit);
			printed = true;
		}
	}
	/* As journalctl says it: an empty answer is no failure, but a person should know. */
	if (!printed && !invocation.follow && !invocation.json)
		context.out << "-- No entries --\n";
	if (!invocation.follow)
		return ExitSuccess;

	const sdbus::UnixFd stream = unit ? context.service.FollowUnitLogs(name, cursor)
					  : context.service.FollowAppLogs(name, cursor);
	follow(context, stream.get(), !unit);
	return ExitSuccess;
}

int runUnitStatus(CommandContext &context, const std::string &name)
{
	const std::string unit = mangleUnitName(name);
	const Properties status = context.service.GetUnitStatus(unit);
	if (context.invocation.json)
		context.out << unitStatusJson(unit, status) << "\n";
	else
		context.out << unitStatusText(unit, status, context.style);
	/* As systemctl status: 4 for a unit systemd does not know, 3 for one that is not active. */
	if (propertyOr<std::string>(status, "LoadState", "") == "not-found")
		return ExitNotFound;
	const std::string active = propertyOr<std::string>(status, "ActiveState", "");
	return active == "active" || active == "reloading" ? ExitSuccess : ExitNotInState;
}

int runRepair(CommandContext &context)
{
	std::vector<AppDiagnosis> apps;
	for (const std::string &app : context.invocation.arguments)
		apps.push_back({app, context.service.repair(app)});

	return printDiagnosis(context, apps);
}

} /* namespace plinth */

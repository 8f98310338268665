/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "arguments.h"

#include <charconv>
#include <optional>
#include <string_view>

#include "command_table.h"

namespace plinth {

namespace {

/* The value of an option that takes one: "--opt=V", "-HV", or the next argument. */
class ArgumentCursor
{
public:
	explicit ArgumentCursor(const std::vector<std::string> &argv) : argv_(argv) {}

	bool done() const { return next_ >= argv_.size(); }
	const std::string &take() { return argv_[next_++]; }

	std::string valueFor(std::string_view option, std::optional<std::string> inlineValue)
	{
		if (inlineValue) {
			if (inlineValue->empty())
				throw UsageError("option '" + std::string(option) +
						 "' needs a non-empty value");
			return *inlineValue;
		}
		if (done())
			throw UsageError("option '" + std::string(option) + "' needs a value");
		std::string value = take();
		if (value.empty())
			throw UsageError("option '" + std::string(option) +
					 "' needs a non-empty value");
		return value;
	}

private:
	const std::vector<std::string> &argv_;
	std::size_t next_ = 0;
};

void setBus(Invocation &invocation, bool &busGiven, BusTarget target)
{
	if (busGiven)
		throw UsageError("give only one of --system, --session, --address and --host");
	busGiven = true;
	invocation.bus = std::move(target);
}

/* -n's value: 1 to 10000, as the service takes it. */
std::uint32_t lineCount(const std::string &value)
{
	std::uint32_t count = 0;
	const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), count);
	if (ec != std::errc() || end != value.data() + value.size() || count < 1 || count > 10000)
		throw UsageError("-n needs a number of lines from 1 to 10000, not '" + value + "'");
	return count;
}

void checkArity(const Invocation &invocation)
{
	const CommandSpec *spec = findCommand(invocation.command);
	if (!spec)
		throw UsageError("unknown command '" + invocation.command + "'");

	const int count = static_cast<int>(invocation.arguments.size());
	if (count < spec->minArguments)
		throw UsageError("'" + invocation.command + "' needs " +
				 std::string(spec->arguments));
	if (spec->maxArguments != kAnyNumber && count > spec->maxArguments)
		throw UsageError("too many arguments for '" + invocation.command + "'");

	const bool logOption = invocation.lines || invocation.follow || !invocation.since.empty();
	if (logOption && invocation.command != "logs")
		throw UsageError("-n, --follow and --since are options of 'logs' only");
	if (invocation.all && invocation.command != "diagnose")
		throw UsageError("--all is an option of 'diagnose' only");
	if (invocation.all && count > 0)
		throw UsageError("give either apps or --all to 'diagnose', not both");
}

} /* namespace */

Invocation parseArguments(const std::vector<std::string> &argv)
{
	Invocation invocation;
	std::vector<std::string> words;
	bool busGiven = false;
	bool optionsEnded = false;

	ArgumentCursor cursor(argv);
	while (!cursor.done()) {
		const std::string &arg = cursor.take();
		if (optionsEnded || arg.size() < 2 || arg[0] != '-') {
			words.push_back(arg);
			continue;
		}

		std::string name = arg;
		std::optional<std::string> inlineValue;
		if (arg.starts_with("--")) {
			if (const std::size_t eq = arg.find('='); eq != std::string::npos) {
				name = arg.substr(0, eq);
				inlineValue = arg.substr(eq + 1);
			}
		} else if (arg.size() > 2) {
			/* -Hhost */
			name = arg.substr(0, 2);
			inlineValue = arg.substr(2);
		}

		const bool takesValue = name == "--address" || name == "--host" || name == "-H" ||
					name == "-n" || name == "--lines" || name == "--since";
		if (inlineValue && !takesValue)
			throw UsageError("option '" + name + "' takes no value");

		if (name == "--") {
			optionsEnded = true;
		} else if (name == "--json") {
			invocation.json = true;
		} else if (name == "--no-ask-password") {
			invocation.askPassword = false;
		} else if (name == "--all") {
			invocation.all = true;
		} else if (name == "-n" || name == "--lines") {
			invocation.lines = lineCount(cursor.valueFor(name, inlineValue));
		} else if (name == "-f" || name == "--follow") {
			invocation.follow = true;
		} else if (name == "--since") {
			invocation.since = cursor.valueFor(name, inlineValue);
		} else if (name == "-h" || name == "--help") {
			invocation.help = true;
		} else if (name == "--version") {
			invocation.version = true;
		} else if (name == "--system") {
			setBus(invocation, busGiven, {BusTarget::Type::System, {}});
		} else if (name == "--session") {
			setBus(invocation, busGiven, {BusTarget::Type::Session, {}});
		} else if (name == "--address") {
			setBus(invocation, busGiven,
			       {BusTarget::Type::Address, cursor.valueFor(name, inlineValue)});
		} else if (name == "-H" || name == "--host") {
			setBus(invocation, busGiven,
			       {BusTarget::Type::Host, cursor.valueFor(name, inlineValue)});
		} else {
			throw UsageError("unknown option '" + arg + "'");
		}
	}

	if (invocation.help || invocation.version)
		return invocation;

	if (words.empty()) {
		invocation.command = "list";
	} else {
		invocation.command = words.front();
		invocation.arguments.assign(words.begin() + 1, words.end());
	}
	checkArity(invocation);
	return invocation;
}

std::string usage()
{
	std::string text = "Usage: plinthctl [OPTION]... COMMAND [ARGUMENT]...\n"
			   "Manage apps and their daemons through the plinth-daemons service.\n"
			   "\n"
			   "Commands:\n";
	for (const CommandSpec &spec : commandSpecs()) {
		if (spec.hidden)
			continue;
		std::string synopsis = "  " + std::string(spec.name);
		if (!spec.arguments.empty())
			synopsis += " " + std::string(spec.arguments);
		synopsis.resize(std::max<std::size_t>(synopsis.size() + 1, 32), ' ');
		text += synopsis + std::string(spec.summary) + "\n";
	}
	text += "\n"
		"Options:\n"
		"  --json                        print JSON (see plinthctl(1))\n"
		"  --system                      talk to the service on the system bus (default)\n"
		"  --session                     talk to the service on the session bus\n"
		"  --address ADDRESS             talk to the service on the bus at ADDRESS\n"
		"  -H, --host [USER@]HOST        talk to the service of HOST over ssh\n"
		"  --no-ask-password             never ask for a password to authorize\n"
		"  --all                         diagnose: every app (the default)\n"
		"  -n, --lines N                 logs: the last N lines (default 200)\n"
		"  -f, --follow                  logs: then print new lines as they come\n"
		"  --since WHEN                  logs: of the last N lines, those since WHEN\n"
		"                                (YYYY-MM-DD [HH:MM:SS], HH:MM[:SS] today,\n"
		"                                or -N{s,m,h,d} ago)\n"
		"  -h, --help                    show this help\n"
		"  --version                     show plinthctl's version\n"
		"\n"
		"Exit status: 0 success, 1 failure, 2 usage, 3 not enabled, not running or\n"
		"not active, 4 no such app or unit, 5 not authorized.\n";
	return text;
}

bool namesUnit(const std::string &name)
{
	return name.find_first_of(".@") != std::string::npos;
}

} /* namespace plinth */

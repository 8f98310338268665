/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Signals as any bus peer can send them: any sender and destination, and a body of any D-Bus
 * type, on each path, interface and member the service listens to. The gate lets through only
 * what its real sender broadcast, and every reader a handler uses either reads a body of the
 * types it expects or throws, which the gate turns into a dropped signal: nothing escapes.
 *
 * The input is: one byte choosing the signal, one choosing its sender and destination, a
 * signature (up to a NUL), then the bytes its values are made of. The bus daemon checks the
 * wire format before a peer's message reaches us, so the body is built with sd-bus itself:
 * what a peer controls is the types and the values.
 */
#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <systemd/sd-bus.h>

#include "built_signal.h"
#include "require.h"
#include "signal_checks.h"
#include "systemd_signals.h"
#include "unit_properties.h"

namespace {

using namespace plinth;

const std::string kSystemd = "org.freedesktop.systemd1";
const std::string kOwner = ":1.7";

struct Kind {
	const char *path;
	const char *interface;
	const char *member;
	/* The body its reader expects, as a prefix of what it accepts. */
	std::string_view signature;
};

constexpr Kind kKinds[] = {
	{"/org/freedesktop/DBus", "org.freedesktop.DBus", "NameOwnerChanged", "sss"},
	{"/org/freedesktop/systemd1", "org.freedesktop.systemd1.Manager", "JobRemoved", "uoss"},
	{"/org/freedesktop/systemd1", "org.freedesktop.systemd1.Manager", "UnitNew", "so"},
	{"/org/freedesktop/systemd1", "org.freedesktop.systemd1.Manager", "UnitRemoved", "so"},
	{"/org/freedesktop/systemd1", "org.freedesktop.systemd1.Manager", "UnitFilesChanged", ""},
	{"/org/freedesktop/systemd1", "org.freedesktop.systemd1.Manager", "Reloading", "b"},
	{"/org/freedesktop/systemd1/unit/web_2eservice", "org.freedesktop.DBus.Properties",
	 "PropertiesChanged", "sa{sv}as"},
	{"/org/freedesktop/systemd1", "org.freedesktop.DBus.Properties", "PropertiesChanged",
	 "sa{sv}as"},
};

constexpr const char *kSenders[] = {"org.freedesktop.DBus", ":1.7", ":1.8", ""};
constexpr const char *kDestinations[] = {"", ":1.3", ":1.4"};
constexpr const char *kPaths[] = {"/", "/org/freedesktop/systemd1/job/1",
				  "/org/freedesktop/systemd1/unit/web_2eservice"};
constexpr const char *kSignatures[] = {"", "s", "a{sv}", "(uo)", "v"};

/* Reads the values of one signature's types from the input, as far as it goes. */
class BodyWriter
{
public:
	BodyWriter(sd_bus_message *message, std::string_view input)
		: message_(message), input_(input)
	{
	}

	/* False where sd-bus refused the signature or a value. */
	bool write(std::string_view signature)
	{
		while (!signature.empty()) {
			const std::size_t length = completeTypeLength(signature);
			if (length == 0 || !writeOne(signature.substr(0, length), 0))
				return false;
			signature.remove_prefix(length);
		}
		return true;
	}

private:
	static constexpr int kMaxDepth = 8;

	/* The length of the first complete type, or 0 where it is not one. */
	static std::size_t completeTypeLength(std::string_view signature)
	{
		if (signature.empty())
			return 0;
		if (signature[0] == 'a') {
			const std::size_t element = completeTypeLength(signature.substr(1));
			return element == 0 ? 0 : element + 1;
		}
		if (signature[0] != '(' && signature[0] != '{')
			return 1;
		const char close = signature[0] == '(' ? ')' : '}';
		std::size_t at = 1;
		while (at < signature.size() && signature[at] != close) {
			const std::size_t member = completeTypeLength(signature.substr(at));
			if (member == 0)
				return 0;
			at += member;
		}
		return at < signature.size() ? at + 1 : 0;
	}

	std::uint8_t byte()
	{
		if (input_.empty())
			return 0;
		const auto value = static_cast<std::uint8_t>(input_.front());
		input_.remove_prefix(1);
		return value;
	}

	std::uint64_t number(std::size_t bytes)
	{
		std::uint64_t value = 0;
		for (std::size_t i = 0; i < bytes; i++)
			value = value << 8 | byte();
		return value;
	}

	std::string text()
	{
		std::string value;
		for (std::size_t length = byte() % 24; length > 0; length--) {
			/* Printable ASCII as it is, so that seeds read as what they send. */
			const std::uint8_t c = byte();
			value += static_cast<char>(c >= ' ' && c <= '~' ? c : ' ' + c % 95);
		}
		return value;
	}

	bool writeOne(std::string_view type, int depth)
	{
		if (depth > kMaxDepth)
			return false;
		const std::string contents(type.substr(1, type.size() - (type[0] == 'a' ? 1 : 2)));
		switch (type[0]) {
		case 'a': {
			if (sd_bus_message_open_container(message_, 'a', contents.c_str()) < 0)
				return false;
			for (unsigned n = byte() % 4; n > 0; n--) {
				if (!writeOne(contents, depth + 1))
					return false;
			}
			return sd_bus_message_close_container(message_) >= 0;
		}
		case '(':
		case '{': {
			if (sd_bus_message_open_container(message_, type[0] == '(' ? 'r' : 'e',
							  contents.c_str()) < 0)
				return false;
			std::string_view members = contents;
			while (!members.empty()) {
				const std::size_t length = completeTypeLength(members);
				if (length == 0 || !writeOne(members.substr(0, length), depth + 1))
					return false;
				members.remove_prefix(length);
			}
			return sd_bus_message_close_container(message_) >= 0;
		}
		case 'v': {
			const std::string inner = byte() % 2 ? std::string(1, "sbuita"[byte() % 5])
							     : std::string("as");
			return sd_bus_message_open_container(message_, 'v', inner.c_str()) >= 0 &&
			       writeOne(inner, depth + 1) &&
			       sd_bus_message_close_container(message_) >= 0;
		}
		default:
			return writeBasic(type[0]);
		}
	}

	bool writeBasic(char type)
	{
		/* sd-bus reads each type's value at its own width. */
		std::uint8_t u8 = 0;
		int truth = 0;
		std::uint16_t u16 = 0;
		std::uint32_t u32 = 0;
		std::uint64_t u64 = 0;
		std::string textValue;
		const void *pointer = nullptr;
		switch (type) {
		case 'y':
			u8 = byte();
			pointer = &u8;
			break;
		case 'b':
			truth = byte() % 2;
			pointer = &truth;
			break;
		case 'n':
		case 'q':
			u16 = static_cast<std::uint16_t>(number(2));
			pointer = &u16;
			break;
		case 'i':
		case 'u':
			u32 = static_cast<std::uint32_t>(number(4));
			pointer = &u32;
			break;
		case 'x':
		case 't':
		case 'd':
			u64 = number(8);
			pointer = &u64;
			break;
		case 's':
			textValue = text();
			pointer = textValue.c_str();
			break;
		case 'o':
			pointer = kPaths[byte() % std::size(kPaths)];
			break;
		case 'g':
			pointer = kSignatures[byte() % std::size(kSignatures)];
			break;
		default:
			/* No fds ('h'), and nothing sd-bus does not know. */
			return false;
		}
		return sd_bus_message_append_basic(message_, type, pointer) >= 0;
	}

	sd_bus_message *message_;
	std::string_view input_;
};

bool startsWith(const char *signature, std::string_view expected)
{
	return std::string_view(signature ? signature : "").starts_with(expected);
}

/* One signal as the input describes it; nothing where sd-bus refused it. */
struct Forgery {
	const Kind &kind;
	std::string sender;
	std::string destination;
	std::string signature;
	std::string_view values;

	struct Built {
		std::unique_ptr<test::BuiltSignal> signal;
		std::unique_ptr<RawBuiltMessage> message;
	};

	std::optional<Built> build() const
	{
		auto signal =
			std::make_unique<test::BuiltSignal>(kind.path, kind.interface, kind.member);
		if (!BodyWriter(signal->raw(), values).write(signature))
			return std::nullopt;
		std::unique_ptr<RawBuiltMessage> message = signal->done(sender, destination);
		if (!message)
			return std::nullopt;
		return Built{std::move(signal), std::move(message)};
	}
};

/*
 * Each reader a handler behind the gate uses, on a fresh copy of a signal that passed it
 * (sdbus-c++ remembers a read past the end until the message goes).
 */
void readAll(const Forgery &forgery, SignalCounts &counts)
{
	const auto read = [&](std::string_view expected, const SignalHandler &reader) {
		std::optional<Forgery::Built> built = forgery.build();
		require(built.has_value());
		const std::uint64_t delivered = counts.delivered;
		deliverSignal(*built->message, reader, counts);
		/* A reader that succeeds read the types it expects. */
		if (counts.delivered != delivered)
			require(startsWith(sd_bus_message_get_signature(built->signal->raw(), 1),
					   expected));
	};
	read("sss", [](sdbus::Message &m) {
		const NameOwnerChange change = readNameOwnerChanged(m);
		require(change.name.size() < 65536);
	});
	read("uoss", [](sdbus::Message &m) { (void)readJobRemoved(m); });
	read("b", [](sdbus::Message &m) { (void)readReloadingStarts(m); });
	read("so", [](sdbus::Message &m) { (void)readUnitRemovedPath(m); });
	read("sa{sv}as", [](sdbus::Message &m) {
		const PropertiesChanged body = readPropertiesChanged(m);
		/* What the mirror and the property reader take from it, whatever the types. */
		for (const char *name : {"LoadState", "ActiveState", "SubState", "Id"})
			(void)propertyOr<std::string>(body.changed, name, "");
		(void)propertyOr<std::uint32_t>(body.changed, "MainPID", 0);
		(void)propertyOr<std::uint64_t>(body.changed, "NRestarts", 0);
	});
}

} /* namespace */

/* Every log line is formatted, as in the service, but goes nowhere. */
extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
	auto logger = std::make_shared<spdlog::logger>(
		"fuzz", std::make_shared<spdlog::sinks::null_sink_mt>());
	logger->set_level(spdlog::level::trace);
	spdlog::set_default_logger(std::move(logger));
	return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
	if (size < 2)
		return 0;
	std::string_view input(reinterpret_cast<const char *>(data), size);
	const auto routing = static_cast<std::uint8_t>(input[1]);
	Forgery forgery{kKinds[static_cast<std::uint8_t>(input[0]) % std::size(kKinds)],
			kSenders[routing % std::size(kSenders)],
			kDestinations[(routing / 4) % std::size(kDestinations)],
			{},
			{}};
	input.remove_prefix(2);
	const std::size_t end = input.find('\0');
	forgery.signature = input.substr(0, end);
	input.remove_prefix(end == std::string_view::npos ? input.size() : end + 1);
	forgery.values = input;

	const std::optional<Forgery::Built> built = forgery.build();
	if (!built)
		return 0;
	const sdbus::Message &signal = *built->message;
	const bool fromDriver = std::string_view(forgery.kind.member) == "NameOwnerChanged";
	const std::string expected = fromDriver ? kBusDriver : kSystemd;
	for (const std::optional<std::string> &owner :
	     {std::optional<std::string>(), std::optional<std::string>(""),
	      std::optional<std::string>(kOwner)}) {
		const SignalVerdict verdict =
			judgeSignal(expected, owner, senderOf(signal), destinationOf(signal));
		if (verdict != SignalVerdict::Deliver)
			continue;
		/* Only the real sender's signals pass; systemd's only when broadcast. */
		if (fromDriver)
			require(forgery.sender == kBusDriver);
		else
			require(owner && forgery.sender == *owner && forgery.destination.empty());
		SignalCounts counts;
		readAll(forgery, counts);
		require(counts.delivered + counts.malformed == 5);
	}
	return 0;
}

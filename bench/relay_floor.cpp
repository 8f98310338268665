/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "relay_floor.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <vector>

namespace plinth::bench {

namespace {

void check(int r, const char *what)
{
	if (r < 0)
		throw std::runtime_error(std::string("relay floor: ") + what + ": " +
					 std::strerror(-r));
}

std::size_t aligned(std::size_t offset, std::size_t alignment)
{
	return (offset + alignment - 1) / alignment * alignment;
}

/* The D-Bus marshalling alignment of a type code (dict entries and structs: 8). */
std::size_t alignmentOf(char type)
{
	switch (type) {
	case 'y':
	case 'g':
	case 'v':
		return 1;
	case 'n':
	case 'q':
		return 2;
	case 'b':
	case 'i':
	case 'u':
	case 'h':
	case 's':
	case 'o':
	case 'a':
		return 4;
	default:
		return 8;
	}
}

/* One step of writing a message again: a container opened or closed, or a basic value. */
struct Token {
	enum Kind { Open, Close, Basic } kind;
	char type;
	std::string contents;
	std::uint64_t number = 0;
};

/* Reads the rest of the current container of m into tokens. */
void readTokens(sd_bus_message *m, std::vector<Token> &tokens)
{
	char type = 0;
	const char *contents = nullptr;
	while (sd_bus_message_peek_type(m, &type, &contents) > 0) {
		if (type == 'a' || type == 'r' || type == 'e' || type == 'v') {
			tokens.push_back({Token::Open, type, contents ? contents : ""});
			check(sd_bus_message_enter_container(m, type, contents), "enter");
			readTokens(m, tokens);
			check(sd_bus_message_exit_container(m), "exit");
			tokens.push_back({Token::Close, type, {}});
			continue;
		}
		union {
			const char *text;
			std::uint64_t number;
		} value{};
		check(sd_bus_message_read_basic(m, type, &value), "read");
		if (type == 's' || type == 'o' || type == 'g')
			tokens.push_back({Token::Basic, type, value.text});
		else
			tokens.push_back({Token::Basic, type, {}, value.number});
	}
}

/* The whole body of m. */
std::vector<Token> tokensOf(sd_bus_message *m)
{
	std::vector<Token> tokens;
	check(sd_bus_message_rewind(m, 1), "rewind");
	readTokens(m, tokens);
	return tokens;
}

/* The size of tokens on the wire, in bytes. */
std::size_t wireSize(const std::vector<Token> &tokens)
{
	std::size_t offset = 0;
	for (const Token &token : tokens) {
		if (token.kind == Token::Close)
			continue;
		offset = aligned(offset, alignmentOf(token.type));
		if (token.kind == Token::Open) {
			if (token.type == 'a')
				offset = aligned(offset + 4,
						 alignmentOf(token.contents[0] == '{'
								     ? 'e'
								     : token.contents[0]));
			else if (token.type == 'v')
				offset += token.contents.size() + 2;
		} else if (token.type == 's' || token.type == 'o') {
			offset += 4 + token.contents.size() + 1;
		} else if (token.type == 'g') {
			offset += 1 + token.contents.size() + 1;
		} else {
			offset += token.type == 'y' ? 1
				  : token.type == 'n' || token.type == 'q'
					  ? 2
					  : alignmentOf(token.type);
		}
	}
	return offset;
}

} /* namespace */

RelayFloor::RelayFloor(const std::string &busAddress)
{
	check(sd_bus_new(&bus_), "sd_bus_new");
	check(sd_bus_set_address(bus_, busAddress.c_str()), "sd_bus_set_address");
	check(sd_bus_set_bus_client(bus_, 1), "sd_bus_set_bus_client");
	check(sd_bus_start(bus_), "sd_bus_start");
	const char *unique = nullptr;
	check(sd_bus_get_unique_name(bus_, &unique), "sd_bus_get_unique_name");
	name_ = unique;
}

RelayFloor::~RelayFloor()
{
	stop_ = true;
	if (thread_.joinable())
		thread_.join();
	sd_bus_slot_unref(slot_);
	sd_bus_message_unref(kept_);
	sd_bus_flush_close_unref(bus_);
}

void RelayFloor::keep(const std::string &destination, const std::string &path,
		      const std::string &interface, const std::string &method)
{
	sd_bus_error error = SD_BUS_ERROR_NULL;
	const int r = sd_bus_call_method(bus_, destination.c_str(), path.c_str(), interface.c_str(),
					 method.c_str(), &error, &kept_, "");
	sd_bus_error_free(&error);
	check(r, "the call to keep");
}

std::size_t RelayFloor::keptBodyBytes() const
{
	return wireSize(tokensOf(kept_));
}

double RelayFloor::marshalMilliseconds(int runs) const
{
	const std::vector<Token> tokens = tokensOf(kept_);
	std::vector<double> times;
	for (int i = 0; i < runs; i++) {
		const auto start = std::chrono::steady_clock::now();
		sd_bus_message *m = nullptr;
		check(sd_bus_message_new_method_call(bus_, &m, name_.c_str(), kPath, kInterface,
						     "Marshal"),
		      "new message");
		for (const Token &token : tokens) {
			if (token.kind == Token::Open)
				check(sd_bus_message_open_container(m, token.type,
								    token.contents.c_str()),
				      "open");
			else if (token.kind == Token::Close)
				check(sd_bus_message_close_container(m), "close");
			else if (token.type == 's' || token.type == 'o' || token.type == 'g')
				check(sd_bus_message_append_basic(m, token.type,
								  token.contents.c_str()),
				      "append");
			else
				check(sd_bus_message_append_basic(m, token.type, &token.number),
				      "append");
		}
		check(sd_bus_message_seal(m, 1, 0), "seal");
		times.push_back(std::chrono::duration<double, std::milli>(
					std::chrono::steady_clock::now() - start)
					.count());
		sd_bus_message_unref(m);
	}
	std::sort(times.begin(), times.end());
	return times[times.size() / 2];
}

void RelayFloor::serve()
{
	/* Replay answers with the kept reply's signature, which introspection shows. */
	replaySignature_ = kept_ ? sd_bus_message_get_signature(kept_, 1) : "";
	vtable_ = {
		SD_BUS_VTABLE_START(0),
		SD_BUS_METHOD("Blob", "u", "ay", &RelayFloor::blob, 0),
		SD_BUS_METHOD("Replay", "", replaySignature_.c_str(), &RelayFloor::replay, 0),
		SD_BUS_VTABLE_END,
	};
	check(sd_bus_add_object_vtable(bus_, &slot_, kPath, kInterface, vtable_.data(), this),
	      "sd_bus_add_object_vtable");

	thread_ = std::thread([this] {
		while (!stop_) {
			const int r = sd_bus_process(bus_, nullptr);
			if (r < 0)
				return;
			if (r == 0)
				sd_bus_wait(bus_, 50'000);
		}
	});
}

int RelayFloor::blob(sd_bus_message *call, void *, sd_bus_error *)
{
	std::uint32_t size = 0;
	int r = sd_bus_message_read(call, "u", &size);
	if (r < 0)
		return r;
	sd_bus_message *reply = nullptr;
	r = sd_bus_message_new_method_return(call, &reply);
	if (r < 0)
		return r;
	void *bytes = nullptr;
	r = sd_bus_message_append_array_space(reply, 'y', size, &bytes);
	if (r >= 0) {
		std::memset(bytes, 'x', size);
		r = sd_bus_send(nullptr, reply, nullptr);
	}
	sd_bus_message_unref(reply);
	return r;
}

int RelayFloor::replay(sd_bus_message *call, void *userdata, sd_bus_error *)
{
	auto *self = static_cast<RelayFloor *>(userdata);
	sd_bus_message *reply = nullptr;
	int r = sd_bus_message_new_method_return(call, &reply);
	if (r < 0)
		return r;
	r = sd_bus_message_rewind(self->kept_, 1);
	if (r >= 0)
		r = sd_bus_message_copy(reply, self->kept_, 1);
	if (r >= 0)
		r = sd_bus_send(nullptr, reply, nullptr);
	sd_bus_message_unref(reply);
	return r;
}

} /* namespace plinth::bench */

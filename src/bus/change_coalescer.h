/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <set>
#include <string>

namespace plinth {

/*
 * Collects the keys marked changed while the loop runs one batch of work (one systemd
 * signal may touch a unit and several apps, each several times) and hands them over once,
 * from a function posted to the loop, so that each key is flushed once per batch. At most
 * kMaxKeysPerFlush at a time: the rest follow from functions posted again, so that a change
 * of every key (a round of checks over 1000 apps) lets the loop answer others in between;
 * the keys flushFirst picks go before all others (the objects: units before apps).
 */
class ChangeCoalescer
{
public:
	static constexpr std::size_t kMaxKeysPerFlush = 100;

	/* Runs a function on the loop thread later, as EventLoop::post does. */
	using Post = std::function<void(std::function<void()>)>;
	using Flush = std::function<void(const std::set<std::string> &keys)>;
	using Pick = std::function<bool(const std::string &key)>;

	/* flushFirst may be empty: every key alike. */
	ChangeCoalescer(Post post, Flush flush, Pick flushFirst = {});
	~ChangeCoalescer();
	ChangeCoalescer(const ChangeCoalescer &) = delete;
	ChangeCoalescer &operator=(const ChangeCoalescer &) = delete;

	/* Keys marked during a flush are flushed by the next one. */
	void mark(const std::string &key);

private:
	struct Pending {
		Post post;
		Flush flush;
		Pick flushFirst;
		std::set<std::string> keys;
		bool posted = false;
	};

	static void postFlush(const std::shared_ptr<Pending> &pending);
	/* Moves the next keys to flush out of pending: those picked first, then the others. */
	static std::set<std::string> takeBatch(Pending &pending);

	/* Shared with the posted function, which must do nothing once the coalescer is gone. */
	std::shared_ptr<Pending> pending_;
};

} /* namespace plinth */

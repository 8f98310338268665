/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <utility>
#include <vector>

namespace plinth {

/*
 * Handlers several parts of the service listen with (the flat interface's signals, the
 * objects' PropertiesChanged). Adding one returns a Subscription; the handler stays until
 * the Subscription is destroyed, which must happen before the Listeners are.
 */
template<typename... Args>
class Listeners
{
public:
	using Handler = std::function<void(const Args &...)>;

	class [[nodiscard]] Subscription
	{
	public:
		Subscription() = default;
		Subscription(Listeners *owner, std::uint64_t id) : owner_(owner), id_(id) {}
		~Subscription() { reset(); }
		Subscription(Subscription &&other) noexcept
			: owner_(std::exchange(other.owner_, nullptr)), id_(other.id_)
		{
		}
		Subscription &operator=(Subscription &&other) noexcept
		{
			if (this != &other) {
				reset();
				owner_ = std::exchange(other.owner_, nullptr);
				id_ = other.id_;
			}
			return *this;
		}

		void reset()
		{
			if (owner_)
				owner_->handlers_.erase(id_);
			owner_ = nullptr;
		}

	private:
		Listeners *owner_ = nullptr;
		std::uint64_t id_ = 0;
	};

	Subscription add(Handler handler)
	{
		handlers_.emplace(++lastId_, std::move(handler));
		return Subscription(this, lastId_);
	}

	/* A handler may remove other handlers meanwhile; those are not called then. */
	void notify(const Args &...args)
	{
		std::vector<std::uint64_t> ids;
		ids.reserve(handlers_.size());
		for (const auto &entry : handlers_)
			ids.push_back(entry.first);
		for (std::uint64_t id : ids) {
			const auto it = handlers_.find(id);
			if (it != handlers_.end())
				it->second(args...);
		}
	}

private:
	std::map<std::uint64_t, Handler> handlers_;
	std::uint64_t lastId_ = 0;
};

} /* namespace plinth */

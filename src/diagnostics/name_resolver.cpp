/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "name_resolver.h"

#include <netdb.h>
#include <spdlog/spdlog.h>

#include <condition_variable>
#include <cstring>
#include <deque>
#include <map>
#include <mutex>
#include <thread>
#include <utility>

namespace plinth {

Resolution resolveNow(const std::string &host, std::uint16_t port, bool numericOnly)
{
	addrinfo hints{};
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICSERV | (numericOnly ? AI_NUMERICHOST : 0);
	addrinfo *found = nullptr;
	const std::string service = std::to_string(port);
	const int status = getaddrinfo(host.c_str(), service.c_str(), &hints, &found);
	if (status != 0)
		return {{}, gai_strerror(status)};

	Resolution resolution;
	for (const addrinfo *address = found; address; address = address->ai_next) {
		if (address->ai_addrlen > sizeof(sockaddr_storage))
			continue;
		SocketAddress &out = resolution.addresses.emplace_back();
		out.family = address->ai_family;
		out.type = address->ai_socktype;
		out.protocol = address->ai_protocol;
		std::memcpy(&out.storage, address->ai_addr, address->ai_addrlen);
		out.length = address->ai_addrlen;
	}
	freeaddrinfo(found);
	return resolution;
}

class NameResolver::Private
{
public:
	Private() : thread_([this] { work(); }) {}

	~Private()
	{
		{
			const std::lock_guard lock(mutex_);
			stopping_ = true;
		}
		wake_.notify_one();
		thread_.join();
	}

	std::shared_future<Resolution> resolve(const std::string &host, std::uint16_t port);

private:
	using Key = std::pair<std::string, std::uint16_t>;

	void work();

	std::mutex mutex_;
	std::condition_variable wake_;
	/* Look-ups not answered yet, in the order asked; each key at most once. */
	std::deque<Key> queue_;
	std::map<Key, std::pair<std::promise<Resolution>, std::shared_future<Resolution>>> pending_;
	bool stopping_ = false;
	/* Last member: it starts once everything it uses exists. */
	std::thread thread_;
};

std::shared_future<Resolution> NameResolver::Private::resolve(const std::string &host,
							      std::uint16_t port)
{
	Resolution numeric = resolveNow(host, port, true);
	if (numeric.error.empty()) {
		std::promise<Resolution> answered;
		answered.set_value(std::move(numeric));
		return answered.get_future().share();
	}

	const std::lock_guard lock(mutex_);
	const Key key{host, port};
	auto it = pending_.find(key);
	if (it == pending_.end()) {
		std::promise<Resolution> promise;
		std::shared_future<Resolution> future = promise.get_future().share();
		it = pending_.emplace(key, std::make_pair(std::move(promise), future)).first;
		queue_.push_back(key);
		wake_.notify_one();
	}
	return it->second.second;
}

void NameResolver::Private::work()
{
	std::unique_lock lock(mutex_);
	for (;;) {
		wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
		if (stopping_)
			return;
		const Key key = std::move(queue_.front());
		queue_.pop_front();

		lock.unlock();
		Resolution resolution;
		try {
			resolution = resolveNow(key.first, key.second, false);
		} catch (const std::exception &e) {
			resolution.error = e.what();
		}
		if (!resolution.error.empty())
			spdlog::debug("connect check: cannot resolve {}: {}", key.first,
				      resolution.error);
		lock.lock();

		const auto it = pending_.find(key);
		it->second.first.set_value(std::move(resolution));
		pending_.erase(it);
	}
}

NameResolver::NameResolver() : d_(std::make_unique<Private>())
{
}

NameResolver::~NameResolver() = default;

std::shared_future<Resolution> NameResolver::resolve(const std::string &host, std::uint16_t port)
{
	return d_->resolve(host, port);
}

} /* namespace plinth */

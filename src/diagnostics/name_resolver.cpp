/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "name_resolver.h"

#include <netdb.h>
#include <spdlog/spdlog.h>

#include <cstring>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>

#include "work_queue.h"

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
		queue_.stop();
		thread_.join();
	}

	std::shared_future<Resolution> resolve(const std::string &host, std::uint16_t port);

private:
	using Key = std::pair<std::string, std::uint16_t>;

	void work();

	/* Look-ups not answered yet, in the order asked; each key at most once. */
	WorkQueue<Key> queue_;
	std::mutex mutex_;
	std::map<Key, std::pair<std::promise<Resolution>, std::shared_future<Resolution>>> pending_;
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
		queue_.push(key);
	}
	return it->second.second;
}

void NameResolver::Private::work()
{
	while (std::optional<std::vector<Key>> keys = queue_.takeAll()) {
		for (const Key &key : *keys) {
			if (queue_.stopped())
				return;
			Resolution resolution;
			try {
				resolution = resolveNow(key.first, key.second, false);
			} catch (const std::exception &e) {
				resolution.error = e.what();
			}
			if (!resolution.error.empty())
				spdlog::debug("connect check: cannot resolve {}: {}", key.first,
					      resolution.error);

			const std::lock_guard lock(mutex_);
			const auto it = pending_.find(key);
			it->second.first.set_value(std::move(resolution));
			pending_.erase(it);
		}
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

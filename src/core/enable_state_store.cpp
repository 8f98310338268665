/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "enable_state_store.h"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

#include <toml++/toml.h>

#include "identifier.h"

namespace plinth {

namespace {

constexpr std::string_view kEnabledKey = "enabled-apps";

[[noreturn]] void throwErrno(const std::string &what)
{
	throw std::system_error(errno, std::generic_category(), what);
}

/* Closes the descriptor and removes the temporary file unless the write went through. */
class TemporaryFile
{
public:
	explicit TemporaryFile(std::filesystem::path path) : path_(std::move(path))
	{
		fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (fd_ < 0)
			throwErrno("cannot create " + path_.string());
	}
	~TemporaryFile()
	{
		if (fd_ >= 0)
			::close(fd_);
		if (!committed_)
			::unlink(path_.c_str());
	}
	TemporaryFile(const TemporaryFile &) = delete;
	TemporaryFile &operator=(const TemporaryFile &) = delete;

	void writeAll(std::string_view data)
	{
		while (!data.empty()) {
			const ssize_t n = ::write(fd_, data.data(), data.size());
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0)
				throwErrno("cannot write " + path_.string());
			data.remove_prefix(static_cast<std::size_t>(n));
		}
	}

	void commitAs(const std::filesystem::path &target)
	{
		if (::fsync(fd_) < 0)
			throwErrno("cannot sync " + path_.string());
		if (::close(fd_) < 0) {
			fd_ = -1;
			throwErrno("cannot close " + path_.string());
		}
		fd_ = -1;
		if (::rename(path_.c_str(), target.c_str()) < 0)
			throwErrno("cannot replace " + target.string());
		committed_ = true;
	}

private:
	std::filesystem::path path_;
	int fd_ = -1;
	bool committed_ = false;
};

void syncDirectory(const std::filesystem::path &dir)
{
	/* Makes the rename itself durable; failing here loses nothing already written. */
	const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return;
	::fsync(fd);
	::close(fd);
}

} /* namespace */

EnableStateStore::EnableStateStore(std::filesystem::path file) : file_(std::move(file))
{
}

void EnableStateStore::load()
{
	enabledApps_.clear();

	std::error_code ec;
	if (!std::filesystem::exists(file_, ec))
		return;

	try {
		const toml::table table = toml::parse_file(file_.string());
		const toml::array *apps = table[kEnabledKey].as_array();
		if (!apps)
			throw std::runtime_error("no '" + std::string(kEnabledKey) + "' array");
		std::set<std::string, std::less<>> loaded;
		for (const toml::node &node : *apps) {
			const std::optional<std::string> id = node.value<std::string>();
			if (!id || !isValidIdentifier(*id))
				throw std::runtime_error("'" + std::string(kEnabledKey) +
							 "' holds something that is not an app id");
			loaded.insert(*id);
		}
		enabledApps_ = std::move(loaded);
	} catch (const toml::parse_error &e) {
		spdlog::error("{}:{}:{}: {}; treating every app without a daemon as disabled",
			      file_.string(), e.source().begin.line, e.source().begin.column,
			      e.description());
	} catch (const std::exception &e) {
		spdlog::error("{}: {}; treating every app without a daemon as disabled",
			      file_.string(), e.what());
	}
}

bool EnableStateStore::isEnabled(std::string_view appId) const
{
	return enabledApps_.contains(appId);
}

void EnableStateStore::setEnabled(std::string_view appId, bool enabled)
{
	if (isEnabled(appId) == enabled)
		return;

	std::set<std::string, std::less<>> apps = enabledApps_;
	if (enabled)
		apps.emplace(appId);
	else
		apps.erase(apps.find(appId));

	write(apps);
	enabledApps_ = std::move(apps);
}

void EnableStateStore::write(const std::set<std::string, std::less<>> &apps) const
{
	std::string text =
		"# Written by plinth-daemons: the apps without a daemon that are enabled.\n";
	text += std::string(kEnabledKey) + " = [";
	for (const std::string &id : apps)
		text += "\n    \"" + id + "\",";
	text += apps.empty() ? "]\n" : "\n]\n";

	TemporaryFile tmp(file_.string() + ".tmp");
	tmp.writeAll(text);
	tmp.commitAs(file_);
	syncDirectory(file_.parent_path());
}

} /* namespace plinth */

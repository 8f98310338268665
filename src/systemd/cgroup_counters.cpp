/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "cgroup_counters.h"

#include <fcntl.h>
#include <linux/magic.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <charconv>
#include <string_view>

namespace plinth {

namespace {

constexpr std::string_view kCgroupRoot = "/sys/fs/cgroup";

bool unifiedHierarchy()
{
	struct statfs root {
	};
	return ::statfs(kCgroupRoot.data(), &root) == 0 &&
	       root.f_type == static_cast<decltype(root.f_type)>(CGROUP2_SUPER_MAGIC);
}

/* The file's first bytes; the counters' files are a few dozen bytes, cpu.stat a few hundred. */
std::optional<std::string> readSmallFile(const std::string &path)
{
	const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return std::nullopt;
	char buffer[1024];
	const ssize_t size = ::read(fd, buffer, sizeof(buffer));
	::close(fd);
	if (size <= 0)
		return std::nullopt;
	return std::string(buffer, static_cast<std::size_t>(size));
}

std::optional<std::uint64_t> parseNumber(std::string_view text)
{
	std::uint64_t value = 0;
	const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
	if (error != std::errc() || end == text.data())
		return std::nullopt;
	return value;
}

std::optional<std::uint64_t> readNumber(const std::string &path)
{
	const std::optional<std::string> text = readSmallFile(path);
	return text ? parseNumber(*text) : std::nullopt;
}

/* cpu.stat holds "key value" lines; usage_usec is the first, but find it by name. */
std::optional<std::uint64_t> readKeyed(const std::string &path, std::string_view key)
{
	const std::optional<std::string> text = readSmallFile(path);
	if (!text)
		return std::nullopt;
	std::string_view rest = *text;
	while (!rest.empty()) {
		const std::size_t end = rest.find('\n');
		const std::string_view line = rest.substr(0, end);
		if (line.size() > key.size() && line.starts_with(key) && line[key.size()] == ' ')
			return parseNumber(line.substr(key.size() + 1));
		if (end == std::string_view::npos)
			break;
		rest.remove_prefix(end + 1);
	}
	return std::nullopt;
}

} /* namespace */

std::optional<std::uint64_t> readCgroupCounter(CgroupCounter counter,
					       const std::string &controlGroup)
{
	if (controlGroup.empty())
		return std::nullopt;
	/* Which hierarchy is mounted does not change while the service runs. */
	static const bool unified = unifiedHierarchy();
	const std::string root(kCgroupRoot);

	switch (counter) {
	case CgroupCounter::MemoryCurrent:
		return unified ? readNumber(root + controlGroup + "/memory.current")
			       : readNumber(root + "/memory" + controlGroup +
					    "/memory.usage_in_bytes");
	case CgroupCounter::CPUUsageNSec: {
		if (!unified)
			return readNumber(root + "/cpuacct" + controlGroup + "/cpuacct.usage");
		const std::optional<std::uint64_t> usec =
			readKeyed(root + controlGroup + "/cpu.stat", "usage_usec");
		return usec ? std::optional<std::uint64_t>(*usec * 1000) : std::nullopt;
	}
	case CgroupCounter::TasksCurrent:
		return readNumber(root + (unified ? "" : "/pids") + controlGroup + "/pids.current");
	}
	return std::nullopt;
}

} /* namespace plinth */

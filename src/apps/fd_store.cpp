/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "fd_store.h"

#include <spdlog/spdlog.h>

#include <cstdlib>
#include <cstring>

#include <systemd/sd-daemon.h>

namespace plinth {

namespace {

/* sd_notify(3): FDNAME= is at most 255 characters. */
constexpr std::size_t kMaxNameLength = 255;

void notify(const std::string &state, int *fds, unsigned count, const std::string &what)
{
	const int r = sd_pid_notify_with_fds(0, false, state.c_str(), fds, count);
	if (r < 0)
		spdlog::warn("cannot tell systemd to {}: {}", what, std::strerror(-r));
}

} /* namespace */

std::string fdName(std::string name)
{
	std::string out;
	for (const char c : name) {
		if (c == ':')
			out += "%3a";
		else if (c < 0x20 || c >= 0x7f)
			out += '_';
		else
			out += c;
	}
	out.resize(std::min(out.size(), kMaxNameLength));
	return out;
}

void FdStore::keep(int fd, const std::string &name)
{
	notify("FDSTORE=1\nFDNAME=" + name, &fd, 1, "keep " + name);
}

void FdStore::drop(const std::string &name)
{
	notify("FDSTOREREMOVE=1\nFDNAME=" + name, nullptr, 0, "drop " + name);
}

std::multimap<std::string, int> FdStore::takeBack()
{
	char **names = nullptr;
	const int count = sd_listen_fds_with_names(false, &names);
	std::multimap<std::string, int> fds;
	if (count < 0)
		spdlog::warn("cannot read the descriptors systemd passed: {}",
			     std::strerror(-count));
	for (int i = 0; i < std::max(count, 0); i++)
		fds.emplace(names && names[i] ? names[i] : "", SD_LISTEN_FDS_START + i);
	if (names) {
		for (int i = 0; i < std::max(count, 0); i++)
			std::free(names[i]);
		std::free(names);
	}
	return fds;
}

} /* namespace plinth */

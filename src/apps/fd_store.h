/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <map>
#include <string>

namespace plinth {

/*
 * systemd's file-descriptor store for this service (FileDescriptorStoreMax= in its unit), over
 * sd_notify: what it holds comes back at the next start of the service, under the name it was
 * stored with. Where no manager listens (NOTIFY_SOCKET unset: run by hand, in the tests) or
 * the store is off, nothing is kept, nothing comes back, and nothing else happens.
 */
class FdStore
{
public:
	/*
	 * Hands systemd a duplicate of fd under name, which must be a valid descriptor name
	 * (printable ASCII without ':', at most 255 characters). Failures are logged.
	 */
	void keep(int fd, const std::string &name);
	/* Tells systemd to close what it keeps under name. */
	void drop(const std::string &name);

	/*
	 * The descriptors systemd passed at this start, by name; the caller owns them. Reads the
	 * environment, which it leaves as it is: the service starts no program that could take
	 * them for its own, and $LISTEN_PID names this process only.
	 */
	static std::multimap<std::string, int> takeBack();
};

/* name as a valid descriptor name: ':' (allowed in unit names) becomes "%3a", cut at 255. */
std::string fdName(std::string name);

} /* namespace plinth */

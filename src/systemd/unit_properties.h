/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include <sdbus-c++/sdbus-c++.h>

namespace plinth {

/*
 * Reads what systemd's signals do not keep current for the service: a unit's status details
 * (Description, since when it is in its state, MainPID, Result, exit status, restarts,
 * memory, CPU, tasks) with one asynchronous GetAll of all the unit's interfaces.
 */
class UnitPropertyReader
{
public:
	using Properties = std::map<std::string, sdbus::Variant>;
	using Done = std::function<void(Properties properties, std::exception_ptr error)>;

	/* The connection must outlive the reader; the event loop dispatches it. */
	explicit UnitPropertyReader(sdbus::IConnection &connection);
	~UnitPropertyReader();
	UnitPropertyReader(const UnitPropertyReader &) = delete;
	UnitPropertyReader &operator=(const UnitPropertyReader &) = delete;

	/*
	 * The status properties systemd has for unit (those of org.freedesktop.systemd1.Service
	 * only for a service), under systemd's names; done gets them or a plinth::Error
	 * (SystemdUnavailable).
	 */
	void read(const std::string &unit, Done done);

private:
	sdbus::IProxy &proxyFor(const std::string &unit);

	sdbus::IConnection &connection_;
	/* One per unit asked about: a managed unit, so their number is bounded. */
	std::map<std::string, std::unique_ptr<sdbus::IProxy>> proxies_;
};

} /* namespace plinth */

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "unit_properties.h"

#include <array>
#include <string_view>

#include <systemd/sd-bus.h>

#include "error.h"

namespace plinth {

namespace {

constexpr const char *kService = "org.freedesktop.systemd1";
constexpr std::array<std::string_view, 14> kStatusProperties = {
	"Id",
	"Description",
	"StateChangeTimestamp",
	"ActiveEnterTimestamp",
	"MainPID",
	"Result",
	"ExecMainCode",
	"ExecMainStatus",
	"NRestarts",
	"MemoryCurrent",
	"CPUUsageNSec",
	"TasksCurrent",
	"FragmentPath",
	"InactiveEnterTimestamp",
};

/* The unit's object path; systemd loads the unit when the path is first used. */
std::string unitPath(const std::string &unit)
{
	char *path = nullptr;
	if (sd_bus_path_encode("/org/freedesktop/systemd1/unit", unit.c_str(), &path) < 0)
		throw std::bad_alloc();
	std::string result = path;
	free(path);
	return result;
}

} /* namespace */

UnitPropertyReader::UnitPropertyReader(sdbus::IConnection &connection) : connection_(connection)
{
}

UnitPropertyReader::~UnitPropertyReader() = default;

sdbus::IProxy &UnitPropertyReader::proxyFor(const std::string &unit)
{
	std::unique_ptr<sdbus::IProxy> &proxy = proxies_[unit];
	if (!proxy) {
		proxy = sdbus::createProxy(connection_, kService, unitPath(unit));
		proxy->finishRegistration();
	}
	return *proxy;
}

void UnitPropertyReader::read(const std::string &unit, Done done)
{
	/* An empty interface name asks sd-bus for the properties of every interface at once. */
	proxyFor(unit)
		.callMethodAsync("GetAll")
		.onInterface("org.freedesktop.DBus.Properties")
		.withArguments(std::string())
		.uponReplyInvoke([unit, done = std::move(done)](const sdbus::Error *error,
								Properties all) {
			if (error) {
				done({}, std::make_exception_ptr(Error(
						 ErrorCode::SystemdUnavailable,
						 "systemd did not say how " + unit +
							 " is: " + error->getMessage() +
							 ". Check that systemd runs, then try "
							 "again.")));
				return;
			}
			Properties wanted;
			for (const std::string_view name : kStatusProperties) {
				const auto it = all.find(std::string(name));
				if (it != all.end())
					wanted.insert(*it);
			}
			done(std::move(wanted), nullptr);
		});
}

} /* namespace plinth */

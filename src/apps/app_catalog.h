/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "app_loader.h"
#include "await_callback.h"
#include "enable_state_store.h"
#include "listeners.h"
#include "registry.h"
#include "status.h"

namespace plinth {

class SystemdUnits;

/* An app its request validated, with the registry it was found in, kept alive by it. */
struct ValidApp {
	std::shared_ptr<const Registry> registry;
	const App *app = nullptr;

	const App &operator*() const { return *app; }
	const App *operator->() const { return app; }
};

/*
 * The apps the service serves: the registry read from the definitions, their lookups (where a
 * request validates its app id or unit name), their states from systemd's mirror and the
 * recorded states of apps without a daemon, and every change of those, whoever made it,
 * as one notification. Knows nothing of D-Bus; failures are plinth::Error.
 */
class AppCatalog
{
public:
	/* app, enabled, running */
	using AppStateListeners = Listeners<std::string, bool, bool>;
	/* unit, its state now */
	using UnitStateListeners = Listeners<std::string, UnitState>;
	using ReloadListeners = Listeners<>;

	AppCatalog(SystemdUnits &systemd, EnableStateStore &records,
		   std::vector<std::filesystem::path> appsDirs);
	~AppCatalog();
	AppCatalog(const AppCatalog &) = delete;
	AppCatalog &operator=(const AppCatalog &) = delete;

	/*
	 * Reads every definition again and swaps the registry in once systemd's view of the
	 * new units is cached. Broken files are logged and skipped; done gets the load result.
	 * The first load swaps at once, as no earlier registry is served meanwhile: the
	 * definitions are served from then on, and states once whenStatesKnown says so.
	 * Reloads that finish out of order never swap older definitions in over newer ones:
	 * when done runs, what is served was read no earlier than this reload read it.
	 */
	void reload(std::function<void(const LoadResult &result)> done);

	/*
	 * Runs fn on the loop thread once systemd has answered for every unit of the first
	 * load, at once if it has. Whatever reads or derives unit states goes through here.
	 */
	void whenStatesKnown(std::function<void()> fn);
	/* The same for a coroutine: awaits those answers. */
	auto statesKnown()
	{
		return awaitCallback<void>(
			[this](Resumer<void> resume) { whenStatesKnown(resume); });
	}

	/* The registry now; hold the pointer to keep it alive across a reload. */
	std::shared_ptr<const Registry> registry() const { return registry_; }
	/* Queries over the current registry; valid until the next reload swaps it. */
	StatusQueries status() const;

	/* Throws InvalidArgument for a malformed id, NoSuchApp for an unknown one. */
	const App &app(std::string_view id) const;
	/* The same, for a request: the app with its registry, validated once. */
	ValidApp validApp(std::string_view id) const { return {registry_, &app(id)}; }
	/*
	 * The full name of a unit written as systemctl takes it ("ssh" is "ssh.service").
	 * Throws InvalidUnitName or NotManaged.
	 */
	[[nodiscard]] std::string managedUnitName(std::string_view unit) const;
	/* The app under an id validated earlier: a reload since may have dropped it (NoSuchApp). */
	const App &current(std::string_view id) const;
	/* The app as the registry served now has it, looked up again only if a reload swapped it.
	 */
	ValidApp current(const ValidApp &app) const
	{
		return app.registry == registry_ ? app : ValidApp{registry_, &current(app->id)};
	}
	/* Throws NotManaged for a unit that no app of the registry now declares. */
	void requireManaged(const std::string &unit) const;

	/* The app's recorded state changed: announces its derived states if they did. */
	void refreshAppState(const App &app);

	/* An app's derived enabled or running state changed, whoever changed it. */
	AppStateListeners::Subscription onAppStateChanged(AppStateListeners::Handler handler)
	{
		return appStateListeners_.add(std::move(handler));
	}
	/* A managed unit's state in systemd changed, whoever changed it. */
	UnitStateListeners::Subscription onUnitStateChanged(UnitStateListeners::Handler handler)
	{
		return unitStateListeners_.add(std::move(handler));
	}
	/* A reload swapped the registry in, after the apps' changed states were announced. */
	ReloadListeners::Subscription onReloaded(ReloadListeners::Handler handler)
	{
		return reloadListeners_.add(std::move(handler));
	}

private:
	void serve(std::shared_ptr<const Registry> registry);
	void trackFirstLoad();
	void unitChanged(const std::string &unit);

	SystemdUnits &systemd_;
	EnableStateStore &records_;
	std::vector<std::filesystem::path> appsDirs_;
	std::shared_ptr<const Registry> registry_;
	/* The last (enabled, running) announced for each app. */
	std::map<std::string, std::pair<bool, bool>, std::less<>> appStates_;
	bool statesKnown_ = false;
	/* Loads are numbered as they start; servedLoad_ is the number of the registry served. */
	std::uint64_t loadsStarted_ = 0;
	std::uint64_t servedLoad_ = 0;
	/* Reloads before the first states arrived each track anew; only the latest counts. */
	unsigned firstLoads_ = 0;
	std::vector<std::function<void()>> waitingForStates_;
	AppStateListeners appStateListeners_;
	UnitStateListeners unitStateListeners_;
	ReloadListeners reloadListeners_;
};

} /* namespace plinth */

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "app_loader.h"
#include "temp_dir.h"

namespace plinth {
namespace {

namespace fs = std::filesystem;

std::string leaderlessApp(std::string_view id, std::string_view extra = {})
{
	return "[app]\nid = \"" + std::string(id) + "\"\n" + std::string(extra);
}

std::string appWithDaemon(std::string_view id, std::string_view componentId)
{
	return leaderlessApp(id) + "\n[[components]]\nkind = \"daemon\"\nid = \"" +
	       std::string(componentId) + "\"\nunit = \"" + std::string(id) + ".service\"\n";
}

std::vector<std::string> appIds(const Registry &registry)
{
	std::vector<std::string> ids;
	for (const App &app : registry.apps())
		ids.push_back(app.id);
	return ids;
}

std::vector<std::string> errorStrings(const LoadResult &result)
{
	std::vector<std::string> errors;
	for (const LoadError &error : result.errors)
		errors.push_back(error.toString());
	return errors;
}

TEST(AppLoaderTest, FullDefinitionParsesIntoExactlyTheApp)
{
	const test::TempDir dir;
	const fs::path file = dir.write("mediawiki.toml", R"(# A wiki with its own job runner.
[app]
id = "mediawiki"
name = "MediaWiki"
depends = ["apache", "mariadb"]

[[components]]
kind = "daemon"
id = "daemon-mediawiki"
unit = "mediawiki-jobrunner.service"
strict-check = true
alias = "jobrunner.service"
listen-ports = [[8080, "tcp4"], [53, "udp", "127.0.0.1"], [8443, "tcp6", "::1"]]

[[components]]
kind = "shared-daemon"
id = "shared-daemon-mediawiki-db"
unit = "mariadb.service"
listen-ports = [[3306, "tcp"]]

[[components]]
kind = "related-daemon"
id = "related-daemon-mediawiki-apache"
unit = "apache2@main.service"
)");
	dir.write("apache.toml", leaderlessApp("apache"));
	dir.write("mariadb.toml", leaderlessApp("mariadb"));

	const LoadResult result = loadAppDefinitions({dir.path()});
	ASSERT_EQ(errorStrings(result), std::vector<std::string>{});
	ASSERT_TRUE(result.warnings.empty());

	const App *app = result.registry->findApp("mediawiki");
	ASSERT_NE(app, nullptr);
	EXPECT_EQ(app->id, "mediawiki");
	EXPECT_EQ(app->name, "MediaWiki");
	EXPECT_EQ(app->depends, (std::vector<std::string>{"apache", "mariadb"}));
	EXPECT_EQ(app->sourceFile, file.string());
	EXPECT_TRUE(app->hasLeader());
	ASSERT_EQ(app->components.size(), 3u);

	const Component &daemon = app->components[0];
	EXPECT_EQ(daemon.kind, ComponentKind::Daemon);
	EXPECT_EQ(daemon.id, "daemon-mediawiki");
	EXPECT_EQ(daemon.unit, "mediawiki-jobrunner.service");
	EXPECT_TRUE(daemon.strictCheck);
	EXPECT_EQ(daemon.alias, "jobrunner.service");
	EXPECT_EQ(daemon.listenPorts, (std::vector<ListenPort>{{8080, PortKind::Tcp4, ""},
							       {53, PortKind::Udp, "127.0.0.1"},
							       {8443, PortKind::Tcp6, "::1"}}));

	const Component &shared = app->components[1];
	EXPECT_EQ(shared.kind, ComponentKind::SharedDaemon);
	EXPECT_EQ(shared.id, "shared-daemon-mediawiki-db");
	EXPECT_EQ(shared.unit, "mariadb.service");
	EXPECT_FALSE(shared.strictCheck);
	EXPECT_EQ(shared.alias, "");
	EXPECT_EQ(shared.listenPorts, (std::vector<ListenPort>{{3306, PortKind::Tcp, ""}}));

	const Component &related = app->components[2];
	EXPECT_EQ(related.kind, ComponentKind::RelatedDaemon);
	EXPECT_EQ(related.id, "related-daemon-mediawiki-apache");
	EXPECT_EQ(related.unit, "apache2@main.service");
	EXPECT_FALSE(related.strictCheck);
	EXPECT_EQ(related.alias, "");
	EXPECT_TRUE(related.listenPorts.empty());

	EXPECT_TRUE(result.registry->isManaged("jobrunner.service"));
	EXPECT_TRUE(result.registry->isManaged("apache2@main.service"));
}

/* FreedomBox's own catalogue writes most units as systemctl takes them. */
TEST(AppLoaderTest, UnitNamesAreTakenAsSystemctlTakesThem)
{
	const test::TempDir dir;
	dir.write("tor.toml", R"([app]
id = "tor"

[[components]]
kind = "daemon"
id = "daemon-tor"
unit = "tor@plinth"
alias = "tor@default"
listen-ports = [[9050, "tcp4", "::"], [9040, "udp4", "0::0"]]

[[components]]
kind = "shared-daemon"
id = "shared-daemon-tor-ssh"
unit = "ssh"

[[components]]
kind = "related-daemon"
id = "related-daemon-tor-searx"
unit = "uwsgi-app@searx.socket"

[[components]]
kind = "related-daemon"
id = "related-daemon-tor-journal"
unit = "systemd-journald"

[[components]]
kind = "related-daemon"
id = "related-daemon-tor-timer"
unit = "wordpress-freedombox.timer"
)");

	const LoadResult result = loadAppDefinitions({dir.path()});
	ASSERT_EQ(errorStrings(result), std::vector<std::string>{});
	const App &app = *result.registry->findApp("tor");
	ASSERT_EQ(app.components.size(), 5u);
	EXPECT_EQ(app.components[0].unit, "tor@plinth.service");
	EXPECT_EQ(app.components[0].alias, "tor@default.service");
	EXPECT_EQ(app.components[0].listenPorts,
		  (std::vector<ListenPort>{{9050, PortKind::Tcp4, "::"},
					   {9040, PortKind::Udp4, "0::0"}}));
	EXPECT_EQ(app.components[1].unit, "ssh.service");
	EXPECT_EQ(app.components[2].unit, "uwsgi-app@searx.socket");
	EXPECT_EQ(app.components[3].unit, "systemd-journald.service");
	EXPECT_EQ(app.components[4].unit, "wordpress-freedombox.timer");

	EXPECT_TRUE(result.registry->isManaged("ssh.service"));
	EXPECT_FALSE(result.registry->isManaged("ssh"));
}

TEST(AppLoaderTest, OneUnitWrittenBothWaysIsOneUnit)
{
	const test::TempDir dir;
	const std::string sharedSsh = "\n[[components]]\nkind = \"shared-daemon\"\nid = ";
	dir.write("a.toml", leaderlessApp("a") + sharedSsh + "\"shared-daemon-a-ssh\"\n" +
				    "unit = \"ssh\"\n");
	dir.write("b.toml", leaderlessApp("b") + sharedSsh + "\"shared-daemon-b-ssh\"\n" +
				    "unit = \"ssh.service\"\n");

	const LoadResult result = loadAppDefinitions({dir.path()});
	ASSERT_EQ(errorStrings(result), std::vector<std::string>{});
	const std::vector<ComponentRef> &declarers = result.registry->declarersOf("ssh.service");
	ASSERT_EQ(declarers.size(), 2u);
	EXPECT_EQ(declarers[0].app->id, "a");
	EXPECT_EQ(declarers[1].app->id, "b");
	for (const ManagedUnit &managed : result.registry->managedUnits())
		EXPECT_EQ(managed.unit, "ssh.service");
}

TEST(AppLoaderTest, NameDefaultsToIdAndAnAppMayHaveNoComponents)
{
	const test::TempDir dir;
	dir.write("backup.toml", leaderlessApp("backup"));

	const LoadResult result = loadAppDefinitions({dir.path()});
	ASSERT_TRUE(result.errors.empty());
	const App *app = result.registry->findApp("backup");
	ASSERT_NE(app, nullptr);
	EXPECT_EQ(app->name, "backup");
	EXPECT_TRUE(app->components.empty());
	EXPECT_FALSE(app->hasLeader());
}

TEST(AppLoaderTest, AdministratorFileReplacesVendorFileOfTheSameName)
{
	const test::TempDir dir;
	dir.write("vendor/wiki.toml", leaderlessApp("wiki", "name = \"Vendor Wiki\"\n"));
	dir.write("vendor/notes.toml", leaderlessApp("notes"));
	const fs::path local =
		dir.write("etc/wiki.toml", leaderlessApp("wiki", "name = \"Local Wiki\"\n"));

	const LoadResult result = loadAppDefinitions({dir.path() / "vendor", dir.path() / "etc"});
	ASSERT_TRUE(result.errors.empty());
	EXPECT_EQ(appIds(*result.registry), (std::vector<std::string>{"notes", "wiki"}));
	const App *wiki = result.registry->findApp("wiki");
	ASSERT_NE(wiki, nullptr);
	EXPECT_EQ(wiki->name, "Local Wiki");
	EXPECT_EQ(wiki->sourceFile, local.string());
}

TEST(AppLoaderTest, BrokenReplacementDoesNotBringBackTheVendorFile)
{
	const test::TempDir dir;
	dir.write("vendor/wiki.toml", leaderlessApp("wiki"));
	dir.write("etc/wiki.toml", "[app]\nid = \"wiki\"\nnmae = \"Wiki\"\n");

	const LoadResult result = loadAppDefinitions({dir.path() / "vendor", dir.path() / "etc"});
	EXPECT_EQ(errorStrings(result),
		  std::vector<std::string>{
			  (dir.path() / "etc/wiki.toml").string() +
			  ":3:1: unknown key 'nmae' in [app]; did you mean 'name'?"});
	EXPECT_TRUE(result.registry->apps().empty());
}

TEST(AppLoaderTest, SymlinkToDevNullMasksTheVendorFile)
{
	const test::TempDir dir;
	dir.write("vendor/wiki.toml", leaderlessApp("wiki"));
	dir.write("vendor/notes.toml", leaderlessApp("notes"));
	fs::create_directories(dir.path() / "etc");
	fs::create_symlink("/dev/null", dir.path() / "etc/wiki.toml");

	const LoadResult result = loadAppDefinitions({dir.path() / "vendor", dir.path() / "etc"});
	EXPECT_TRUE(result.errors.empty());
	EXPECT_EQ(appIds(*result.registry), std::vector<std::string>{"notes"});
}

TEST(AppLoaderTest, FilesLoadInNameOrderAcrossDirectories)
{
	const test::TempDir dir;
	/* Same app id twice: whichever loads second is rejected, which shows the order. */
	dir.write("vendor/b.toml", leaderlessApp("wiki"));
	dir.write("etc/a.toml", leaderlessApp("wiki"));

	const LoadResult result = loadAppDefinitions({dir.path() / "vendor", dir.path() / "etc"});
	ASSERT_EQ(result.errors.size(), 1u);
	EXPECT_EQ(result.errors[0].file, (dir.path() / "vendor/b.toml").string());
	EXPECT_EQ(result.registry->findApp("wiki")->sourceFile,
		  (dir.path() / "etc/a.toml").string());
}

TEST(AppLoaderTest, BadFileAmongGoodOnesLeavesTheGoodOnesLoaded)
{
	const test::TempDir dir;
	dir.write("10-web.toml", appWithDaemon("web", "daemon-web"));
	dir.write("20-broken.toml", appWithDaemon("broken", "daemon-broken") + "port = 80\n");
	dir.write("30-wiki.toml", appWithDaemon("wiki", "daemon-wiki"));

	const LoadResult result = loadAppDefinitions({dir.path()});
	ASSERT_EQ(result.errors.size(), 1u);
	EXPECT_EQ(result.errors[0].file, (dir.path() / "20-broken.toml").string());
	EXPECT_EQ(result.errors[0].line, 8u);
	EXPECT_EQ(appIds(*result.registry), (std::vector<std::string>{"web", "wiki"}));
	EXPECT_FALSE(result.registry->isManaged("broken.service"));
	EXPECT_TRUE(result.registry->isManaged("wiki.service"));
}

TEST(AppLoaderTest, DuplicateAppIdRejectsTheLaterFile)
{
	const test::TempDir dir;
	const fs::path first = dir.write("a.toml", appWithDaemon("wiki", "daemon-wiki"));
	const fs::path second = dir.write("b.toml", appWithDaemon("wiki", "daemon-wiki-2"));

	const LoadResult result = loadAppDefinitions({dir.path()});
	EXPECT_EQ(errorStrings(result),
		  std::vector<std::string>{second.string() +
					   ":2:6: app id 'wiki' is already defined at " +
					   first.string() + ":2:6"});
	ASSERT_EQ(result.registry->apps().size(), 1u);
	EXPECT_EQ(result.registry->apps()[0].sourceFile, first.string());
	EXPECT_FALSE(result.registry->findComponent("daemon-wiki-2").has_value());
}

TEST(AppLoaderTest, DuplicateComponentIdAcrossFilesRejectsTheLaterFile)
{
	const test::TempDir dir;
	const fs::path first = dir.write("a.toml", appWithDaemon("wiki", "daemon-wiki"));
	const fs::path second = dir.write("b.toml", appWithDaemon("notes", "daemon-wiki"));

	const LoadResult result = loadAppDefinitions({dir.path()});
	EXPECT_EQ(errorStrings(result),
		  std::vector<std::string>{second.string() +
					   ":6:6: component id 'daemon-wiki' is already defined "
					   "at " +
					   first.string() + ":6:6"});
	EXPECT_EQ(appIds(*result.registry), std::vector<std::string>{"wiki"});
}

TEST(AppLoaderTest, RejectedFileDoesNotReserveItsIds)
{
	const test::TempDir dir;
	dir.write("a.toml", appWithDaemon("wiki", "daemon-wiki") + "bogus = 1\n");
	dir.write("b.toml", appWithDaemon("wiki", "daemon-wiki"));

	const LoadResult result = loadAppDefinitions({dir.path()});
	ASSERT_EQ(result.errors.size(), 1u);
	EXPECT_EQ(result.errors[0].file, (dir.path() / "a.toml").string());
	EXPECT_EQ(appIds(*result.registry), std::vector<std::string>{"wiki"});
}

TEST(AppLoaderTest, UnknownDependencyIsAWarning)
{
	const test::TempDir dir;
	const fs::path file =
		dir.write("wiki.toml", leaderlessApp("wiki", "depends = [\"php\"]\n"));

	const LoadResult result = loadAppDefinitions({dir.path()});
	EXPECT_TRUE(result.errors.empty());
	EXPECT_EQ(appIds(*result.registry), std::vector<std::string>{"wiki"});
	EXPECT_EQ(result.warnings,
		  std::vector<std::string>{file.string() + ": app 'wiki' depends on unknown app "
							   "'php'; the dependency is ignored"});
}

TEST(AppLoaderTest, AppsComeAfterTheirDependencies)
{
	const test::TempDir dir;
	dir.write("a.toml", leaderlessApp("blog", "depends = [\"web\", \"db\"]\n"));
	dir.write("b.toml", leaderlessApp("db", "depends = [\"storage\"]\n"));
	dir.write("c.toml", leaderlessApp("storage"));
	dir.write("d.toml", leaderlessApp("web"));

	const LoadResult result = loadAppDefinitions({dir.path()});
	EXPECT_TRUE(result.errors.empty());
	EXPECT_TRUE(result.warnings.empty());
	EXPECT_EQ(appIds(*result.registry),
		  (std::vector<std::string>{"storage", "db", "web", "blog"}));
}

TEST(AppLoaderTest, MissingDirectoryIsNotAnError)
{
	const test::TempDir dir;
	dir.write("vendor/wiki.toml", leaderlessApp("wiki"));

	const LoadResult result =
		loadAppDefinitions({dir.path() / "vendor", dir.path() / "no-such-dir"});
	EXPECT_TRUE(result.errors.empty());
	EXPECT_EQ(appIds(*result.registry), std::vector<std::string>{"wiki"});
}

TEST(AppLoaderTest, OnlyVisibleTomlFilesAreRead)
{
	const test::TempDir dir;
	dir.write("wiki.toml", leaderlessApp("wiki"));
	dir.write("wiki.toml~", "garbage");
	dir.write(".#wiki.toml", "garbage");
	dir.write("README", "garbage");
	fs::create_directories(dir.path() / "subdir.toml");

	const LoadResult result = loadAppDefinitions({dir.path()});
	EXPECT_EQ(errorStrings(result), std::vector<std::string>{});
	EXPECT_EQ(appIds(*result.registry), std::vector<std::string>{"wiki"});
}

} /* namespace */
} /* namespace plinth */

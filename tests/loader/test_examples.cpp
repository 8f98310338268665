/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "app_loader.h"

namespace plinth {
namespace {

namespace fs = std::filesystem;

/* data/examples in the source tree, passed by meson. */
const fs::path kExamplesDir = PLINTH_EXAMPLES_DIR;

class ExamplesTest : public testing::Test
{
protected:
	void SetUp() override
	{
		result_ = loadAppDefinitions({kExamplesDir / "apps.d"});
		ASSERT_NE(result_.registry, nullptr);
	}

	const Registry &registry() const { return *result_.registry; }

	std::vector<const Component *> components() const
	{
		std::vector<const Component *> all;
		for (const App &app : registry().apps()) {
			for (const Component &component : app.components)
				all.push_back(&component);
		}
		return all;
	}

	LoadResult result_;
};

std::string readFile(const fs::path &file)
{
	std::ifstream stream(file);
	std::ostringstream content;
	content << stream.rdbuf();
	return content.str();
}

TEST_F(ExamplesTest, LoadWithoutErrorsOrWarnings)
{
	for (const LoadError &error : result_.errors)
		ADD_FAILURE() << error.toString();
	for (const std::string &warning : result_.warnings)
		ADD_FAILURE() << warning;
	EXPECT_GE(registry().apps().size(), 4u);
}

TEST_F(ExamplesTest, UseEveryFeatureOfTheFormat)
{
	std::set<ComponentKind> kinds;
	bool alias = false, strict = false, address = false, socket = false;
	std::set<PortKind> portKinds;
	for (const Component *component : components()) {
		kinds.insert(component->kind);
		alias |= !component->alias.empty();
		strict |= component->strictCheck;
		socket |= component->isLeader() && component->unit.ends_with(".socket");
		for (const ListenPort &port : component->listenPorts) {
			address |= !port.address.empty();
			portKinds.insert(port.kind);
		}
	}
	EXPECT_EQ(kinds.size(), 3u);
	EXPECT_TRUE(alias);
	EXPECT_TRUE(strict);
	EXPECT_TRUE(address);
	EXPECT_TRUE(socket);
	EXPECT_TRUE(portKinds.contains(PortKind::Tcp4));
	EXPECT_TRUE(portKinds.contains(PortKind::Udp4));

	bool depends = false, leaderless = false, defaultName = false, input = false,
	     negate = false;
	for (const App &app : registry().apps()) {
		depends |= !app.depends.empty();
		leaderless |= !app.hasLeader();
		defaultName |= app.name == app.id;
		for (const ConnectCheckSpec &check : app.checks) {
			input |= !check.input.empty();
			negate |= check.negate;
		}
	}
	EXPECT_TRUE(depends);
	EXPECT_TRUE(leaderless);
	EXPECT_TRUE(defaultName);
	EXPECT_TRUE(input);
	EXPECT_TRUE(negate);

	/* The shared rule only shows when two apps share one unit. */
	std::set<std::string> sharers;
	for (const ComponentRef &ref : registry().declarersOf("plinth-example-db.service")) {
		if (ref.component->kind == ComponentKind::SharedDaemon)
			sharers.insert(ref.app->id);
	}
	EXPECT_GE(sharers.size(), 2u);
}

TEST_F(ExamplesTest, EveryUnitHasAUnitFileThatCanBeEnabled)
{
	for (const Component *component : components()) {
		const fs::path unitFile = kExamplesDir / "units" / component->unit;
		ASSERT_TRUE(fs::exists(unitFile)) << unitFile;
		EXPECT_TRUE(component->unit.starts_with("plinth-example-")) << component->unit;
		const std::string content = readFile(unitFile);
		EXPECT_NE(content.find("[Install]\nWantedBy=default.target\n"), std::string::npos)
			<< unitFile;
		if (!component->alias.empty()) {
			EXPECT_TRUE(component->alias.starts_with("plinth-example-"));
			EXPECT_NE(content.find("Alias=" + component->alias + "\n"),
				  std::string::npos)
				<< unitFile << " must declare the alias " << component->alias;
		}
	}
}

TEST_F(ExamplesTest, PortsAreDistinctAndInTheExampleRange)
{
	std::map<std::uint16_t, std::string> owners;
	for (const Component *component : components()) {
		std::set<std::uint16_t> own;
		for (const ListenPort &port : component->listenPorts) {
			EXPECT_GE(port.port, 18000u);
			EXPECT_LE(port.port, 18999u);
			own.insert(port.port);
		}
		for (std::uint16_t port : own) {
			/* Shared daemons name the same unit and so may repeat its ports. */
			const auto [it, fresh] = owners.emplace(port, component->unit);
			EXPECT_TRUE(fresh || it->second == component->unit)
				<< "port " << port << " used by " << it->second << " and "
				<< component->unit;
		}
	}
}

/* A connect check that passes with the app's units running and fails without them. */
TEST_F(ExamplesTest, ConnectChecksTargetPortsTheirOwnUnitsServe)
{
	for (const App &app : registry().apps()) {
		for (const ConnectCheckSpec &check : app.checks) {
			const bool served = std::any_of(
				app.components.begin(), app.components.end(),
				[&](const Component &component) {
					return std::any_of(component.listenPorts.begin(),
							   component.listenPorts.end(),
							   [&](const ListenPort &port) {
								   return port.port == check.port;
							   });
				});
			EXPECT_TRUE(served) << app.id << " checks port " << check.port
					    << ", which none of its components listens on";
		}
	}
}

TEST_F(ExamplesTest, DependenciesComeFirst)
{
	std::map<std::string, std::size_t> position;
	for (std::size_t i = 0; i < registry().apps().size(); ++i)
		position[registry().apps()[i].id] = i;
	for (const App &app : registry().apps()) {
		for (const std::string &dep : app.depends)
			EXPECT_LT(position.at(dep), position.at(app.id))
				<< app.id << " needs " << dep;
	}
}

} /* namespace */
} /* namespace plinth */

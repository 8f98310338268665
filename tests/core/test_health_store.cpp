/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "health_store.h"
#include "temp_dir.h"

namespace plinth {
namespace {

std::string readFile(const std::filesystem::path &path)
{
	std::ifstream in(path);
	std::stringstream text;
	text << in.rdbuf();
	return text.str();
}

class HealthStoreTest : public testing::Test
{
protected:
	TempDir dir_;
	std::filesystem::path file_ = dir_.path() / "health.toml";
};

TEST_F(HealthStoreTest, MissingFileHoldsNothing)
{
	EXPECT_TRUE(HealthStore(file_).load().empty());
}

TEST_F(HealthStoreTest, RecordsSurviveARestartWhole)
{
	const DiagnosisRecords records{
		{"web",
		 {1733456789123456,
		  {{"daemon-running-web.service", "passed", "Service web.service is running"},
		   {"daemon-listening-tcp4-80", "failed",
		    "Auf tcp4 Port 80 lauschen \"quoted\" \\ äöü"}}}},
		{"mail_2", {1, {}}},
	};
	HealthStore(file_).save(records);
	EXPECT_EQ(HealthStore(file_).load(), records);
	EXPECT_FALSE(std::filesystem::exists(file_.string() + ".tmp"));
}

TEST_F(HealthStoreTest, CorruptFileReadsAsNothingAndIsLeftAlone)
{
	for (const char *corrupt :
	     {"web = {time = 1, checks = [\n", "web = {time = \"now\", checks = []}\n",
	      "web = {time = -1, checks = []}\n", "\"Not An Id\" = {time = 1, checks = []}\n",
	      "web = {time = 1, checks = [{id = \"x\", result = \"failed\"}]}\n"}) {
		std::ofstream(file_) << corrupt;
		EXPECT_TRUE(HealthStore(file_).load().empty()) << corrupt;
		EXPECT_EQ(readFile(file_), corrupt);
	}
}

TEST_F(HealthStoreTest, UnwritableDirectoryThrowsAndKeepsTheOldFile)
{
	HealthStore store(file_);
	store.save({{"web", {1, {}}}});
	const HealthStore elsewhere(dir_.path() / "missing" / "health.toml");
	EXPECT_THROW(elsewhere.save({{"web", {2, {}}}}), std::system_error);
	EXPECT_EQ(store.load().at("web").time, 1u);
}

} /* namespace */
} /* namespace plinth */

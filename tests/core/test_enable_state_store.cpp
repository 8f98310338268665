/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <system_error>

#include "enable_state_store.h"
#include "file_text.h"
#include "temp_dir.h"

namespace plinth {
namespace {

class EnableStateStoreTest : public testing::Test
{
protected:
	TempDir dir_;
	std::filesystem::path file_ = dir_.path() / "leaderless-apps.toml";
};

TEST_F(EnableStateStoreTest, MissingFileMeansNothingEnabled)
{
	EnableStateStore store(file_);
	store.load();
	EXPECT_FALSE(store.isEnabled("backup"));
}

TEST_F(EnableStateStoreTest, RecordedStateSurvivesARestart)
{
	{
		EnableStateStore store(file_);
		store.load();
		store.setEnabled("backup", true);
		store.setEnabled("tools", true);
		store.setEnabled("tools", false);
	}
	EnableStateStore reopened(file_);
	reopened.load();
	EXPECT_TRUE(reopened.isEnabled("backup"));
	EXPECT_FALSE(reopened.isEnabled("tools"));
	EXPECT_FALSE(std::filesystem::exists(file_.string() + ".tmp"));
}

TEST_F(EnableStateStoreTest, CorruptFileIsTreatedAsEmptyAndLeftAlone)
{
	const std::string corrupt = "enabled-apps = [\"backup\"\n";
	writeFile(file_, corrupt);
	EnableStateStore store(file_);
	store.load();
	EXPECT_FALSE(store.isEnabled("backup"));
	EXPECT_EQ(readFile(file_), corrupt);
}

TEST_F(EnableStateStoreTest, WrongContentIsTreatedAsEmpty)
{
	for (const char *text : {"enabled-apps = \"backup\"\n", "enabled-apps = [1, 2]\n",
				 "enabled-apps = [\"Not An Id\"]\n", "other = []\n"}) {
		writeFile(file_, text);
		EnableStateStore store(file_);
		store.load();
		EXPECT_FALSE(store.isEnabled("backup")) << text;
	}
}

TEST_F(EnableStateStoreTest, FailedWriteKeepsThePreviousFileAndState)
{
	EnableStateStore store(file_);
	store.load();
	store.setEnabled("backup", true);
	const std::string good = readFile(file_);

	/* A directory where the temporary file must go makes the write fail, even for root. */
	std::filesystem::create_directory(file_.string() + ".tmp");
	EXPECT_THROW(store.setEnabled("tools", true), std::system_error);
	EXPECT_FALSE(store.isEnabled("tools"));
	EXPECT_TRUE(store.isEnabled("backup"));
	EXPECT_EQ(readFile(file_), good);
}

} /* namespace */
} /* namespace plinth */

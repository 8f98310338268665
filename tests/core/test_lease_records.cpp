/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <gtest/gtest.h>

#include <system_error>

#include "file_text.h"
#include "lease_records.h"
#include "temp_dir.h"

namespace plinth {
namespace {

class LeaseRecordStoreTest : public testing::Test
{
protected:
	LeaseRecordStore::Units reopened() const
	{
		LeaseRecordStore store(file_);
		store.load();
		return store.units();
	}

	TempDir dir_;
	std::filesystem::path file_ = dir_.path() / "leases.toml";
	/* Names as systemd's store has them: a unit name's ':' is escaped there. */
	const HeldUnitRecord wiki_{
		{.linked = true, .started = true, .wantedByApp = false},
		{{"lease-1-wiki.service", ":1.42"}, {"lease-7-wiki.service", ":1.57"}}};
	const HeldUnitRecord instance_{{.linked = false, .started = true, .wantedByApp = true},
				       {{"lease-2-tor@a%3ab.service", ":1.43"}}};
};

TEST_F(LeaseRecordStoreTest, MissingFileMeansNoLease)
{
	EXPECT_TRUE(reopened().empty());
}

TEST_F(LeaseRecordStoreTest, RecordsSurviveARestart)
{
	{
		LeaseRecordStore store(file_);
		store.load();
		store.set("wiki.service", wiki_);
		store.set("tor@a:b.service", instance_);
	}
	const LeaseRecordStore::Units expected = {{"wiki.service", wiki_},
						  {"tor@a:b.service", instance_}};
	EXPECT_EQ(reopened(), expected);
	EXPECT_FALSE(std::filesystem::exists(file_.string() + ".tmp"));
}

TEST_F(LeaseRecordStoreTest, AUnitWithoutLeasesIsForgotten)
{
	LeaseRecordStore store(file_);
	store.load();
	store.set("wiki.service", wiki_);
	store.set("tor@a:b.service", instance_);
	store.set("wiki.service", {wiki_.changes, {}});
	EXPECT_EQ(store.units().count("wiki.service"), 0u);
	const LeaseRecordStore::Units expected = {{"tor@a:b.service", instance_}};
	EXPECT_EQ(reopened(), expected);
}

TEST_F(LeaseRecordStoreTest, CorruptOrWrongContentMeansNoLeaseAndIsLeftAlone)
{
	for (const char *text :
	     {"units = {\n", "units = 3\n", "[units.\"wiki.service\"]\nlinked = true\n",
	      "[units.\"not a unit\"]\nlinked = true\nstarted = true\nwanted-by-app = false\n"
	      "holders = {}\n",
	      "[units.\"wiki.service\"]\nlinked = 1\nstarted = true\nwanted-by-app = false\n"
	      "holders = {}\n",
	      "[units.\"wiki.service\"]\nlinked = true\nstarted = true\nwanted-by-app = false\n"
	      "holders = { a = 1 }\n"}) {
		writeFile(file_, text);
		EXPECT_TRUE(reopened().empty()) << text;
		EXPECT_EQ(readFile(file_), text);
	}
}

TEST_F(LeaseRecordStoreTest, FailedWriteKeepsThePreviousFileAndRecords)
{
	LeaseRecordStore store(file_);
	store.load();
	store.set("wiki.service", wiki_);
	const std::string good = readFile(file_);

	/* A directory where the temporary file must go makes the write fail, even for root. */
	std::filesystem::create_directory(file_.string() + ".tmp");
	EXPECT_THROW(store.set("tor@a:b.service", instance_), std::system_error);
	const LeaseRecordStore::Units expected = {{"wiki.service", wiki_}};
	EXPECT_EQ(store.units(), expected);
	EXPECT_EQ(readFile(file_), good);
}

} /* namespace */
} /* namespace plinth */

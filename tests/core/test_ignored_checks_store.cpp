/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <gtest/gtest.h>

#include <fstream>

#include "ignored_checks_store.h"
#include "temp_dir.h"

namespace plinth {
namespace {

class IgnoredChecksStoreTest : public testing::Test
{
protected:
	TempDir dir_;
	std::filesystem::path file_ = dir_.path() / "ignored-checks.toml";
};

TEST_F(IgnoredChecksStoreTest, SurvivesARestart)
{
	const IgnoredChecks ignored{
		{"web", {"daemon-listening-tcp4-80", "daemon-running-web.service"}},
		{"mail", {"connect-example.org-25"}},
	};
	IgnoredChecksStore(file_).save(ignored);
	EXPECT_EQ(IgnoredChecksStore(file_).load(), ignored);
}

TEST_F(IgnoredChecksStoreTest, AppsWithNothingIgnoredAreLeftOut)
{
	IgnoredChecksStore(file_).save({{"web", {}}, {"mail", {"x"}}});
	EXPECT_EQ(IgnoredChecksStore(file_).load(), (IgnoredChecks{{"mail", {"x"}}}));
}

TEST_F(IgnoredChecksStoreTest, CorruptFileReadsAsNothing)
{
	EXPECT_TRUE(IgnoredChecksStore(file_).load().empty());
	for (const char *corrupt :
	     {"web = [\n", "web = \"x\"\n", "web = [\"has space\"]\n", "\"Bad App\" = [\"x\"]\n"}) {
		std::ofstream(file_) << corrupt;
		EXPECT_TRUE(IgnoredChecksStore(file_).load().empty()) << corrupt;
	}
}

TEST(CheckIdTest, PrintableWithoutSpacesUpTo255Bytes)
{
	EXPECT_TRUE(isValidCheckId("daemon-listening-address-tcp4-80-127.0.0.1"));
	EXPECT_FALSE(isValidCheckId(""));
	EXPECT_FALSE(isValidCheckId("a b"));
	EXPECT_FALSE(isValidCheckId("a\nb"));
	EXPECT_FALSE(isValidCheckId("\xc3\xa4"));
	EXPECT_TRUE(isValidCheckId(std::string(255, 'x')));
	EXPECT_FALSE(isValidCheckId(std::string(256, 'x')));
}

} /* namespace */
} /* namespace plinth */

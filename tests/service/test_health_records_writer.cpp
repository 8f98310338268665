/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <gtest/gtest.h>

#include <deque>
#include <functional>
#include <utility>

#include "health_records_writer.h"
#include "temp_dir.h"

namespace plinth {
namespace {

DiagnosisRecords recordsAt(std::uint64_t time)
{
	return {{"web",
		 {time, {{"daemon-listening-tcp4-80", "failed", "Listening on tcp4 port 80"}}}}};
}

/* A blocking thread the test runs by hand: each job's work, then its done. */
class HandRunBlocking
{
public:
	HealthRecordsWriter::RunBlocking function()
	{
		return [this](std::function<void()> work,
			      std::function<void(std::exception_ptr)> done) {
			jobs_.emplace_back(std::move(work), std::move(done));
		};
	}

	std::size_t queued() const { return jobs_.size(); }

	void runNext()
	{
		auto [work, done] = std::move(jobs_.front());
		jobs_.pop_front();
		std::exception_ptr error;
		try {
			work();
		} catch (...) {
			error = std::current_exception();
		}
		done(error);
	}

	/* As the service's thread does when it stops: jobs not begun never run. */
	void drop() { jobs_.clear(); }

private:
	std::deque<std::pair<std::function<void()>, std::function<void(std::exception_ptr)>>> jobs_;
};

class HealthRecordsWriterTest : public testing::Test
{
protected:
	test::TempDir dir_;
	HealthStore store_{dir_.path() / "health.toml"};
	HandRunBlocking thread_;
};

TEST_F(HealthRecordsWriterTest, WritesOnTheBlockingThreadNotInSave)
{
	HealthRecordsWriter writer(store_, thread_.function());
	writer.save(recordsAt(1));
	EXPECT_TRUE(store_.load().empty());
	ASSERT_EQ(thread_.queued(), 1u);
	thread_.runNext();
	EXPECT_EQ(store_.load(), recordsAt(1));
}

TEST_F(HealthRecordsWriterTest, SavesDuringAWriteMakeOneMoreWriteOfTheNewest)
{
	HealthRecordsWriter writer(store_, thread_.function());
	writer.save(recordsAt(1));
	writer.save(recordsAt(2));
	writer.save(recordsAt(3));
	ASSERT_EQ(thread_.queued(), 1u);
	thread_.runNext();
	EXPECT_EQ(store_.load(), recordsAt(1));
	ASSERT_EQ(thread_.queued(), 1u);
	thread_.runNext();
	EXPECT_EQ(store_.load(), recordsAt(3));
	EXPECT_EQ(thread_.queued(), 0u);
}

TEST_F(HealthRecordsWriterTest, WrittenRecordsAreNotWrittenAgainAtExit)
{
	{
		HealthRecordsWriter writer(store_, thread_.function());
		writer.save(recordsAt(1));
		thread_.runNext();
		std::filesystem::remove(store_.file());
	}
	EXPECT_FALSE(std::filesystem::exists(store_.file()));
}

TEST_F(HealthRecordsWriterTest, RecordsAWriteNeverKeptAreWrittenAtExit)
{
	{
		HealthRecordsWriter writer(store_, thread_.function());
		writer.save(recordsAt(1));
		thread_.runNext();
		writer.save(recordsAt(2));
		thread_.drop();
	}
	EXPECT_EQ(store_.load(), recordsAt(2));
}

TEST_F(HealthRecordsWriterTest, AFailedWriteIsLeftToTheNextSave)
{
	const HealthStore unwritable(dir_.path() / "missing" / "health.toml");
	HealthRecordsWriter writer(unwritable, thread_.function());
	writer.save(recordsAt(1));
	thread_.runNext();
	EXPECT_EQ(thread_.queued(), 0u);
	std::filesystem::create_directory(dir_.path() / "missing");
	writer.save(recordsAt(2));
	thread_.runNext();
	EXPECT_EQ(unwritable.load(), recordsAt(2));
}

} /* namespace */
} /* namespace plinth */

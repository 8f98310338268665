/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "journal_worker.h"

#include <signal.h>

namespace plinth {

JournalWorker::JournalWorker(Post post) : post_(std::move(post)), thread_([this] { loop(); })
{
}

JournalWorker::~JournalWorker()
{
	{
		std::lock_guard<std::mutex> guard(lock_);
		stopping_ = true;
		jobs_.clear();
	}
	wake_.notify_one();
	thread_.join();
}

void JournalWorker::enqueue(std::function<void()> job)
{
	{
		std::lock_guard<std::mutex> guard(lock_);
		jobs_.push_back(std::move(job));
	}
	wake_.notify_one();
}

void JournalWorker::loop()
{
	/* Signals are the event loop's to read; delivered here, SIGTERM would kill the process. */
	sigset_t all;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, nullptr);

	for (;;) {
		std::function<void()> job;
		{
			std::unique_lock<std::mutex> guard(lock_);
			wake_.wait(guard, [this] { return stopping_ || !jobs_.empty(); });
			if (stopping_)
				return;
			job = std::move(jobs_.front());
			jobs_.pop_front();
		}
		job();
	}
}

} /* namespace plinth */

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace plinth {

/*
 * The one thread that reads the journal: reading is blocking file I/O, which must not hold up
 * the event loop. Jobs run one after another, in the order given; a job hands its result back
 * through the post function it was given (the event loop's), never by itself.
 */
class JournalWorker
{
public:
	using Post = std::function<void(std::function<void()>)>;

	explicit JournalWorker(Post post);
	/* Waits for the job that runs; the queued ones are dropped. */
	~JournalWorker();
	JournalWorker(const JournalWorker &) = delete;
	JournalWorker &operator=(const JournalWorker &) = delete;

	/*
	 * Runs work on the worker thread, then done with its result on the thread post runs
	 * things on. work's exceptions reach done as the exception_ptr.
	 */
	template<typename Result>
	void run(std::function<Result()> work, std::function<void(Result, std::exception_ptr)> done)
	{
		enqueue([this, work = std::move(work), done = std::move(done)]() mutable {
			Result result{};
			std::exception_ptr error;
			try {
				result = work();
			} catch (...) {
				error = std::current_exception();
			}
			post_([done = std::move(done), result = std::move(result),
			       error]() mutable { done(std::move(result), error); });
		});
	}

private:
	void enqueue(std::function<void()> job);
	void loop();

	Post post_;
	std::mutex lock_;
	std::condition_variable wake_;
	std::deque<std::function<void()>> jobs_;
	bool stopping_ = false;
	std::thread thread_;
};

} /* namespace plinth */

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "diagnosis_runner.h"

namespace plinth {

/*
 * One diagnosis serves everyone waiting for the same thing (one app, or every app: each a key
 * of its own). A request while no diagnosis of its key runs starts one; a request while one
 * runs waits for the next, which starts as soon as the running one ends and serves everyone
 * who came meanwhile, so no answer predates its request. However many ask, at most one
 * diagnosis per key is in flight. Loop thread only.
 */
class CoalescedDiagnoses
{
public:
	using Done = DiagnosisRunner::Done;
	/* Starts a diagnosis of key; finished must be called exactly once, at once or later. */
	using Start = std::function<void(const std::string &key, Done finished)>;

	explicit CoalescedDiagnoses(Start start);
	/* Waiters not answered yet are dropped without a call. */
	~CoalescedDiagnoses();
	CoalescedDiagnoses(const CoalescedDiagnoses &) = delete;
	CoalescedDiagnoses &operator=(const CoalescedDiagnoses &) = delete;

	void request(const std::string &key, Done done);

	/* Keys with a diagnosis in flight. */
	std::size_t running() const { return keys_.size(); }

private:
	struct Waiters {
		/* Served by the diagnosis in flight. */
		std::vector<Done> current;
		/* Came after it started: served by the next. */
		std::vector<Done> next;
	};

	void start(const std::string &key);
	void finished(const std::string &key, std::exception_ptr error,
		      DiagnosisRunner::Results results);

	Start start_;
	/* A key is here exactly while a diagnosis of it is in flight. */
	std::map<std::string, Waiters> keys_;
	std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

} /* namespace plinth */

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "coalesced_diagnoses.h"

#include <spdlog/spdlog.h>

#include <utility>

namespace plinth {

CoalescedDiagnoses::CoalescedDiagnoses(Start start) : start_(std::move(start))
{
}

CoalescedDiagnoses::~CoalescedDiagnoses() = default;

void CoalescedDiagnoses::request(const std::string &key, Done done)
{
	const auto it = keys_.find(key);
	if (it != keys_.end()) {
		it->second.next.push_back(std::move(done));
		return;
	}
	keys_[key].current.push_back(std::move(done));
	start(key);
}

void CoalescedDiagnoses::start(const std::string &key)
{
	auto finish = [this, key, alive = std::weak_ptr<bool>(alive_)](
			      std::exception_ptr error, DiagnosisRunner::Results results) {
		if (!alive.expired())
			finished(key, error, std::move(results));
	};
	try {
		start_(key, std::move(finish));
	} catch (...) {
		finished(key, std::current_exception(), {});
	}
}

void CoalescedDiagnoses::finished(const std::string &key, std::exception_ptr error,
				  DiagnosisRunner::Results results)
{
	const auto it = keys_.find(key);
	if (it == keys_.end())
		return;
	std::vector<Done> waiters = std::move(it->second.current);
	if (it->second.next.empty()) {
		keys_.erase(it);
	} else {
		it->second.current = std::move(it->second.next);
		it->second.next.clear();
		start(key);
	}

	for (std::size_t i = 0; i < waiters.size(); i++) {
		/* The last waiter takes the results: a round over every app is large to copy. */
		const bool last = i + 1 == waiters.size();
		try {
			waiters[i](error,
				   last ? std::move(results) : DiagnosisRunner::Results(results));
		} catch (const std::exception &e) {
			/* One caller that cannot be answered must not cost the others theirs. */
			spdlog::error("cannot answer a diagnosis: {}", e.what());
		}
	}
}

} /* namespace plinth */

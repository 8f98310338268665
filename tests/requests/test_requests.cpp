/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The request pipeline without a bus: real Requests, Queries, AppCatalog, AppChanges and
 * UnitLeases, with
 * systemd, the Authority and the reply played by the test.
 */
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <chrono>
#include <exception>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "../core/fake_units.h"
#include "app_catalog.h"
#include "app_changes.h"
#include "app_diagnoses.h"
#include "bus_error.h"
#include "diagnosis_runner.h"
#include "enable_state_store.h"
#include "error.h"
#include "event_loop.h"
#include "failure_report.h"
#include "health_monitor.h"
#include "health_store.h"
#include "ignored_checks_store.h"
#include "queries.h"
#include "request.h"
#include "requests.h"
#include "systemd_units.h"
#include "temp_dir.h"
#include "translator.h"
#include "unit_leases.h"

namespace plinth {
namespace {

using namespace std::chrono_literals;

constexpr auto kPatience = 5s;

/* An app with one daemon, plinth-<id>.service. */
std::string appFile(const std::string &id)
{
	return "[app]\nid = \"" + id + "\"\n\n[[components]]\nkind = \"daemon\"\nid = \"daemon-" +
	       id + "\"\nunit = \"plinth-" + id + ".service\"\n";
}

/*
 * systemd as the test plays it: every unit known and stopped, at once unless holdsAnswers, plans
 * held until released.
 */
class FakeSystemd : public SystemdUnits
{
public:
	void track(const std::vector<std::string> &units, std::function<void()> done) override
	{
		for (const std::string &unit : units) {
			states.setLoadState(unit, "loaded");
			states.setFileState(unit, "disabled");
			states.setActiveState(unit, "inactive");
		}
		if (holdsAnswers)
			heldAnswers.push_back(std::move(done));
		else
			done();
	}

	const UnitStateView &unitStates() const override { return states; }

	void onUnitChanged(UnitChangedHandler) override {}

	void execute(const Plan &plan, PlanDone done) override
	{
		plans.push_back(plan);
		waiting.push_back(std::move(done));
	}

	/* Ends the oldest plan still running, with error. */
	void finishNext(std::exception_ptr error = nullptr)
	{
		PlanDone done = std::move(waiting.front());
		waiting.erase(waiting.begin());
		done(error, {});
	}

	FakeUnits states;
	bool holdsAnswers = false;
	std::vector<std::function<void()>> heldAnswers;
	std::vector<Plan> plans;
	std::vector<PlanDone> waiting;
};

/* Allows or refuses everything, and remembers what it was asked. */
class FakeAuthority : public Authority
{
public:
	struct Asked {
		Action action;
		Details details;
	};

	void authorize(const Caller &, Action action, Details details, Completion done) override
	{
		asked.push_back({action, details});
		if (refuse)
			done(std::make_exception_ptr(
				Error(ErrorCode::NotAuthorized, "The test refuses.")));
		else
			done(nullptr);
	}

	bool refuse = false;
	std::vector<Asked> asked;
};

class PassingFailureReport : public FailureReport
{
public:
	Task<std::exception_ptr> explained(std::exception_ptr error, Caller,
					   std::vector<std::string>) override
	{
		co_return error;
	}
};

/* What a request answered, shared with its reply, which the request owns and destroys. */
template<typename T>
struct Answer {
	unsigned answers = 0;
	std::optional<typename Reply<T>::Value> value;
	std::exception_ptr error;
	/* The reply was destroyed, as a bus reply that then answers by itself. */
	bool replyGone = false;
};

template<typename T>
class RecordingReply final : public Reply<T>
{
public:
	explicit RecordingReply(std::shared_ptr<Answer<T>> answer) : answer_(std::move(answer)) {}
	~RecordingReply() override { answer_->replyGone = true; }

	void succeed(typename Reply<T>::Value value) override
	{
		++answer_->answers;
		answer_->value = std::move(value);
	}

	void fail(std::exception_ptr error) override
	{
		++answer_->answers;
		answer_->error = std::move(error);
	}

private:
	std::shared_ptr<Answer<T>> answer_;
};

/* The health records' writes, here and now: no thread of its own in these tests. */
void runAtOnce(std::function<void()> work, std::function<void(std::exception_ptr)> done)
{
	std::exception_ptr error;
	try {
		work();
	} catch (...) {
		error = std::current_exception();
	}
	done(error);
}

ErrorCode codeOf(const std::exception_ptr &error)
{
	try {
		std::rethrow_exception(error);
	} catch (const Error &e) {
		return e.code();
	} catch (...) {
	}
	ADD_FAILURE() << "not a plinth::Error";
	return ErrorCode::InvalidArgument;
}

class RequestsTest : public testing::Test
{
protected:
	RequestsTest()
	{
		dir_.write("apps.d/web.toml", appFile("web"));
		dir_.write("apps.d/blog.toml", appFile("blog"));
		spdlog::set_default_logger(std::make_shared<spdlog::logger>(
			"test", std::make_shared<spdlog::sinks::ostream_sink_mt>(log_)));
		spdlog::set_level(spdlog::level::info);
		bool loaded = false;
		catalog_.reload([&](const LoadResult &) { loaded = true; });
		EXPECT_TRUE(loaded);
	}

	~RequestsTest() override { spdlog::set_default_logger(previousLogger_); }

	/* Starts a request of caller that runs body, as a method call does. */
	template<typename T, typename Body>
	std::shared_ptr<Answer<T>> start(Body body, Caller caller = {":1.7", false})
	{
		auto answer = std::make_shared<Answer<T>>();
		auto request = std::make_unique<Request<T>>(
			std::move(caller), std::make_unique<RecordingReply<T>>(answer), authority_);
		Task<T> task = body(*request);
		Request<T>::run(std::move(request), std::move(task));
		return answer;
	}

	std::shared_ptr<Answer<void>> enable(const std::string &app)
	{
		return start<void>([&](Request<void> &r) { return requests_.enableApp(r, app); });
	}

	std::shared_ptr<Answer<void>> disable(const std::string &app)
	{
		return start<void>([&](Request<void> &r) { return requests_.disableApp(r, app); });
	}

	/* Lines of the log that contain text. */
	unsigned logLines(const std::string &text) const
	{
		std::istringstream lines(log_.str());
		unsigned count = 0;
		for (std::string line; std::getline(lines, line);)
			count += line.find(text) != std::string::npos;
		return count;
	}

	const std::shared_ptr<spdlog::logger> previousLogger_ = spdlog::default_logger();
	test::TempDir dir_;
	std::ostringstream log_;
	EventLoop loop_;
	FakeSystemd systemd_;
	FakeAuthority authority_;
	PassingFailureReport failures_;
	EnableStateStore records_{dir_.path() / "leaderless-apps.toml"};
	AppCatalog catalog_{systemd_, records_, {dir_.path() / "apps.d"}};
	Translator translator_;
	DiagnosisRunner runner_{[this](std::function<void()> fn) { loop_.post(std::move(fn)); }, 1s,
				translator_};
	AppDiagnoses diagnoses_{catalog_, runner_};
	AppChanges changes_{catalog_, diagnoses_, systemd_, records_};
	HealthStore healthStore_{dir_.path() / "health.toml"};
	IgnoredChecksStore ignoredStore_{dir_.path() / "ignored-checks.toml"};
	HealthMonitor health_{catalog_,	    changes_,	   diagnoses_, translator_,
			      healthStore_, ignoredStore_, runAtOnce};
	UnitLeases leases_{changes_, loop_, dir_.path() / "leases.toml"};
	Requests requests_{catalog_, changes_, leases_, failures_, health_};
	Queries queries_{catalog_, health_};
};

TEST_F(RequestsTest, AnAllowedChangeRunsItsPlanAndAnswersOnceWithOneLogLine)
{
	const auto answer = enable("web");

	ASSERT_EQ(authority_.asked.size(), 1u);
	EXPECT_EQ(authority_.asked[0].action, Action::ManageApps);
	const Authority::Details details{{"app", "web"}, {"verb", "enable"}};
	EXPECT_EQ(authority_.asked[0].details, details);
	ASSERT_EQ(systemd_.plans.size(), 1u);
	EXPECT_EQ(systemd_.plans[0], planEnableApp(catalog_.app("web")));
	EXPECT_EQ(answer->answers, 0u) << "answered before systemd carried the plan out";

	systemd_.finishNext();
	EXPECT_EQ(answer->answers, 1u);
	EXPECT_FALSE(answer->error);
	EXPECT_TRUE(answer->replyGone);
	EXPECT_EQ(logLines("enable app web for :1.7 done"), 1u);
	EXPECT_EQ(logLines("enable app web"), 1u);
}

TEST_F(RequestsTest, AnInvalidOrUnknownAppIsRefusedBeforeAnyoneIsAsked)
{
	const auto malformed = enable("Not An Id!");
	const auto unknown = disable("nosuchapp");

	EXPECT_EQ(codeOf(malformed->error), ErrorCode::InvalidArgument);
	EXPECT_EQ(codeOf(unknown->error), ErrorCode::NoSuchApp);
	EXPECT_EQ(malformed->answers + unknown->answers, 2u);
	EXPECT_TRUE(authority_.asked.empty());
	EXPECT_TRUE(systemd_.plans.empty());
	EXPECT_EQ(logLines("failed after"), 2u);
}

TEST_F(RequestsTest, ARefusalIsANamedErrorAndNothingRuns)
{
	authority_.refuse = true;
	const auto answer = enable("web");

	EXPECT_EQ(answer->answers, 1u);
	EXPECT_EQ(codeOf(answer->error), ErrorCode::NotAuthorized);
	EXPECT_EQ(toBusError(answer->error).getName(),
		  "org.freedesktop.Plinth.Daemons.Error.NotAuthorized");
	EXPECT_TRUE(systemd_.plans.empty());
}

TEST_F(RequestsTest, OverlappingChangesRunOneAfterAnotherInTheirOrder)
{
	const auto first = enable("web");
	const auto second = disable("web");
	ASSERT_EQ(systemd_.plans.size(), 1u) << "the disable started during the enable";

	systemd_.finishNext();
	EXPECT_EQ(first->answers, 1u);
	ASSERT_EQ(systemd_.plans.size(), 2u);
	EXPECT_EQ(second->answers, 0u);

	systemd_.finishNext();
	EXPECT_EQ(second->answers, 1u);
	EXPECT_FALSE(first->error);
	EXPECT_FALSE(second->error);
}

TEST_F(RequestsTest, ChangesOfUnrelatedAppsRunSideBySide)
{
	const auto web = enable("web");
	const auto blog = enable("blog");

	EXPECT_EQ(systemd_.plans.size(), 2u);
	systemd_.finishNext();
	systemd_.finishNext();
	EXPECT_EQ(web->answers + blog->answers, 2u);
}

TEST_F(RequestsTest, AFailureOfSystemdIsTheAnswer)
{
	const auto answer = enable("web");
	systemd_.finishNext(std::make_exception_ptr(Error(ErrorCode::Timeout, "Too slow.")));

	EXPECT_EQ(answer->answers, 1u);
	EXPECT_EQ(codeOf(answer->error), ErrorCode::Timeout);
	EXPECT_EQ(logLines("enable app web for :1.7 failed after"), 1u);
}

TEST_F(RequestsTest, ARequestAbandonedMidwayStillLetsGoOfItsReply)
{
	const auto answer = enable("web");
	ASSERT_EQ(systemd_.waiting.size(), 1u);

	/* systemd's side goes away without an answer, as at a stop of the service. */
	systemd_.waiting.clear();

	EXPECT_EQ(answer->answers, 0u);
	EXPECT_TRUE(answer->replyGone) << "a bus reply answers when it is destroyed";
	EXPECT_EQ(logLines("enable app web for :1.7 ended unanswered"), 1u);
}

TEST_F(RequestsTest, ALeaseCarriesItsDescriptorAsTheResult)
{
	const auto answer = start<UnitLeases::Granted>([&](Request<UnitLeases::Granted> &r) {
		return requests_.ensureUnitRunning(r, "plinth-web");
	});
	ASSERT_EQ(systemd_.plans.size(), 1u);
	const Authority::Details details{{"unit", "plinth-web.service"},
					 {"verb", "ensure-running"}};
	EXPECT_EQ(authority_.asked.at(0).details, details);

	systemd_.finishNext();
	ASSERT_EQ(answer->answers, 1u);
	ASSERT_FALSE(answer->error);
	ASSERT_TRUE(answer->value);
	EXPECT_FALSE(answer->value->wasRunning);
	EXPECT_GE(answer->value->fd, 0);
	::close(answer->value->fd);
}

TEST_F(RequestsTest, AnUndeclaredUnitIsRefusedBeforeAnyoneIsAsked)
{
	const auto answer = start<void>([&](Request<void> &r) {
		return requests_.runUnitVerb(r, UnitVerb::Start, "sshd");
	});

	EXPECT_EQ(codeOf(answer->error), ErrorCode::NotManaged);
	EXPECT_TRUE(authority_.asked.empty());
	EXPECT_TRUE(systemd_.plans.empty());
}

TEST_F(RequestsTest, TheServicesOwnReloadAsksNobodyAndIsAnnounced)
{
	unsigned announced = 0;
	const auto subscription = requests_.onReloaded([&] { ++announced; });

	const auto answer = start<void>([&](Request<void> &r) { return requests_.reload(r); },
					{"SIGHUP", false, true});

	EXPECT_EQ(answer->answers, 1u);
	EXPECT_FALSE(answer->error);
	EXPECT_TRUE(authority_.asked.empty());
	EXPECT_EQ(announced, 1u);
	EXPECT_EQ(logLines("reload the app definitions for SIGHUP done"), 1u);
}

TEST_F(RequestsTest, AReloadOfACallerIsAuthorized)
{
	authority_.refuse = true;
	const auto answer = start<void>([&](Request<void> &r) { return requests_.reload(r); });

	EXPECT_EQ(codeOf(answer->error), ErrorCode::NotAuthorized);
	ASSERT_EQ(authority_.asked.size(), 1u);
	EXPECT_EQ(authority_.asked[0].action, Action::Reload);
}

TEST_F(RequestsTest, AQueryAnswersFromTheStatesAndAsksNobody)
{
	systemd_.states.setFileState("plinth-web.service", "enabled");
	systemd_.states.setActiveState("plinth-web.service", "active");

	const auto listing = start<std::vector<Queries::AppListing>>(
		[&](Request<std::vector<Queries::AppListing>> &r) { return queries_.listApps(r); });
	const auto webRunning =
		start<bool>([&](Request<bool> &r) { return queries_.isAppRunning(r, "web"); });
	const auto blogEnabled =
		start<bool>([&](Request<bool> &r) { return queries_.isAppEnabled(r, "blog"); });
	const auto unitEnabled = start<bool>(
		[&](Request<bool> &r) { return queries_.isUnitEnabled(r, "plinth-web"); });

	ASSERT_TRUE(listing->value);
	ASSERT_EQ(listing->value->size(), 2u);
	for (const Queries::AppListing &app : *listing->value) {
		EXPECT_EQ(app.enabled, app.id == "web") << app.id;
		EXPECT_EQ(app.running, app.id == "web") << app.id;
	}
	EXPECT_EQ(webRunning->value, std::optional<bool>(true));
	EXPECT_EQ(blogEnabled->value, std::optional<bool>(false));
	EXPECT_EQ(unitEnabled->value, std::optional<bool>(true));
	EXPECT_EQ(listing->answers + webRunning->answers + blogEnabled->answers +
			  unitEnabled->answers,
		  4u);
	EXPECT_TRUE(authority_.asked.empty()) << "the queries are open to everyone";
}

TEST_F(RequestsTest, AQueryOfAnUnknownAppOrUnitIsANamedErrorWithOneDebugLine)
{
	spdlog::set_level(spdlog::level::debug);
	const auto unknown = start<bool>(
		[&](Request<bool> &r) { return queries_.isAppEnabled(r, "nosuchapp"); });
	const auto malformed = start<AppHealth>(
		[&](Request<AppHealth> &r) { return queries_.appHealth(r, "Not An Id!"); });
	const auto undeclared =
		start<bool>([&](Request<bool> &r) { return queries_.isUnitRunning(r, "sshd"); });
	const auto components = start<ValidApp>(
		[&](Request<ValidApp> &r) { return queries_.appComponents(r, "web"); });

	EXPECT_EQ(codeOf(unknown->error), ErrorCode::NoSuchApp);
	EXPECT_EQ(codeOf(malformed->error), ErrorCode::InvalidArgument);
	EXPECT_EQ(codeOf(undeclared->error), ErrorCode::NotManaged);
	ASSERT_TRUE(components->value);
	EXPECT_EQ((*components->value)->id, "web");
	EXPECT_EQ(logLines("is app nosuchapp enabled for :1.7 failed after"), 1u);
	EXPECT_EQ(logLines("components of app web for :1.7 done"), 1u);
	EXPECT_EQ(logLines(" for :1.7 "), 4u) << "one line for each query";
}

TEST_F(RequestsTest, AQueryOfStatesWaitsUntilSystemdHasAnsweredForEveryUnit)
{
	FakeSystemd starting;
	starting.holdsAnswers = true;
	AppCatalog catalog{starting, records_, {dir_.path() / "apps.d"}};
	catalog.reload([](const LoadResult &) {});
	Queries queries{catalog, health_};

	const auto running =
		start<bool>([&](Request<bool> &r) { return queries.isAppRunning(r, "web"); });
	EXPECT_EQ(running->answers, 0u) << "answered before the states were known";

	for (const auto &answer : std::exchange(starting.heldAnswers, {}))
		answer();
	EXPECT_EQ(running->answers, 1u);
	EXPECT_EQ(running->value, std::optional<bool>(false));
}

} /* namespace */
} /* namespace plinth */

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <sdbus-c++/sdbus-c++.h>

#include "error.h"
#include "event_loop.h"
#include "plan.h"
#include "signal_gate.h"
#include "systemd_client.h"
#include "systemd_sandbox.h"

namespace plinth {

/* A failed expectation names the code instead of dumping its bytes. */
void PrintTo(ErrorCode code, std::ostream *os)
{
	*os << errorCodeName(code);
}

void PrintTo(const UnitState &state, std::ostream *os)
{
	*os << "{" << state.loadState << ", " << state.activeState << ", " << state.subState << ", "
	    << state.unitFileState << "}";
}

namespace {

using namespace std::chrono_literals;
using test::SystemdSandbox;

const std::string kHttp = "plinth-test-http.service";
const std::string kUdp = "plinth-test-udp.service";
const std::string kFail = "plinth-test-fail.service";
const std::string kNeverReady = "plinth-test-never-ready.service";
const std::string kRenamed = "plinth-test-renamed.service";
const std::string kOldName = "plinth-test-oldname.service";
const std::string kSlowA = "plinth-test-slow@a.service";
const std::string kSlowB = "plinth-test-slow@b.service";
const std::string kEchoSocket = "plinth-test-echo.socket";
const std::string kEchoService = "plinth-test-echo.service";
const std::string kLegacy = "plinth-test-legacy.service";
const std::string kNewName = "plinth-test-newname.service";
const std::string kSquatter = "plinth-test-squatter.service";
const std::string kMissing = "plinth-test-missing.service";
constexpr std::uint16_t kEchoPort = 19473;

/* Only a broken client comes near these. */
constexpr auto kPatience = 20s;
constexpr auto kJobTimeout = 15s;

/* What execute() reported: nothing, or a plinth::Error's code and message; what changed. */
struct Outcome {
	std::optional<ErrorCode> code;
	std::string message;
	PlanOutcome changed = {};
};

Outcome outcomeOf(const std::exception_ptr &error)
{
	if (!error)
		return {};
	try {
		std::rethrow_exception(error);
	} catch (const Error &e) {
		return {e.code(), e.what()};
	} catch (const std::exception &e) {
		ADD_FAILURE() << "not a plinth::Error: " << e.what();
		return {ErrorCode::InvalidArgument, e.what()};
	}
}

PlanStep jobStep(UnitVerb type, const std::vector<std::string> &units)
{
	PlanStep step{type, {}};
	for (const std::string &unit : units)
		step.targets.push_back({unit, false});
	return step;
}

PlanStep fileStep(UnitVerb change, const std::vector<PlanTarget> &targets)
{
	return {change, targets};
}

/* The state of this very name as systemd gives it when asked name by name, on a connection of its
 * own. */
UnitState askedByName(sdbus::IConnection &connection, const std::string &unit)
{
	const std::string service = "org.freedesktop.systemd1";
	const std::string managerInterface = "org.freedesktop.systemd1.Manager";
	const std::string unitInterface = "org.freedesktop.systemd1.Unit";
	const auto manager = sdbus::createProxy(connection, service, "/org/freedesktop/systemd1");

	sdbus::ObjectPath path;
	manager->callMethod("LoadUnit")
		.onInterface(managerInterface)
		.withArguments(unit)
		.storeResultsTo(path);
	const auto object = sdbus::createProxy(connection, service, path);
	const auto property = [&](const std::string &name) {
		return object->getProperty(name).onInterface(unitInterface).get<std::string>();
	};

	UnitState state{property("LoadState"), property("ActiveState"), property("SubState"), {}};
	try {
		manager->callMethod("GetUnitFileState")
			.onInterface(managerInterface)
			.withArguments(unit)
			.storeResultsTo(state.unitFileState);
	} catch (const sdbus::Error &e) {
		if (e.getName() != "org.freedesktop.DBus.Error.FileNotFound")
			throw;
	}
	return state;
}

/* Connects to the echo service through its socket and returns what came back. */
std::string echo(std::uint16_t port, const std::string &text)
{
	const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	sockaddr_in address{};
	address.sin_family = AF_INET;
	address.sin_port = htons(port);
	address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	std::string reply;
	if (connect(fd, reinterpret_cast<sockaddr *>(&address), sizeof(address)) == 0 &&
	    write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size())) {
		char buffer[64];
		const ssize_t n = read(fd, buffer, sizeof(buffer));
		if (n > 0)
			reply.assign(buffer, n);
	}
	close(fd);
	return reply;
}

class SystemdClientTest : public ::testing::Test
{
protected:
	void SetUp() override
	{
		SKIP_WITHOUT_SANDBOX();
		sandbox_ = std::make_unique<SystemdSandbox>(std::vector<std::string>{
			kHttp, kUdp, kFail, kNeverReady, kRenamed, "plinth-test-slow@.service",
			kEchoSocket, kEchoService, kLegacy, kSquatter});
		connection_ = sdbus::createSessionBusConnectionWithAddress(sandbox_->busAddress());
		loop_.addConnection(*connection_);
		signals_ = std::make_unique<SignalGate>(*connection_);
		client_ = std::make_unique<SystemdClient>(*signals_, loop_, kJobTimeout);
		client_->onUnitChanged(
			[this](const std::string &unit) { changed_.push_back(unit); });
		ASSERT_TRUE(waitFor([&] { return client_->isAvailable(); }));
	}

	void TearDown() override
	{
		client_.reset();
		signals_.reset();
		if (connection_)
			loop_.removeConnection(*connection_);
	}

	bool waitFor(const std::function<bool()> &condition)
	{
		return loop_.runUntil(condition, kPatience);
	}

	void track(const std::vector<std::string> &units)
	{
		bool done = false;
		client_->track(units, [&] { done = true; });
		ASSERT_TRUE(waitFor([&] { return done; }));
	}

	Outcome execute(const Plan &plan)
	{
		std::optional<std::exception_ptr> result;
		PlanOutcome changed;
		client_->execute(plan, [&](std::exception_ptr error, const PlanOutcome &outcome) {
			result = error;
			changed = outcome;
		});
		EXPECT_TRUE(waitFor([&] { return result.has_value(); }));
		Outcome outcome = outcomeOf(result.value_or(nullptr));
		outcome.changed = std::move(changed);
		return outcome;
	}

	const UnitState &state(const std::string &unit) const
	{
		return client_->unitStates().unitState(unit);
	}

	/* Every name's cached state is what systemd says of that very name when asked alone. */
	void expectCacheAgreesWithSystemd(const std::vector<std::string> &units)
	{
		const auto reference =
			sdbus::createSessionBusConnectionWithAddress(sandbox_->busAddress());
		for (const std::string &unit : units)
			EXPECT_EQ(state(unit), askedByName(*reference, unit)) << unit;
	}

	std::filesystem::path home() const
	{
		for (const std::string &variable : sandbox_->environment()) {
			if (variable.starts_with("HOME="))
				return variable.substr(5);
		}
		return {};
	}

	bool wasChanged(const std::string &unit) const
	{
		return std::find(changed_.begin(), changed_.end(), unit) != changed_.end();
	}

	std::unique_ptr<SystemdSandbox> sandbox_;
	std::unique_ptr<sdbus::IConnection> connection_;
	EventLoop loop_;
	std::unique_ptr<SignalGate> signals_;
	std::unique_ptr<SystemdClient> client_;
	std::vector<std::string> changed_;
};

TEST_F(SystemdClientTest, TracksLoadStateActiveStateAndUnitFileStateOfEachName)
{
	track({kHttp, kOldName, "plinth-test-no-such.service"});

	EXPECT_EQ(state(kHttp), (UnitState{"loaded", "inactive", "dead", "disabled"}));
	/* The alias is not linked before its unit is enabled: no file of that name. */
	EXPECT_EQ(state(kOldName).loadState, "not-found");
	EXPECT_EQ(state(kOldName).unitFileState, "");
	EXPECT_EQ(state("plinth-test-no-such.service").loadState, "not-found");
	EXPECT_EQ(state("plinth-test-untracked.service"), UnitState{});
}

TEST_F(SystemdClientTest, TracksMoreUnitsThanTheBusLetsOneConnectionAwaitRepliesFor)
{
	/* Past dbus-daemon's default of 128 pending replies per connection, the system bus's. */
	std::vector<std::string> units;
	for (int i = 0; i < 300; i++)
		units.push_back("plinth-test-slow@" + std::to_string(i) + ".service");
	track(units);
	for (const std::string &unit : units) {
		EXPECT_EQ(state(unit).loadState, "loaded") << unit;
		EXPECT_EQ(state(unit).activeState, "inactive") << unit;
		EXPECT_EQ(state(unit).unitFileState, "disabled") << unit;
	}
}

TEST_F(SystemdClientTest, BatchedReadsGiveEachNameWhatSystemdSaysOfItAlone)
{
	ASSERT_EQ(sandbox_->systemctlStatus({"enable", kRenamed}), 0);
	ASSERT_EQ(sandbox_->systemctlStatus({"mask", kHttp}), 0);
	ASSERT_EQ(sandbox_->systemctlStatus({"enable", "--runtime", kUdp}), 0);
	ASSERT_EQ(sandbox_->systemctlStatus({"enable", kSlowA}), 0);
	ASSERT_EQ(sandbox_->systemctlStatus({"start", kEchoSocket}), 0);
	const std::vector<std::string> units = {
		kHttp,	kUdp,	kFail,	     kRenamed,	   kOldName,
		kSlowA, kSlowB, kEchoSocket, kEchoService, "plinth-test-no-such.service"};

	track(units);
	expectCacheAgreesWithSystemd(units);

	/* A template name makes systemd refuse the whole batch: each name is then asked alone. */
	client_ = std::make_unique<SystemdClient>(*signals_, loop_, kJobTimeout);
	std::vector<std::string> withTemplate = units;
	withTemplate.push_back("plinth-test-slow@.service");
	track(withTemplate);
	expectCacheAgreesWithSystemd(units);
}

TEST_F(SystemdClientTest, StartedUnitsAreActiveAndStoppedOnesInactive)
{
	track({kHttp, kUdp});

	EXPECT_EQ(execute({jobStep(UnitVerb::Start, {kHttp, kUdp})}).code, std::nullopt);
	EXPECT_EQ(sandbox_->systemctl({"is-active", kHttp}), "active");
	EXPECT_EQ(sandbox_->systemctl({"is-active", kUdp}), "active");
	EXPECT_EQ(state(kHttp).activeState, "active");
	EXPECT_EQ(state(kUdp).subState, "running");

	EXPECT_EQ(execute({jobStep(UnitVerb::Stop, {kHttp, kUdp})}).code, std::nullopt);
	EXPECT_EQ(sandbox_->systemctl({"is-active", kHttp}), "inactive");
	EXPECT_EQ(state(kHttp).activeState, "inactive");
	EXPECT_EQ(state(kUdp).activeState, "inactive");
}

TEST_F(SystemdClientTest, RestartsGiveTheUnitANewMainProcess)
{
	track({kHttp});
	ASSERT_EQ(execute({jobStep(UnitVerb::Start, {kHttp})}).code, std::nullopt);
	const std::string firstPid = sandbox_->systemctl({"show", "-P", "MainPID", kHttp});

	EXPECT_EQ(execute({jobStep(UnitVerb::Restart, {kHttp})}).code, std::nullopt);
	const std::string secondPid = sandbox_->systemctl({"show", "-P", "MainPID", kHttp});
	EXPECT_NE(secondPid, firstPid);

	EXPECT_EQ(execute({jobStep(UnitVerb::TryRestart, {kHttp})}).code, std::nullopt);
	EXPECT_NE(sandbox_->systemctl({"show", "-P", "MainPID", kHttp}), secondPid);

	EXPECT_EQ(execute({jobStep(UnitVerb::TryReloadOrRestart, {kHttp})}).code, std::nullopt);
	EXPECT_EQ(state(kHttp).activeState, "active");
}

TEST_F(SystemdClientTest, TryRestartLeavesAStoppedUnitStopped)
{
	track({kHttp});
	EXPECT_EQ(execute({jobStep(UnitVerb::TryRestart, {kHttp})}).code, std::nullopt);
	EXPECT_EQ(sandbox_->systemctl({"is-active", kHttp}), "inactive");
	EXPECT_EQ(state(kHttp).activeState, "inactive");
}

TEST_F(SystemdClientTest, ReloadingAUnitWithoutReloadCommandFailsNamingIt)
{
	track({kHttp});
	ASSERT_EQ(execute({jobStep(UnitVerb::Start, {kHttp})}).code, std::nullopt);

	const Outcome outcome = execute({jobStep(UnitVerb::Reload, {kHttp})});
	EXPECT_EQ(outcome.code, ErrorCode::JobFailed);
	EXPECT_NE(outcome.message.find(kHttp), std::string::npos) << outcome.message;
}

TEST_F(SystemdClientTest, FailingUnitYieldsJobFailedNamingUnitAndJobResult)
{
	track({kFail});

	const Outcome outcome = execute({jobStep(UnitVerb::Start, {kFail})});
	EXPECT_EQ(outcome.code, ErrorCode::JobFailed);
	EXPECT_NE(outcome.message.find(kFail), std::string::npos) << outcome.message;
	EXPECT_NE(outcome.message.find("'failed'"), std::string::npos) << outcome.message;
	/* The unit's own result is the service's to add (FailureReport), once. */
	EXPECT_EQ(outcome.message.find("exit-code"), std::string::npos) << outcome.message;
	EXPECT_EQ(state(kFail).activeState, "failed");
}

TEST_F(SystemdClientTest, AFailingJobFailsThePlanButEveryOtherUnitIsStillAttempted)
{
	track({kFail, kSlowA, kSlowB, kHttp});

	const Outcome outcome = execute({jobStep(UnitVerb::Start, {kSlowA, kFail, kSlowB}),
					 jobStep(UnitVerb::Start, {kHttp})});
	EXPECT_EQ(outcome.code, ErrorCode::JobFailed);
	EXPECT_NE(outcome.message.find(kFail), std::string::npos) << outcome.message;
	EXPECT_EQ(state(kSlowA).activeState, "active");
	EXPECT_EQ(state(kSlowB).activeState, "active");
	/* Best effort: the step after the failed one ran too. */
	EXPECT_EQ(sandbox_->systemctl({"is-active", kHttp}), "active");
	EXPECT_EQ(state(kHttp).activeState, "active");
}

TEST_F(SystemdClientTest, UnitThatNeverBecomesReadyTimesOut)
{
	SystemdClient shortClient(*signals_, loop_, 1s);
	ASSERT_TRUE(waitFor([&] { return shortClient.isAvailable(); }));

	std::optional<std::exception_ptr> result;
	shortClient.execute({jobStep(UnitVerb::Start, {kNeverReady})},
			    [&](std::exception_ptr error, const PlanOutcome &) { result = error; });
	ASSERT_TRUE(waitFor([&] { return result.has_value(); }));

	const Outcome outcome = outcomeOf(*result);
	EXPECT_EQ(outcome.code, ErrorCode::Timeout);
	EXPECT_NE(outcome.message.find(kNeverReady), std::string::npos) << outcome.message;
	/* Cancelled in systemd too: the error and the system agree. */
	EXPECT_TRUE(waitFor([&] {
		return sandbox_->systemctl({"show", "-P", "Job", kNeverReady}).empty();
	})) << sandbox_->systemctl({"list-jobs"});
}

TEST_F(SystemdClientTest, EnabledUnitsShowInIsEnabledAndDisabledOnesDoNot)
{
	track({kHttp, kUdp});
	ASSERT_EQ(execute({fileStep(UnitVerb::Disable, {{kHttp, false}, {kUdp, false}})}).code,
		  std::nullopt);
	EXPECT_EQ(sandbox_->systemctl({"is-enabled", kHttp}), "disabled");
	EXPECT_EQ(state(kUdp).unitFileState, "disabled");

	EXPECT_EQ(execute({fileStep(UnitVerb::Enable, {{kHttp, false}, {kUdp, false}})}).code,
		  std::nullopt);
	EXPECT_EQ(sandbox_->systemctl({"is-enabled", kHttp}), "enabled");
	EXPECT_EQ(sandbox_->systemctl({"is-enabled", kUdp}), "enabled");
	EXPECT_EQ(state(kHttp).unitFileState, "enabled");
}

/* What a lease relies on to tell its own enable from one it found done. */
TEST_F(SystemdClientTest, AnEnableReportsTheLinksItCreatedAndNoneWhereTheyWereInPlace)
{
	track({kHttp});
	ASSERT_EQ(execute({fileStep(UnitVerb::Disable, {{kHttp, false}})}).code, std::nullopt);

	const Outcome first = execute({fileStep(UnitVerb::Enable, {{kHttp, false}})});
	EXPECT_EQ(first.code, std::nullopt);
	EXPECT_TRUE(first.changed.createdLinks());

	const Outcome again = execute({fileStep(UnitVerb::Enable, {{kHttp, false}})});
	EXPECT_EQ(again.code, std::nullopt);
	EXPECT_FALSE(again.changed.createdLinks());
	EXPECT_EQ(sandbox_->systemctl({"is-enabled", kHttp}), "enabled");
}

TEST_F(SystemdClientTest, MaskedUnitIsMaskedUntilUnmasked)
{
	track({kHttp});
	ASSERT_EQ(execute({fileStep(UnitVerb::Mask, {{kHttp, false}})}).code, std::nullopt);
	EXPECT_EQ(sandbox_->systemctl({"is-enabled", kHttp}), "masked");
	EXPECT_EQ(state(kHttp).unitFileState, "masked");
	EXPECT_EQ(state(kHttp).loadState, "masked");
	EXPECT_EQ(execute({jobStep(UnitVerb::Start, {kHttp})}).code, ErrorCode::JobFailed);

	ASSERT_EQ(execute({fileStep(UnitVerb::Unmask, {{kHttp, false}})}).code, std::nullopt);
	EXPECT_NE(sandbox_->systemctl({"is-enabled", kHttp}), "masked");
	EXPECT_EQ(state(kHttp).loadState, "loaded");
}

TEST_F(SystemdClientTest, EnablingAUnitWithItsAliasLinksTheAlias)
{
	track({kRenamed, kOldName});
	const std::vector<PlanTarget> targets = {{kRenamed, false}, {kOldName, true}};

	ASSERT_EQ(execute({fileStep(UnitVerb::Disable, targets)}).code, std::nullopt);
	EXPECT_EQ(state(kOldName).unitFileState, "");

	/*
	 * Starting both names gives both calls the unit's one job; each must see it end, or the
	 * second one would report a timeout.
	 */
	EXPECT_EQ(execute({fileStep(UnitVerb::Enable, targets),
			   jobStep(UnitVerb::Start, {kRenamed, kOldName})})
			  .code,
		  std::nullopt);
	EXPECT_EQ(sandbox_->systemctl({"is-enabled", kRenamed}), "enabled");
	EXPECT_EQ(sandbox_->systemctl({"is-enabled", kOldName}), "alias");
	EXPECT_EQ(state(kOldName).unitFileState, "alias");
	/* Through the alias, the very unit runs. */
	EXPECT_EQ(state(kRenamed).activeState, "active");
	EXPECT_EQ(state(kOldName).activeState, "active");

	/* The alias link goes with its unit; failing to disable it again is only logged. */
	EXPECT_EQ(execute({fileStep(UnitVerb::Disable, targets)}).code, std::nullopt);
	EXPECT_EQ(sandbox_->systemctl({"is-enabled", kRenamed}), "disabled");
}

TEST_F(SystemdClientTest, RuntimeEnablingBehindTheClientsBackShowsInTheCache)
{
	track({kUdp});
	ASSERT_EQ(sandbox_->systemctlStatus({"disable", kUdp}), 0);
	ASSERT_TRUE(waitFor([&] { return state(kUdp).unitFileState == "disabled"; }));

	ASSERT_EQ(sandbox_->systemctlStatus({"enable", "--runtime", kUdp}), 0);
	EXPECT_TRUE(waitFor([&] { return state(kUdp).unitFileState == "enabled-runtime"; }))
		<< state(kUdp).unitFileState;
}

TEST_F(SystemdClientTest, ChangesBehindTheClientsBackShowInTheCacheAndAreAnnounced)
{
	track({kHttp});
	changed_.clear();

	ASSERT_EQ(sandbox_->systemctlStatus({"start", kHttp}), 0);
	EXPECT_TRUE(waitFor([&] { return state(kHttp).activeState == "active"; }));
	EXPECT_TRUE(wasChanged(kHttp));

	/* A crash is a change too. */
	changed_.clear();
	ASSERT_EQ(sandbox_->systemctlStatus({"kill", "--signal=KILL", kHttp}), 0);
	EXPECT_TRUE(waitFor([&] { return state(kHttp).activeState == "failed"; }))
		<< state(kHttp).activeState;
	EXPECT_TRUE(wasChanged(kHttp));
}

TEST_F(SystemdClientTest, NothingIsAnnouncedWhenNothingChanged)
{
	track({kHttp, kUdp});
	changed_.clear();

	track({kHttp, kUdp});
	EXPECT_TRUE(changed_.empty());

	ASSERT_EQ(sandbox_->systemctlStatus({"start", kUdp}), 0);
	ASSERT_TRUE(waitFor([&] { return state(kUdp).activeState == "active"; }));
	EXPECT_FALSE(wasChanged(kHttp));
}

TEST_F(SystemdClientTest, StartingASocketListensAndStoppingItStopsItsServiceToo)
{
	track({kEchoSocket, kEchoService});

	ASSERT_EQ(execute(planUnitVerb(UnitVerb::Start, kEchoSocket)).code, std::nullopt);
	EXPECT_EQ(state(kEchoSocket).activeState, "active");
	EXPECT_EQ(state(kEchoService).activeState, "inactive");

	EXPECT_EQ(echo(kEchoPort, "ping"), "ping");
	EXPECT_TRUE(waitFor([&] { return state(kEchoService).activeState == "active"; }));

	EXPECT_EQ(execute(planUnitVerb(UnitVerb::Stop, kEchoSocket)).code, std::nullopt);
	EXPECT_EQ(sandbox_->systemctl({"is-active", kEchoSocket}), "inactive");
	EXPECT_EQ(state(kEchoSocket).activeState, "inactive");
	EXPECT_EQ(state(kEchoService).activeState, "inactive");
}

TEST_F(SystemdClientTest, ManagerKilledMidJobFailsTheJobAndTheClientRecovers)
{
	track({kSlowA, kHttp});
	ASSERT_EQ(execute({jobStep(UnitVerb::Start, {kHttp})}).code, std::nullopt);

	std::optional<std::exception_ptr> result;
	client_->execute({jobStep(UnitVerb::Start, {kSlowA})},
			 [&](std::exception_ptr error, const PlanOutcome &) { result = error; });
	ASSERT_TRUE(waitFor([&] { return state(kSlowA).activeState == "activating"; }));
	ASSERT_FALSE(result.has_value());

	sandbox_->killManager();
	ASSERT_TRUE(waitFor([&] { return result.has_value(); }));
	const Outcome outcome = outcomeOf(*result);
	EXPECT_EQ(outcome.code, ErrorCode::SystemdUnavailable);
	EXPECT_NE(outcome.message.find(kSlowA), std::string::npos) << outcome.message;
	EXPECT_FALSE(client_->isAvailable());

	/* While it is gone, calls fail the same way instead of hanging. */
	EXPECT_EQ(execute({jobStep(UnitVerb::Start, {kHttp})}).code, ErrorCode::SystemdUnavailable);

	sandbox_->startManager();
	ASSERT_TRUE(waitFor([&] { return client_->isAvailable(); }));
	/* The rebuilt cache knows the new manager stopped everything. */
	EXPECT_TRUE(waitFor([&] { return state(kHttp).activeState == "inactive"; }));

	EXPECT_EQ(execute({jobStep(UnitVerb::Start, {kHttp})}).code, std::nullopt);
	EXPECT_EQ(sandbox_->systemctl({"is-active", kHttp}), "active");
	/* Subscribed again: a change behind its back still shows. */
	ASSERT_EQ(sandbox_->systemctlStatus({"stop", kHttp}), 0);
	EXPECT_TRUE(waitFor([&] { return state(kHttp).activeState == "inactive"; }));
}

TEST_F(SystemdClientTest, JobsSurviveAReexecOfTheManager)
{
	track({kSlowA});
	std::optional<std::exception_ptr> result;
	client_->execute({jobStep(UnitVerb::Start, {kSlowA})},
			 [&](std::exception_ptr error, const PlanOutcome &) { result = error; });
	ASSERT_TRUE(waitFor([&] { return state(kSlowA).activeState == "activating"; }));

	ASSERT_EQ(sandbox_->systemctlStatus({"daemon-reexec"}), 0);
	ASSERT_TRUE(waitFor([&] { return result.has_value(); }));
	EXPECT_EQ(outcomeOf(*result).code, std::nullopt) << outcomeOf(*result).message;
	EXPECT_EQ(sandbox_->systemctl({"is-active", kSlowA}), "active");
	EXPECT_EQ(state(kSlowA).activeState, "active");
}

TEST_F(SystemdClientTest, AMissingUnitFailsAloneAndTheOthersAreEnabledAndStarted)
{
	track({kHttp, kMissing});
	const std::vector<PlanTarget> targets = {{kMissing, false}, {kHttp, false}};

	const Outcome outcome = execute(
		{fileStep(UnitVerb::Enable, targets), jobStep(UnitVerb::Start, {kMissing, kHttp})});
	EXPECT_EQ(outcome.code, ErrorCode::JobFailed);
	EXPECT_NE(outcome.message.find(kMissing), std::string::npos) << outcome.message;
	EXPECT_EQ(outcome.message.find(kHttp), std::string::npos) << outcome.message;
	EXPECT_EQ(sandbox_->systemctl({"is-enabled", kHttp}), "enabled");
	EXPECT_EQ(sandbox_->systemctl({"is-active", kHttp}), "active");
	EXPECT_EQ(state(kHttp).unitFileState, "enabled");
}

TEST_F(SystemdClientTest, ADaemonWhoseOnlyFileHasTheOldNameIsManagedThroughIt)
{
	track({kNewName, kLegacy});
	/* What planEnableApp and planDisableApp make of a daemon with an alias. */
	const std::vector<PlanTarget> targets = {{kNewName, false, kLegacy}, {kLegacy, true}};
	const auto jobs = [&](UnitVerb type) {
		return PlanStep{type, targets};
	};

	EXPECT_EQ(execute({fileStep(UnitVerb::Enable, targets), jobs(UnitVerb::Start)}).code,
		  std::nullopt);
	EXPECT_EQ(sandbox_->systemctl({"is-enabled", kLegacy}), "enabled");
	EXPECT_EQ(sandbox_->systemctl({"is-active", kLegacy}), "active");

	EXPECT_EQ(execute({fileStep(UnitVerb::Disable, targets), jobs(UnitVerb::Stop)}).code,
		  std::nullopt);
	EXPECT_EQ(sandbox_->systemctl({"is-enabled", kLegacy}), "disabled");
	EXPECT_EQ(sandbox_->systemctl({"is-active", kLegacy}), "inactive");
}

TEST_F(SystemdClientTest, AnAliasLinkAnotherUnitOwnsIsNeverRepointed)
{
	ASSERT_EQ(sandbox_->systemctlStatus({"enable", kSquatter}), 0);
	const std::filesystem::path link = home() / ".config/systemd/user" / kOldName;
	ASSERT_EQ(std::filesystem::read_symlink(link).filename(), kSquatter);
	track({kRenamed, kOldName, kSquatter});

	const std::vector<PlanTarget> targets = {{kRenamed, false, kOldName}, {kOldName, true}};
	const Outcome outcome = execute({fileStep(UnitVerb::Enable, targets)});
	/* The conflict is the unit's own error, not hidden behind its alias's other owner. */
	EXPECT_EQ(outcome.code, ErrorCode::JobFailed);
	EXPECT_NE(outcome.message.find(kRenamed), std::string::npos) << outcome.message;
	EXPECT_EQ(std::filesystem::read_symlink(link).filename(), kSquatter);
}

TEST_F(SystemdClientTest, DisablingAUnitByItsAliasDisablesAndStopsTheUnit)
{
	ASSERT_EQ(sandbox_->systemctlStatus({"enable", "--now", kRenamed}), 0);
	track({kRenamed, kOldName});

	EXPECT_EQ(execute(planUnitVerb(UnitVerb::Disable, kOldName)).code, std::nullopt);
	EXPECT_EQ(sandbox_->systemctl({"is-enabled", kRenamed}), "disabled");
	EXPECT_EQ(sandbox_->systemctl({"is-active", kRenamed}), "inactive");
	EXPECT_EQ(state(kRenamed).activeState, "inactive");
}

TEST_F(SystemdClientTest, RestartingASocketStopsItsServiceAndKeepsTheSocket)
{
	track({kEchoSocket, kEchoService});
	ASSERT_EQ(execute(planUnitVerb(UnitVerb::Start, kEchoSocket)).code, std::nullopt);
	ASSERT_EQ(echo(kEchoPort, "ping"), "ping");
	ASSERT_TRUE(waitFor([&] { return state(kEchoService).activeState == "active"; }));
	const std::string since =
		sandbox_->systemctl({"show", "-P", "ActiveEnterTimestampMonotonic", kEchoSocket});

	EXPECT_EQ(execute(planUnitVerb(UnitVerb::Restart, kEchoSocket)).code, std::nullopt);
	EXPECT_EQ(sandbox_->systemctl({"is-active", kEchoService}), "inactive");
	EXPECT_EQ(sandbox_->systemctl({"show", "-P", "ActiveEnterTimestampMonotonic", kEchoSocket}),
		  since);
	/* The socket starts the service again on the next connection. */
	EXPECT_EQ(echo(kEchoPort, "pong"), "pong");
}

} /* namespace */
} /* namespace plinth */

/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <gtest/gtest.h>

#include <stdexcept>

#include "built_signal.h"
#include "signal_checks.h"
#include "systemd_signals.h"

using namespace plinth;

namespace {

const std::string kSystemd = "org.freedesktop.systemd1";
const std::string kOwner = ":1.7";

TEST(SignalGate, TheDriversSignalsCountOnlyFromTheDriver)
{
	EXPECT_EQ(judgeSignal(kBusDriver, std::nullopt, kBusDriver, ""), SignalVerdict::Deliver);
	EXPECT_EQ(judgeSignal(kBusDriver, std::nullopt, kBusDriver, ":1.3"),
		  SignalVerdict::Deliver);
	EXPECT_EQ(judgeSignal(kBusDriver, std::nullopt, ":1.8", ""), SignalVerdict::WrongSender);
	EXPECT_EQ(judgeSignal(kBusDriver, std::nullopt, "", ""), SignalVerdict::WrongSender);
}

TEST(SignalGate, SystemdsSignalsCountOnlyFromItsOwnerAndBroadcast)
{
	EXPECT_EQ(judgeSignal(kSystemd, kOwner, kOwner, ""), SignalVerdict::Deliver);
	EXPECT_EQ(judgeSignal(kSystemd, kOwner, kOwner, ":1.3"), SignalVerdict::Unicast);
	EXPECT_EQ(judgeSignal(kSystemd, kOwner, ":1.8", ""), SignalVerdict::WrongSender);
	EXPECT_EQ(judgeSignal(kSystemd, kOwner, kSystemd, ""), SignalVerdict::WrongSender);
	EXPECT_EQ(judgeSignal(kSystemd, std::nullopt, kOwner, ""), SignalVerdict::NoOwner);
	EXPECT_EQ(judgeSignal(kSystemd, std::string(), kOwner, ""), SignalVerdict::NoOwner);
	EXPECT_EQ(judgeSignal(kSystemd, std::string(), "", ""), SignalVerdict::NoOwner);
}

TEST(SignalGate, ASignalWithoutSenderOrDestinationIsJudgedNotThrown)
{
	test::BuiltSignal built("/org/freedesktop/systemd1", "org.freedesktop.systemd1.Manager",
				"Reloading");
	ASSERT_GE(sd_bus_message_append(built.raw(), "b", 0), 0);
	const auto signal = built.done("", "");
	ASSERT_TRUE(signal);
	EXPECT_EQ(senderOf(*signal), "");
	EXPECT_EQ(destinationOf(*signal), "");
	EXPECT_EQ(judgeSignal(kSystemd, kOwner, senderOf(*signal), destinationOf(*signal)),
		  SignalVerdict::WrongSender);
	EXPECT_EQ(judgeSignal(kBusDriver, std::nullopt, senderOf(*signal), ""),
		  SignalVerdict::WrongSender);
}

TEST(SignalReaders, AWellTypedJobRemovedIsRead)
{
	test::BuiltSignal built("/org/freedesktop/systemd1", "org.freedesktop.systemd1.Manager",
				"JobRemoved");
	ASSERT_GE(sd_bus_message_append(built.raw(), "uoss", 42u,
					"/org/freedesktop/systemd1/job/42", "web.service",
					"failed"),
		  0);
	const auto signal = built.done(kOwner, "");
	ASSERT_TRUE(signal);
	const JobRemoved removed = readJobRemoved(*signal);
	EXPECT_EQ(removed.path, "/org/freedesktop/systemd1/job/42");
	EXPECT_EQ(removed.result, "failed");
}

TEST(SignalReaders, IllTypedOrShortBodiesThrowAndTheGateDropsThem)
{
	SignalCounts counts;
	const auto deliver = [&counts](const char *member, const char *signature, auto... values) {
		test::BuiltSignal built("/org/freedesktop/systemd1",
					"org.freedesktop.systemd1.Manager", member);
		ASSERT_GE(sd_bus_message_append(built.raw(), signature, values...), 0);
		const auto signal = built.done(kOwner, "");
		ASSERT_TRUE(signal);
		deliverSignal(
			*signal,
			[](sdbus::Message &m) {
				const std::string member = m.getMemberName();
				if (member == "JobRemoved")
					(void)readJobRemoved(m);
				else if (member == "Reloading")
					(void)readReloadingStarts(m);
				else if (member == "UnitRemoved")
					(void)readUnitRemovedPath(m);
				else
					(void)readPropertiesChanged(m);
			},
			counts);
	};
	deliver("JobRemoved", "suus", "x", 1u, 2u, "failed");
	deliver("JobRemoved", "uo", 1u, "/org/freedesktop/systemd1/job/1");
	deliver("Reloading", "s", "no");
	deliver("Reloading", "");
	deliver("UnitRemoved", "ii", 1, 2);
	deliver("PropertiesChanged", "su", "org.freedesktop.systemd1.Unit", 5u);
	deliver("PropertiesChanged", "s", "org.freedesktop.systemd1.Unit");
	EXPECT_EQ(counts.malformed, 7u);
	EXPECT_EQ(counts.delivered, 0u);
}

TEST(SignalReaders, AHandlerThrowingAnythingDropsOnlyItsSignal)
{
	test::BuiltSignal built("/org/freedesktop/DBus", "org.freedesktop.DBus",
				"NameOwnerChanged");
	ASSERT_GE(sd_bus_message_append(built.raw(), "sss", ":1.5", ":1.5", ""), 0);
	const auto signal = built.done(kBusDriver, "");
	ASSERT_TRUE(signal);
	SignalCounts counts;
	deliverSignal(
		*signal, [](sdbus::Message &) { throw 42; }, counts);
	deliverSignal(
		*signal, [](sdbus::Message &) { throw std::logic_error("bug"); }, counts);
	NameOwnerChange change;
	deliverSignal(
		*signal, [&change](sdbus::Message &m) { change = readNameOwnerChanged(m); },
		counts);
	EXPECT_EQ(counts.malformed, 2u);
	EXPECT_EQ(counts.delivered, 1u);
	EXPECT_EQ(change.name, ":1.5");
	EXPECT_TRUE(change.newOwner.empty());
}

} /* namespace */

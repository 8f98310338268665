/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "listeners.h"

namespace plinth {
namespace {

TEST(ListenersTest, EveryListenerHearsEachNotification)
{
	Listeners<std::string, bool> listeners;
	std::vector<std::string> heard;
	auto first = listeners.add([&](const std::string &s, bool b) {
		heard.push_back("first " + s + (b ? " yes" : " no"));
	});
	auto second =
		listeners.add([&](const std::string &s, bool) { heard.push_back("second " + s); });
	listeners.notify("web", true);
	EXPECT_EQ(heard, (std::vector<std::string>{"first web yes", "second web"}));
}

TEST(ListenersTest, ADestroyedSubscriptionHearsNothingMore)
{
	Listeners<int> listeners;
	int calls = 0;
	{
		auto subscription = listeners.add([&](int) { ++calls; });
		listeners.notify(1);
	}
	listeners.notify(2);
	EXPECT_EQ(calls, 1);
}

TEST(ListenersTest, AMovedSubscriptionKeepsListening)
{
	Listeners<int> listeners;
	int calls = 0;
	Listeners<int>::Subscription kept;
	{
		auto subscription = listeners.add([&](int) { ++calls; });
		kept = std::move(subscription);
	}
	listeners.notify(1);
	kept.reset();
	listeners.notify(2);
	EXPECT_EQ(calls, 1);
}

TEST(ListenersTest, AListenerRemovedByAnotherDuringNotifyIsNotCalled)
{
	Listeners<> listeners;
	Listeners<>::Subscription second;
	bool secondCalled = false;
	auto first = listeners.add([&] { second.reset(); });
	second = listeners.add([&] { secondCalled = true; });
	listeners.notify();
	EXPECT_FALSE(secondCalled);
}

} /* namespace */
} /* namespace plinth */

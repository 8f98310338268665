/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <gtest/gtest.h>

#include "exit_code.h"

namespace plinth {
namespace {

constexpr const char *kPrefix = "org.freedesktop.Plinth.Daemons.Error.";

TEST(ExitCode, MissingThingsAreFour)
{
	for (const char *name : {"NoSuchApp", "NoSuchComponent", "NotManaged", "InvalidUnitName"})
		EXPECT_EQ(exitCodeForError(std::string(kPrefix) + name), ExitNotFound) << name;
}

TEST(ExitCode, RefusalsAreFive)
{
	EXPECT_EQ(exitCodeForError(std::string(kPrefix) + "NotAuthorized"), ExitNotAuthorized);
	EXPECT_EQ(exitCodeForError("org.freedesktop.DBus.Error.AccessDenied"), ExitNotAuthorized);
	EXPECT_EQ(exitCodeForError("org.freedesktop.DBus.Error.InteractiveAuthorizationRequired"),
		  ExitNotAuthorized);
}

TEST(ExitCode, EverythingElseIsOne)
{
	for (const char *name : {"JobFailed", "Timeout", "SystemdUnavailable", "InvalidArgument"})
		EXPECT_EQ(exitCodeForError(std::string(kPrefix) + name), ExitFailure) << name;
	EXPECT_EQ(exitCodeForError("org.freedesktop.DBus.Error.ServiceUnknown"), ExitFailure);
	EXPECT_EQ(exitCodeForError(""), ExitFailure);
}

} /* namespace */
} /* namespace plinth */

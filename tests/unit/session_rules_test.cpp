// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/identity/session_rules.h"
#include "core/identity/tokens.h"
#include <gtest/gtest.h>
#include <set>

using namespace cartable::identity;

TEST(SessionRules, IdleAndAbsoluteExpiry)
{
    SessionLimits limits { 600, 3600 };
    EXPECT_EQ(judge_session(1000, 1000, 1000, limits), SessionState::Active);
    EXPECT_EQ(judge_session(1000, 1500, 2099, limits), SessionState::Active);
    EXPECT_EQ(judge_session(1000, 1500, 2100, limits), SessionState::IdleExpired);
    EXPECT_EQ(judge_session(1000, 4500, 4599, limits), SessionState::Active);
    EXPECT_EQ(judge_session(1000, 4599, 4600, limits), SessionState::AbsoluteExpired);
}

TEST(SessionRules, LastSeenIsWrittenAtMostOnceAMinute)
{
    SessionLimits limits { 7200, 43200 };
    EXPECT_FALSE(should_touch_session(1000, 1030, limits));
    EXPECT_TRUE(should_touch_session(1000, 1060, limits));
    // With a short idle limit, often enough not to expire a busy session.
    SessionLimits short_limits { 20, 43200 };
    EXPECT_TRUE(should_touch_session(1000, 1002, short_limits));
    EXPECT_FALSE(should_touch_session(1000, 1001, short_limits));
}

TEST(SessionRules, CsrfTokenMustMatchExactly)
{
    auto token = random_token();
    EXPECT_TRUE(csrf_token_matches(token, token));
    EXPECT_FALSE(csrf_token_matches(token, ""));
    EXPECT_FALSE(csrf_token_matches(token, token.substr(1)));
    EXPECT_FALSE(csrf_token_matches(token, random_token()));
    EXPECT_FALSE(csrf_token_matches("", ""));
}

TEST(SessionRules, ThrottlingCountsAccountAndAddress)
{
    EXPECT_FALSE(sign_in_throttled(4, 29, 5, 30));
    EXPECT_TRUE(sign_in_throttled(5, 0, 5, 30));
    EXPECT_TRUE(sign_in_throttled(0, 30, 5, 30));
}

TEST(Tokens, AreRandomUrlSafeAnd256Bits)
{
    std::set<std::string> seen;
    for (int index = 0; index < 200; ++index) {
        auto token = random_token();
        EXPECT_EQ(token.size(), 43u);
        EXPECT_EQ(token.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
            std::string::npos);
        seen.insert(token);
    }
    EXPECT_EQ(seen.size(), 200u);
}

TEST(Tokens, DigestIsSha256Hex)
{
    EXPECT_EQ(token_digest("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_TRUE(constant_time_equals("abc", "abc"));
    EXPECT_FALSE(constant_time_equals("abc", "abd"));
    EXPECT_FALSE(constant_time_equals("abc", "abcd"));
}

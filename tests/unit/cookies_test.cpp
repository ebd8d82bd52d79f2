// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/http/cookies.h"

#include <gtest/gtest.h>

using namespace cartable::http;

namespace {

using Cookies = std::vector<std::pair<std::string, std::string>>;

} // namespace

TEST(CookieHeader, ParsesPairs)
{
    EXPECT_EQ(parse_cookie_header("a=1; b=2"), (Cookies { { "a", "1" }, { "b", "2" } }));
    EXPECT_EQ(parse_cookie_header("session=abc_DEF-123"), (Cookies { { "session", "abc_DEF-123" } }));
}

TEST(CookieHeader, HandlesEdgeCases)
{
    EXPECT_TRUE(parse_cookie_header("").empty());
    EXPECT_TRUE(parse_cookie_header(";;; ; ").empty());
    // Whitespace around names and values, no space after ';'.
    EXPECT_EQ(parse_cookie_header("  a = 1 ;b=2;\tc=3\t"), (Cookies { { "a", "1" }, { "b", "2" }, { "c", "3" } }));
    // Pieces without '=' or without a name are skipped.
    EXPECT_EQ(parse_cookie_header("garbage; =orphan; a=1"), (Cookies { { "a", "1" } }));
    // An empty value is kept.
    EXPECT_EQ(parse_cookie_header("a=; b=2"), (Cookies { { "a", "" }, { "b", "2" } }));
    // Only the first '=' separates: base64 padding survives.
    EXPECT_EQ(parse_cookie_header("t=YWJj=="), (Cookies { { "t", "YWJj==" } }));
    // Surrounding quotes are removed, a lone quote is not.
    EXPECT_EQ(
        parse_cookie_header("a=\"quoted\"; b=\"; c=\"\""), (Cookies { { "a", "quoted" }, { "b", "\"" }, { "c", "" } }));
    // Duplicates are kept in order.
    EXPECT_EQ(parse_cookie_header("a=1; a=2"), (Cookies { { "a", "1" }, { "a", "2" } }));
}

TEST(CookieHeader, FindsACookie)
{
    EXPECT_EQ(find_cookie("a=1; session=xyz; b=2", "session"), "xyz");
    EXPECT_EQ(find_cookie("a=1; a=2", "a"), "1");
    EXPECT_EQ(find_cookie("a=1", "A"), std::nullopt);
    EXPECT_EQ(find_cookie("", "a"), std::nullopt);
    EXPECT_EQ(find_cookie("xsession=1", "session"), std::nullopt);
    EXPECT_EQ(find_cookie("session=", "session"), "");
}

TEST(SetCookieHeader, WritesAllAttributes)
{
    SetCookie cookie;
    cookie.name = "session";
    cookie.value = "abc123";
    cookie.max_age_seconds = 3600;
    cookie.secure = true;
    EXPECT_EQ(to_set_cookie_header(cookie), "session=abc123; Path=/; Max-Age=3600; HttpOnly; Secure; SameSite=Lax");
}

TEST(SetCookieHeader, SessionCookieHasNoMaxAge)
{
    SetCookie cookie;
    cookie.name = "csrf";
    cookie.value = "0f1e";
    cookie.http_only = false;
    cookie.same_site = SameSite::Strict;
    cookie.path = "/ecole";
    EXPECT_EQ(to_set_cookie_header(cookie), "csrf=0f1e; Path=/ecole; SameSite=Strict");
}

TEST(SetCookieHeader, DeletesWithMaxAgeZero)
{
    SetCookie cookie;
    cookie.name = "session";
    cookie.value = "";
    cookie.max_age_seconds = 0;
    cookie.secure = true;
    cookie.same_site = SameSite::None;
    EXPECT_EQ(to_set_cookie_header(cookie), "session=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=None");
}

TEST(SetCookieHeader, RefusesUnsafeNamesAndValues)
{
    for (std::string_view name : { "", "a b", "a;b", "a=b", "a\r\nb", "é", "a,b" }) {
        SetCookie cookie;
        cookie.name = std::string(name);
        cookie.value = "v";
        EXPECT_EQ(to_set_cookie_header(cookie), "") << name;
    }
    for (std::string_view value : { "a b", "a;b", "a\"b", "a\\b", "a,b", "a\nb", "é" }) {
        SetCookie cookie;
        cookie.name = "n";
        cookie.value = std::string(value);
        EXPECT_EQ(to_set_cookie_header(cookie), "") << value;
    }
    SetCookie injected;
    injected.name = "n";
    injected.value = "v";
    injected.path = "/; Domain=evil.example";
    EXPECT_EQ(to_set_cookie_header(injected), "");
}

TEST(SetCookieHeader, RoundTripsThroughTheParser)
{
    SetCookie cookie;
    cookie.name = "session";
    cookie.value = "YWJj-_0==";
    std::string header = to_set_cookie_header(cookie);
    std::string pair = header.substr(0, header.find(';'));
    EXPECT_EQ(find_cookie(pair, "session"), "YWJj-_0==");
}

// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/http/router.h"
#include <gtest/gtest.h>

using namespace cartable;
using namespace cartable::http;

namespace {

Handler nothing()
{
    return [](Context&) -> ErrorOr<Response> { return Response::text("ok"); };
}

Router table()
{
    Router router;
    EXPECT_FALSE(router.add({ Method::Get, "/", "portal.read", nothing() }).is_error());
    EXPECT_FALSE(router.add({ Method::Get, "/portail/{uai}", "portal.read", nothing() }).is_error());
    EXPECT_FALSE(router.add({ Method::Get, "/portail/{uai}/actualites/{id}", "portal.read", nothing() }).is_error());
    EXPECT_FALSE(router.add({ Method::Get, "/portail/liste", "portal.read", nothing() }).is_error());
    EXPECT_FALSE(router.add({ Method::Post, "/connexion", "account.sign_in", nothing() }).is_error());
    EXPECT_FALSE(router.add({ Method::Get, "/fichiers/{path*}", "files.read", nothing() }).is_error());
    return router;
}

} // namespace

TEST(Router, MatchesLiteralAndParameterPaths)
{
    auto router = table();
    auto root = router.match(Method::Get, "/");
    ASSERT_NE(root.route, nullptr);
    EXPECT_EQ(root.route->pattern, "/");

    auto portal = router.match(Method::Get, "/portail/0300027A");
    ASSERT_NE(portal.route, nullptr);
    ASSERT_EQ(portal.parameters.size(), 1u);
    EXPECT_EQ(portal.parameters[0].first, "uai");
    EXPECT_EQ(portal.parameters[0].second, "0300027A");

    auto news = router.match(Method::Get, "/portail/0300027A/actualites/12");
    ASSERT_NE(news.route, nullptr);
    ASSERT_EQ(news.parameters.size(), 2u);
    EXPECT_EQ(news.parameters[1].second, "12");
}

TEST(Router, LiteralSegmentsWinOverParameters)
{
    auto router = table();
    auto match = router.match(Method::Get, "/portail/liste");
    ASSERT_NE(match.route, nullptr);
    EXPECT_EQ(match.route->pattern, "/portail/liste");
    EXPECT_TRUE(match.parameters.empty());
}

TEST(Router, RestParameterTakesTheRemainingPath)
{
    auto router = table();
    auto match = router.match(Method::Get, "/fichiers/cours/tpro/chapitre 1.pdf");
    ASSERT_NE(match.route, nullptr);
    ASSERT_EQ(match.parameters.size(), 1u);
    EXPECT_EQ(match.parameters[0].second, "cours/tpro/chapitre 1.pdf");
}

TEST(Router, TellsUnknownPathsFromWrongMethods)
{
    auto router = table();
    auto unknown = router.match(Method::Get, "/nulle-part");
    EXPECT_EQ(unknown.route, nullptr);
    EXPECT_FALSE(unknown.path_known);

    auto wrong_method = router.match(Method::Get, "/connexion");
    EXPECT_EQ(wrong_method.route, nullptr);
    EXPECT_TRUE(wrong_method.path_known);
    ASSERT_EQ(wrong_method.allowed.size(), 1u);
    EXPECT_EQ(wrong_method.allowed[0], Method::Post);
    auto portal = router.match(Method::Delete, "/portail/0300027A");
    EXPECT_EQ(portal.allowed, (std::vector<Method> { Method::Get, Method::Head }));

    auto too_long = router.match(Method::Get, "/portail/0300027A/actualites/12/plus");
    EXPECT_EQ(too_long.route, nullptr);
}

TEST(Router, HeadIsServedByGetRoutes)
{
    auto router = table();
    EXPECT_NE(router.match(Method::Head, "/portail/0300027A").route, nullptr);
}

TEST(Router, EmptySegmentsAndTrailingSlashesAreIgnored)
{
    auto router = table();
    EXPECT_NE(router.match(Method::Get, "/portail//0300027A/").route, nullptr);
}

TEST(Router, RefusesARouteWithoutCapability)
{
    Router router;
    auto added = router.add({ Method::Get, "/secret", "", nothing() });
    ASSERT_TRUE(added.is_error());
    EXPECT_NE(added.error().detail.find("names no capability"), std::string::npos);
}

TEST(Router, RefusesMalformedPatternsAndDuplicates)
{
    Router router;
    EXPECT_TRUE(router.add({ Method::Get, "sans-slash", "a.b", nothing() }).is_error());
    EXPECT_TRUE(router.add({ Method::Get, "/a/{}", "a.b", nothing() }).is_error());
    EXPECT_TRUE(router.add({ Method::Get, "/a/{rest*}/b", "a.b", nothing() }).is_error());
    EXPECT_TRUE(router.add({ Method::Get, "/a/b{c}", "a.b", nothing() }).is_error());
    EXPECT_FALSE(router.add({ Method::Get, "/a", "a.b", nothing() }).is_error());
    EXPECT_TRUE(router.add({ Method::Get, "/a", "a.b", nothing() }).is_error());
    EXPECT_FALSE(router.add({ Method::Post, "/a", "a.b", nothing() }).is_error());
}

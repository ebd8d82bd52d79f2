// SPDX-License-Identifier: AGPL-3.0-or-later
// Three months after a person left, their personal data goes; their public
// contributions stay under « Ancien membre », unless they objected.
#include "app/demo_school.h"
#include "core/identity/identity_store.h"
#include "services/directory/lifecycle.h"
#include "services/publishing/publishing.h"
#include "tests/support/app_driver.h"
#include <gtest/gtest.h>

using namespace cartable;
using cartable::testing::AppDriver;
using cartable::testing::contains;
using cartable::testing::user_id;

namespace {

constexpr long long LEFT_AT = 1'780'000'000;

// Marie DELMAS writes a news item, then leaves.
long long news_then_departure(AppDriver& driver)
{
    auto marie = user_id(driver, "marie.delmas");
    auto lease = driver.services().database->lease();
    auto& session = lease.session();
    auto structure = identity::store::find_structure_by_uai(session, "0300027A")->id;
    publishing::NewsItem news;
    news.structure_id = structure;
    news.title = "Sortie au Mont Aigoual";
    news.summary = "Les TPRO à la station météo";
    news.body = "Départ 8 h devant le lycée.";
    news.is_public = true;
    news.published_at = LEFT_AT - 86400;
    news.author = "Marie DELMAS";
    news.author_id = marie;
    auto id = publishing::add_news(session, news);
    session << "UPDATE identity_user SET active = 0, departed_at = :at WHERE id = :id", soci::use(LEFT_AT),
        soci::use(marie);
    return id;
}

} // namespace

TEST(Lifecycle, ContributionsStaySignedAncienMembre)
{
    AppDriver driver;
    auto news = news_then_departure(driver);
    auto lease = driver.services().database->lease();
    auto& session = lease.session();
    auto const& handlers = driver.services().departure_handlers;
    ASSERT_FALSE(handlers.empty());
    EXPECT_EQ(directory::delete_expired_personal_data(session, LEFT_AT + 30LL * 86400, handlers), 0);
    EXPECT_EQ(publishing::find_news(session, news)->author, "Marie DELMAS");
    EXPECT_EQ(directory::delete_expired_personal_data(session, LEFT_AT + 93LL * 86400, handlers), 1);
    auto kept = publishing::find_news(session, news);
    ASSERT_TRUE(kept.has_value());
    EXPECT_EQ(kept->author, "Ancien membre");
    EXPECT_EQ(kept->title, "Sortie au Mont Aigoual");
}

TEST(Lifecycle, AnObjectionRemovesTheContributions)
{
    AppDriver driver;
    // Marie objects in « Mes données » before she leaves.
    ASSERT_EQ(driver.sign_in("marie.delmas", app::DEMO_PASSWORD).status, 303);
    auto page = driver.get("/preferences/mes-donnees");
    ASSERT_EQ(page.status, 200);
    EXPECT_TRUE(contains(page.body, "Ancien membre"));
    auto saved = driver.post(
        "/preferences/mes-donnees/contributions", { { "csrf", driver.csrf_token() }, { "supprimer", "1" } });
    ASSERT_EQ(saved.status, 303);
    EXPECT_TRUE(contains(driver.get(saved.header("Location")).body, "checked"));

    auto news = news_then_departure(driver);
    auto lease = driver.services().database->lease();
    auto& session = lease.session();
    EXPECT_EQ(
        directory::delete_expired_personal_data(session, LEFT_AT + 93LL * 86400, driver.services().departure_handlers),
        1);
    EXPECT_FALSE(publishing::find_news(session, news).has_value());
}

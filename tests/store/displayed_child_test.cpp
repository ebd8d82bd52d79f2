// SPDX-License-Identifier: AGPL-3.0-or-later
// « Profil affiché » (both engines): the child a guardian chooses is followed
// by the pages he opens next — the Accueil, the lesson book, the timetable —
// until he chooses another; never a child that is not his.
#include "app/demo_school.h"
#include "core/displayed_child.h"
#include "tests/support/app_driver.h"
#include <gtest/gtest.h>

using namespace cartable;
using cartable::testing::AppDriver;
using cartable::testing::contains;
using cartable::testing::user_id;

namespace {

std::string option(long long id, std::string const& name, bool selected)
{
    return "<option value=\"" + std::to_string(id) + "\"" + (selected ? " selected" : "") + ">" + name + "</option>";
}

std::string timetable_heading(AppDriver& driver)
{
    auto const body = driver.get("/emploi-du-temps").body;
    auto const start = body.find("<h1 id=\"timetable-heading\">");
    return start == std::string::npos ? std::string() : body.substr(start, body.find("</h1>", start) - start);
}

} // namespace

TEST(DisplayedChild, TheChildChosenIsFollowedByTheNextPages)
{
    AppDriver driver;
    auto const louis = user_id(driver, "louis.chamson");
    auto const pauline = user_id(driver, "pauline.chamson");
    ASSERT_EQ(driver.sign_in("andre.chamson", app::DEMO_PASSWORD).status, 303);

    // First the first child.
    auto home = driver.get("/accueil").body;
    EXPECT_TRUE(contains(home, option(louis, "Louis CHAMSON", true)));
    EXPECT_TRUE(contains(timetable_heading(driver), "Louis CHAMSON"));
    EXPECT_TRUE(driver.cookie(DISPLAYED_CHILD_COOKIE).empty());

    // « Profil affiché » : Pauline. The next pages follow her.
    home = driver.get("/accueil?enfant=" + std::to_string(pauline)).body;
    EXPECT_TRUE(contains(home, option(pauline, "Pauline CHAMSON", true)));
    EXPECT_EQ(driver.cookie(DISPLAYED_CHILD_COOKIE), std::to_string(pauline));
    EXPECT_TRUE(contains(driver.get("/accueil").body, option(pauline, "Pauline CHAMSON", true)));
    EXPECT_TRUE(contains(driver.get("/cahier-de-textes").body, option(pauline, "Pauline CHAMSON", true)));
    EXPECT_TRUE(contains(timetable_heading(driver), "Pauline CHAMSON"));

    // Louis again, chosen from the lesson book.
    EXPECT_TRUE(contains(driver.get("/cahier-de-textes/semaine?enfant=" + std::to_string(louis)).body,
        option(louis, "Louis CHAMSON", true)));
    EXPECT_TRUE(contains(driver.get("/accueil").body, option(louis, "Louis CHAMSON", true)));

    // Another child's id is refused when asked and ignored when remembered.
    auto const emma = user_id(driver, "emma.roux");
    EXPECT_EQ(driver.get("/accueil?enfant=" + std::to_string(emma)).status, 403);
    EXPECT_EQ(driver.cookie(DISPLAYED_CHILD_COOKIE), std::to_string(louis));
    driver.set_cookie(DISPLAYED_CHILD_COOKIE, std::to_string(emma));
    home = driver.get("/accueil").body;
    EXPECT_TRUE(contains(home, option(louis, "Louis CHAMSON", true)));
    EXPECT_FALSE(contains(home, "Emma ROUX"));
    EXPECT_TRUE(contains(timetable_heading(driver), "Louis CHAMSON"));
    EXPECT_FALSE(contains(driver.get("/cahier-de-textes").body, "Emma ROUX"));
}

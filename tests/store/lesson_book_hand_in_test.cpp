// SPDX-License-Identifier: AGPL-3.0-or-later
// « Rendu en ligne »: Louis CHAMSON hands in his copy of the demo's FRANÇAIS
// homework that asks for one; he and his father see it, Julien FAVIER (the
// teacher of the subject) and the proviseur read every copy of the class;
// another student, another family, a teacher of another subject get nothing.
#include "app/demo_school.h"
#include "tests/support/app_driver.h"
#include <ctime>
#include <gtest/gtest.h>

using namespace cartable;
using cartable::testing::AppDriver;
using cartable::testing::contains;
using cartable::testing::query_value;
using cartable::testing::user_id;

namespace {

void become(AppDriver& driver, std::string const& login)
{
    driver.forget_cookies();
    ASSERT_EQ(driver.sign_in(login, app::DEMO_PASSWORD).status, 303);
}

// The demo's homework of TPRO in FRANÇAIS handed in online, published.
long long online_homework(AppDriver& driver)
{
    return query_value(driver,
        "SELECT MIN(h.id) FROM lesson_book_homework h JOIN identity_class c ON c.id = h.class_id WHERE c.name = "
        "'TPRO' AND h.hand_in_online = 1 AND h.publish_at <= "
            + std::to_string(std::time(nullptr)));
}

long long copies(AppDriver& driver)
{
    return query_value(driver, "SELECT COUNT(*) FROM lesson_book_hand_in");
}

} // namespace

TEST(LessonBookHandIn, TheStudentHandsInHisFamilyAndTheTeacherReadItNobodyElse)
{
    AppDriver driver;
    auto const id = online_homework(driver);
    ASSERT_NE(id, 0);
    auto const page = "/cahier-de-textes/travail/" + std::to_string(id) + "/rendu";

    become(driver, "louis.chamson");
    ASSERT_EQ(driver.get(page).status, 200);
    EXPECT_TRUE(contains(driver.get(page).body, "Aucune copie rendue pour le moment."));
    // No file: a French message, nothing written.
    auto empty = driver.post_files(page, { { "csrf", driver.csrf_token() } }, {});
    EXPECT_EQ(empty.status, 422);
    EXPECT_TRUE(contains(empty.body, "Choisissez le fichier de votre copie"));
    EXPECT_EQ(copies(driver), 0);
    auto handed = driver.post_files(page, { { "csrf", driver.csrf_token() } },
        { { "copie", "Paragraphe argumenté <script>alert(1)</script>.txt", "Le travail est-il une liberté ?\n" } });
    EXPECT_EQ(handed.status, 303);
    EXPECT_EQ(copies(driver), 1);
    auto mine = driver.get(page);
    EXPECT_TRUE(contains(mine.body, "Paragraphe argumenté &lt;script&gt;"));
    EXPECT_FALSE(contains(mine.body, "<script>alert"));
    auto const copy = query_value(driver, "SELECT id FROM lesson_book_hand_in");
    auto const copy_url = "/cahier-de-textes/copies/" + std::to_string(copy);
    auto download = driver.get(copy_url);
    EXPECT_EQ(download.status, 200);
    EXPECT_TRUE(contains(download.header("Content-Disposition"), "attachment"));

    // His father, for Louis; the teacher and the proviseur see the class's copies.
    become(driver, "andre.chamson");
    auto const louis = std::to_string(user_id(driver, "louis.chamson"));
    auto father = driver.get(page + "?enfant=" + louis);
    EXPECT_EQ(father.status, 200);
    EXPECT_TRUE(contains(father.body, "Paragraphe argumenté"));
    EXPECT_FALSE(contains(father.body, "Rendre ma copie"));
    EXPECT_EQ(driver.get(copy_url).status, 200);
    EXPECT_EQ(driver.post_files(page, { { "csrf", driver.csrf_token() } }, { { "copie", "a.txt", "x" } }).status, 403);
    for (auto const* login : { "julien.favier", "philippe.garnier" }) {
        become(driver, login);
        auto all = driver.get(page);
        EXPECT_EQ(all.status, 200) << login;
        EXPECT_TRUE(contains(all.body, "Copies rendues (1)")) << login;
        EXPECT_TRUE(contains(all.body, "Louis CHAMSON")) << login;
        EXPECT_EQ(driver.get(copy_url).status, 200) << login;
    }

    // Another student of the class sees only his own (none), not Louis's copy;
    // outsiders get nothing at all.
    become(driver, "emma.roux");
    auto emma = driver.get(page);
    EXPECT_EQ(emma.status, 200);
    EXPECT_FALSE(contains(emma.body, "Paragraphe argumenté"));
    EXPECT_EQ(driver.get(copy_url).status, 404);
    // Emma's mother and the class's teacher of another subject read the
    // homework but not Louis's copy, and hand in nothing.
    for (auto const* login : { "sophie.roux", "samuel.beaumont" }) {
        become(driver, login);
        EXPECT_EQ(driver.get(copy_url).status, 404) << login;
        EXPECT_FALSE(contains(driver.get(page).body, "Paragraphe argumenté")) << login;
        EXPECT_EQ(
            driver.post_files(page, { { "csrf", driver.csrf_token() } }, { { "copie", "a.txt", "x" } }).status, 403)
            << login;
    }
    for (auto const* login : { "pauline.chamson", "karim.benali", "achamson" }) {
        become(driver, login);
        EXPECT_EQ(driver.get(copy_url).status, 404) << login;
        auto const status = driver.get(page).status;
        EXPECT_TRUE(status == 404) << login << " " << status;
        EXPECT_EQ(
            driver.post_files(page, { { "csrf", driver.csrf_token() } }, { { "copie", "a.txt", "x" } }).status, 404)
            << login;
    }
    EXPECT_EQ(copies(driver), 1);
}

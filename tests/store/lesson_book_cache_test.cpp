// SPDX-License-Identifier: AGPL-3.0-or-later
// What the most visited pages keep between requests (both engines): a
// class's week of the lesson book, read once for all its students and
// forgotten on this node by a teacher's write; the families' page bodies
// and the Accueil's, built again as soon as what they show changes; the
// Accueil's « Blogs & Forums », forgotten by a new post.
#include "app/demo_school.h"
#include "core/school_time.h"
#include "tests/support/app_driver.h"
#include <chrono>
#include <ctime>
#include <gtest/gtest.h>

using namespace cartable;
using cartable::testing::AppDriver;
using cartable::testing::contains;
using cartable::testing::query_value;

namespace {

std::string str(long long id)
{
    return std::to_string(id);
}

void run(AppDriver& driver, std::string const& sql)
{
    auto lease = driver.services().database->lease();
    lease.session() << sql;
}

void as(AppDriver& driver, std::string const& login)
{
    driver.forget_cookies();
    ASSERT_EQ(driver.sign_in(login, app::DEMO_PASSWORD).status, 303) << login;
    driver.get("/accueil");
}

// Homework for TPRO in ÉCONOMIE-GESTION by Samuel BEAUMONT, as the
// teachers' side writes it.
long long tpro_homework(AppDriver& driver, long long given, long long due, std::string const& description)
{
    auto const now = static_cast<long long>(std::time(nullptr));
    auto lease = driver.services().database->lease();
    long long id = 0;
    lease.session() << "INSERT INTO lesson_book_homework (structure_id, class_id, subject_id, author_id, given_day, "
                       "due_day, description, estimated_minutes, hand_in_online, publish_at, created_at, updated_at) "
                       "SELECT c.structure_id, c.id, s.id, u.id, :given, :due, :description, 30, 0, 0, :created, "
                       ":updated FROM identity_class c, identity_subject s, identity_user u WHERE c.name = 'TPRO' AND "
                       "s.label = 'ÉCONOMIE-GESTION' AND u.login = 'samuel.beaumont' RETURNING id",
        soci::use(given), soci::use(due), soci::use(description), soci::use(now), soci::use(now), soci::into(id);
    return id;
}

void clear_lesson_book(AppDriver& driver)
{
    for (auto const* table : { "lesson_book_done", "lesson_book_attachment", "lesson_book_hand_in",
             "lesson_book_personal", "lesson_book_homework", "lesson_book_session" })
        run(driver, std::string("DELETE FROM ") + table);
}

using Clock = std::chrono::steady_clock;

// Whether we are still well inside the ten seconds a cached week is kept.
bool within_lifetime(Clock::time_point since)
{
    return Clock::now() - since < std::chrono::seconds(8);
}

} // namespace

TEST(LessonBookCache, AClassWeekIsSharedAndForgottenByATeachersWrite)
{
    AppDriver driver;
    clear_lesson_book(driver);
    auto const today = school_time::day_of_unix(static_cast<long long>(std::time(nullptr)));
    auto const kept = tpro_homework(driver, today, today + 1, "<p>Lire le dossier 4 sur la relation client</p>");
    auto const dropped = tpro_homework(driver, today, today + 1, "<p>Préparer la fiche produit</p>");
    auto const week = "/cahier-de-textes/semaine?semaine=" + school_time::iso_day(today + 1);

    as(driver, "louis.chamson");
    auto page = driver.get(week);
    ASSERT_EQ(page.status, 200);
    EXPECT_TRUE(contains(page.body, "Lire le dossier 4 sur la relation client"));
    EXPECT_TRUE(contains(page.body, "Préparer la fiche produit"));

    // Another node changes the row: this node shows its class's week as it
    // read it, to every student of the class, for at most ten seconds.
    auto const changed_at = Clock::now();
    run(driver, "UPDATE lesson_book_homework SET description = '<p>Relire le dossier 5</p>' WHERE id = " + str(kept));
    as(driver, "emma.roux");
    page = driver.get(week);
    ASSERT_EQ(page.status, 200);
    if (within_lifetime(changed_at)) {
        EXPECT_TRUE(contains(page.body, "Lire le dossier 4 sur la relation client"));
        EXPECT_FALSE(contains(page.body, "Relire le dossier 5"));
    }

    // A teacher's write on this node forgets the structure's weeks at once.
    as(driver, "samuel.beaumont");
    auto deleted = driver.post(
        "/cahier-de-textes/enseignant/travail/" + str(dropped) + "/supprimer", { { "csrf", driver.csrf_token() } });
    ASSERT_EQ(deleted.status, 303);
    as(driver, "emma.roux");
    page = driver.get(week);
    EXPECT_TRUE(contains(page.body, "Relire le dossier 5"));
    EXPECT_FALSE(contains(page.body, "Préparer la fiche produit"));
    as(driver, "louis.chamson");
    EXPECT_TRUE(contains(driver.get("/accueil").body, "Relire le dossier 5"));
    EXPECT_TRUE(contains(driver.get(week).body, "Relire le dossier 5"));
}

TEST(LessonBookCache, AFamilyPageIsBuiltAgainWhenWhatItShowsChanges)
{
    AppDriver driver;
    clear_lesson_book(driver);
    auto const today = school_time::day_of_unix(static_cast<long long>(std::time(nullptr)));
    auto const homework = tpro_homework(driver, today, today + 1, "<p>Lire le dossier 4 sur la relation client</p>");
    auto const week = "/cahier-de-textes/semaine?semaine=" + school_time::iso_day(today + 1);

    as(driver, "louis.chamson");
    auto page = driver.get(week);
    EXPECT_TRUE(contains(page.body, "Marquer comme fait"));
    EXPECT_EQ(driver.get(week).body, page.body); // the same page, as long as nothing changes
    auto home = driver.get("/accueil").body;
    EXPECT_TRUE(contains(home, "Lire le dossier 4 sur la relation client"));
    EXPECT_FALSE(contains(home, "Fait ✓"));
    EXPECT_EQ(driver.get("/accueil").body, home);
    // « Fait »: the next page shows it.
    ASSERT_EQ(driver
                  .post("/cahier-de-textes/travail/" + str(homework) + "/fait",
                      { { "csrf", driver.csrf_token() }, { "fait", "1" } })
                  .status,
        303);
    page = driver.get(week);
    EXPECT_TRUE(contains(page.body, "Marquer comme non fait"));
    EXPECT_TRUE(contains(driver.get("/accueil").body, "Fait ✓"));
    // A personal note: shown at once.
    ASSERT_EQ(driver
                  .post("/cahier-de-textes/notes",
                      { { "csrf", driver.csrf_token() }, { "jour", school_time::iso_day(today + 1) },
                          { "matiere", "Anglais" }, { "texte", "Apprendre le vocabulaire du chapitre 3" } })
                  .status,
        303);
    EXPECT_TRUE(contains(driver.get(week).body, "Apprendre le vocabulaire du chapitre 3"));
    // A new session has its own token in its forms, never the last one's.
    auto const before = driver.csrf_token();
    as(driver, "louis.chamson");
    auto const token = driver.csrf_token();
    ASSERT_NE(token, before);
    page = driver.get(week);
    EXPECT_TRUE(contains(page.body, token));
    EXPECT_FALSE(contains(page.body, before));
    // His father sees the tick, with his own page.
    as(driver, "andre.chamson");
    auto const louis = query_value(driver, "SELECT id FROM identity_user WHERE login = 'louis.chamson'");
    page = driver.get(week + "&enfant=" + str(louis));
    EXPECT_TRUE(contains(page.body, "class=\"done-mark\">✓ <span>Fait</span>"));
    EXPECT_TRUE(contains(page.body, "Apprendre le vocabulaire du chapitre 3"));
    EXPECT_FALSE(contains(page.body, "Marquer comme non fait"));
}

TEST(ClassSpaceLatest, TheAccueilShowsANewTopicAtOnce)
{
    AppDriver driver;
    auto const space = query_value(
        driver, "SELECT s.id FROM class_space s JOIN identity_class c ON c.id = s.class_id WHERE c.name = 'TPRO'");
    auto const category = query_value(driver, "SELECT MIN(id) FROM forum_category WHERE space_id = " + str(space));
    ASSERT_NE(category, 0);
    as(driver, "louis.chamson");
    EXPECT_FALSE(contains(driver.get("/accueil").body, "Forum : Une question sur le tableau de bord"));
    auto made = driver.post("/espaces/" + str(space) + "/forum/categories/" + str(category) + "/sujets",
        { { "csrf", driver.csrf_token() }, { "titre", "Une question sur le tableau de bord" }, { "format", "text" },
            { "corps", "Faut-il un graphique par trimestre ?" } });
    ASSERT_EQ(made.status, 303);
    EXPECT_TRUE(contains(driver.get("/accueil").body, "Forum : Une question sur le tableau de bord"));
    as(driver, "emma.roux");
    EXPECT_TRUE(contains(driver.get("/accueil").body, "Forum : Une question sur le tableau de bord"));
}

// SPDX-License-Identifier: AGPL-3.0-or-later
// The families' side of the lesson book (both engines): who reads what, as
// a table; every route by every kind of person; « Fait »; personal notes;
// the Accueil's « Travail à faire »; print, PDF, iCalendar and API.
#include "app/application.h"
#include "app/demo_school.h"
#include "core/identity/identity_store.h"
#include "core/school_time.h"
#include "services/lesson_book/lesson_book_family_internal.h"
#include "services/lesson_book/lesson_book_internal.h"
#include "tests/support/app_driver.h"
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>

using namespace cartable;
using cartable::testing::AppDriver;
using cartable::testing::contains;
using cartable::testing::query_value;
using cartable::testing::rows_of_tables;
using cartable::testing::user_id;
using lesson_book::Facts;
using lesson_book::Right;

namespace {

std::string str(long long id)
{
    return std::to_string(id);
}

long long class_named(AppDriver& driver, std::string const& name)
{
    auto lease = driver.services().database->lease();
    long long id = 0;
    lease.session() << "SELECT id FROM identity_class WHERE name = :name", soci::use(name), soci::into(id);
    return id;
}

long long subject_labelled(AppDriver& driver, std::string const& label)
{
    auto lease = driver.services().database->lease();
    long long id = 0;
    lease.session() << "SELECT id FROM identity_subject WHERE label = :label", soci::use(label), soci::into(id);
    return id;
}

// The rows a test needs, inserted as the teachers' side would.
struct Fixture {
    long long today { 0 };
    long long homework { 0 }; // TPRO, ÉCONOMIE-GESTION, due tomorrow, with a file
    long long planned { 0 }; // TPRO, MATHÉMATIQUES, published in three days
    long long other_class { 0 }; // T STMG, due tomorrow, with a file
    long long unsafe { 0 }; // TPRO, a description with scripts written raw
    long long seance { 0 }; // TPRO, today 08:00–09:00
    long long planned_seance { 0 };
    long long file { 0 }; // of `homework`
    long long other_file { 0 }; // of `other_class`
    long long planned_file { 0 }; // of `planned`
};

long long insert_homework(soci::session& session, long long structure, long long class_id, long long subject,
    long long author, long long given, long long due, std::string const& description, long long publish_at,
    long long now)
{
    long long id = 0;
    session << "INSERT INTO lesson_book_homework (structure_id, class_id, subject_id, author_id, given_day, due_day, "
               "description, estimated_minutes, hand_in_online, publish_at, created_at, updated_at) VALUES "
               "(:structure, :class, :subject, :author, :given, :due, :description, 30, 0, :publish, :created, "
               ":updated) RETURNING id",
        soci::use(structure), soci::use(class_id), soci::use(subject), soci::use(author), soci::use(given),
        soci::use(due), soci::use(description), soci::use(publish_at), soci::use(now), soci::use(now), soci::into(id);
    return id;
}

long long insert_seance(soci::session& session, long long structure, long long class_id, long long subject,
    long long author, long long day, std::string const& title, std::string const& content, long long publish_at,
    long long now)
{
    long long id = 0;
    session << "INSERT INTO lesson_book_session (structure_id, class_id, subject_id, author_id, day, start_minute, "
               "end_minute, title, content, links, publish_at, created_at, updated_at) VALUES (:structure, :class, "
               ":subject, :author, :day, 480, 540, :title, :content, 'https://www.economie.gouv.fr/', :publish, "
               ":created, :updated) RETURNING id",
        soci::use(structure), soci::use(class_id), soci::use(subject), soci::use(author), soci::use(day),
        soci::use(title), soci::use(content), soci::use(publish_at), soci::use(now), soci::use(now), soci::into(id);
    return id;
}

long long insert_file(AppDriver& driver, soci::session& session, long long homework, std::string const& name,
    std::string const& stored, std::string const& content, long long now)
{
    auto const directory = lesson_book::attachment_directory(driver.services().config);
    std::filesystem::create_directories(directory);
    std::ofstream(directory / stored, std::ios::binary) << content;
    long long id = 0;
    auto const size = static_cast<long long>(content.size());
    session << "INSERT INTO lesson_book_attachment (homework_id, name, stored_name, size, content_type, created_at) "
               "VALUES (:homework, :name, :stored, :size, 'application/pdf', :created) RETURNING id",
        soci::use(homework), soci::use(name), soci::use(stored), soci::use(size), soci::use(now), soci::into(id);
    return id;
}

// The demo's lesson book (once the teachers' side fills it) set aside, so
// that every case starts from its own rows.
void clear_lesson_book(AppDriver& driver)
{
    auto lease = driver.services().database->lease();
    for (auto const* table : { "lesson_book_done", "lesson_book_attachment", "lesson_book_hand_in",
             "lesson_book_personal", "lesson_book_homework", "lesson_book_session", "lesson_book_visa" })
        lease.session() << "DELETE FROM " << table;
}

Fixture seed(AppDriver& driver, bool homework_too = true)
{
    clear_lesson_book(driver);
    Fixture made;
    auto const now = static_cast<long long>(std::time(nullptr));
    made.today = school_time::day_of_unix(now);
    auto const tpro = class_named(driver, "TPRO");
    auto const stmg = class_named(driver, "T STMG");
    auto const eco = subject_labelled(driver, "ÉCONOMIE-GESTION");
    auto const maths = subject_labelled(driver, "MATHÉMATIQUES");
    auto const samuel = user_id(driver, "samuel.beaumont");
    auto const marie = user_id(driver, "marie.delmas");
    auto const structure = query_value(driver, "SELECT structure_id FROM identity_class WHERE name = 'TPRO'");
    auto lease = driver.services().database->lease();
    auto& session = lease.session();
    made.seance = insert_seance(session, structure, tpro, eco, samuel, made.today, "La relation client",
        "<p>Cours sur la fidélisation de la clientèle</p>", 0, now);
    if (!homework_too)
        return made;
    made.planned_seance = insert_seance(session, structure, tpro, maths, marie, made.today + 3,
        "Séance préparée à l'avance", "<p>Contenu pas encore publié</p>", now + 3LL * 86400, now);
    made.homework = insert_homework(session, structure, tpro, eco, samuel, made.today, made.today + 1,
        "<p>Lire le dossier 4 sur la relation client</p>", 0, now);
    made.planned = insert_homework(session, structure, tpro, maths, marie, made.today, made.today + 2,
        "<p>Exercices planifiés secrets</p>", now + 3LL * 86400, now);
    made.other_class = insert_homework(
        session, structure, stmg, eco, samuel, made.today, made.today + 1, "<p>Étude de cas Décathlon</p>", 0, now);
    made.unsafe = insert_homework(session, structure, tpro, eco, samuel, made.today, made.today + 3,
        "<p>Dangereux</p><script>alert(1)</script><img src=x onerror=alert(1)><a href=\"javascript:alert(1)\">lien</a>"
        "\"><svg onload=alert(1)>",
        0, now);
    made.file = insert_file(driver, session, made.homework, "dossier 4.pdf", "f1.pdf", "%PDF-1.4 dossier", now);
    made.other_file = insert_file(driver, session, made.other_class, "decathlon.pdf", "f2.pdf", "%PDF-1.4 stmg", now);
    made.planned_file = insert_file(driver, session, made.planned, "secret.pdf", "f3.pdf", "%PDF-1.4 secret", now);
    return made;
}

void sign_in(AppDriver& driver, std::string const& login)
{
    driver.forget_cookies();
    ASSERT_EQ(driver.sign_in(login, app::DEMO_PASSWORD).status, 303) << login;
    driver.get("/accueil");
}

// No script comes back: no script element, no event attribute, no
// javascript: link.
bool page_is_safe(std::string const& body)
{
    return !contains(body, "<script>alert") && !contains(body, "href=\"javascript:") && !contains(body, "<svg onload")
        && !contains(body, "<img src=x onerror") && !contains(body, "<img src=\"x\" onerror");
}

long long other_structure_admin(AppDriver& driver)
{
    auto hash = driver.services().password_hasher->hash(app::DEMO_PASSWORD).release_value();
    auto lease = driver.services().database->lease();
    identity::Structure structure;
    structure.uai = "0340001B";
    structure.name = "Collège Jean Moulin";
    structure.academy = "Montpellier";
    structure.region = "Occitanie";
    identity::User admin;
    admin.login = "admin.moulin";
    admin.first_name = "Paul";
    admin.last_name = "ROCHE";
    admin.profile = access::Profile::Admin;
    admin.structure_id = identity::store::create_structure(lease.session(), structure);
    return identity::store::create_user(lease.session(), admin, hash);
}

} // namespace

// The policy as a table: what each kind of person may do with a class's
// book in a subject.
TEST(LessonBookFamilyPolicy, RightsByKindOfPerson)
{
    struct Case {
        char const* who;
        Facts facts;
        Right right;
    };
    std::vector<Case> const cases {
        { "student of the class", { .same_structure = true, .student = true }, Right::ReadPublished },
        { "guardian of a student of the class", { .same_structure = true, .guardian = true }, Right::ReadPublished },
        { "student of another class", { .same_structure = true }, Right::None },
        { "guardian of another class", { .same_structure = true }, Right::None },
        { "teacher of the subject", { .same_structure = true, .teaches_subject = true, .teaches_class = true },
            Right::Write },
        { "other teacher of the class", { .same_structure = true, .teaches_class = true }, Right::ReadPublished },
        { "direction", { .same_structure = true, .direction = true }, Right::ReadAll },
        { "person of another structure", { .student = true, .guardian = true }, Right::None },
    };
    for (auto const& item : cases) {
        EXPECT_EQ(lesson_book::right_from(item.facts), item.right) << item.who;
        EXPECT_EQ(lesson_book::sees_planned(item.right), item.right == Right::ReadAll || item.right == Right::Write)
            << item.who;
    }
    // The facts the demo's people have about TPRO's ÉCONOMIE-GESTION.
    AppDriver driver;
    auto const tpro = class_named(driver, "TPRO");
    auto const eco = subject_labelled(driver, "ÉCONOMIE-GESTION");
    auto lease = driver.services().database->lease();
    auto& session = lease.session();
    for (auto const& [login, right] : std::vector<std::pair<std::string, Right>> {
             { "louis.chamson", Right::ReadPublished }, { "pauline.chamson", Right::None },
             { "andre.chamson", Right::ReadPublished }, { "karim.benali", Right::None },
             { "samuel.beaumont", Right::Write }, { "julien.favier", Right::ReadPublished },
             { "achamson", Right::None }, { "philippe.garnier", Right::ReadAll } }) {
        auto person = identity::store::find_user_for_sign_in(session, login);
        ASSERT_TRUE(person.has_value()) << login;
        EXPECT_EQ(lesson_book::right_of(session, person->first, tpro, eco), right) << login;
    }
}

// Louis sees TPRO's published homework (not the planned one, not T STMG's),
// ticks « Fait »; his father sees the tick and cannot change it; Pauline
// cannot reach it.
TEST(LessonBookFamilyRoutes, StudentTicksDoneAndGuardianSeesIt)
{
    AppDriver driver;
    auto const made = seed(driver);
    sign_in(driver, "louis.chamson");
    auto page = driver.get("/cahier-de-textes");
    ASSERT_EQ(page.status, 200);
    EXPECT_TRUE(contains(page.body, "Lire le dossier 4 sur la relation client"));
    EXPECT_TRUE(contains(page.body, "Pour demain"));
    EXPECT_TRUE(contains(page.body, "ÉCONOMIE-GESTION"));
    EXPECT_TRUE(contains(page.body, "Durée estimée : 30 min"));
    EXPECT_TRUE(contains(page.body, "Donné le "));
    EXPECT_TRUE(contains(page.body, "dossier 4.pdf"));
    EXPECT_TRUE(contains(page.body, "aria-current=\"page\""));
    EXPECT_FALSE(contains(page.body, "Exercices planifiés secrets"));
    EXPECT_FALSE(contains(page.body, "Décathlon"));
    EXPECT_TRUE(page_is_safe(page.body));
    EXPECT_TRUE(contains(page.body, "Dangereux"));

    auto ticked = driver.post("/cahier-de-textes/travail/" + str(made.homework) + "/fait",
        { { "csrf", driver.csrf_token() }, { "fait", "1" }, { "retour", "/cahier-de-textes" } });
    EXPECT_EQ(ticked.status, 303);
    EXPECT_EQ(ticked.header("Location"), "/cahier-de-textes#travail-" + str(made.homework));
    EXPECT_EQ(
        query_value(driver, "SELECT COUNT(*) FROM lesson_book_done WHERE homework_id = " + str(made.homework)), 1);
    // Twice is still once; a foreign return path is not followed.
    auto again = driver.post("/cahier-de-textes/travail/" + str(made.homework) + "/fait",
        { { "csrf", driver.csrf_token() }, { "fait", "1" }, { "retour", "https://evil.example/" } });
    EXPECT_EQ(again.header("Location"), "/cahier-de-textes#travail-" + str(made.homework));
    EXPECT_EQ(
        query_value(driver, "SELECT COUNT(*) FROM lesson_book_done WHERE homework_id = " + str(made.homework)), 1);
    EXPECT_TRUE(contains(driver.get("/cahier-de-textes").body, "Marquer comme non fait"));
    // Planned or another class's: not found.
    EXPECT_EQ(driver
                  .post("/cahier-de-textes/travail/" + str(made.planned) + "/fait",
                      { { "csrf", driver.csrf_token() }, { "fait", "1" } })
                  .status,
        404);
    EXPECT_EQ(driver
                  .post("/cahier-de-textes/travail/" + str(made.other_class) + "/fait",
                      { { "csrf", driver.csrf_token() }, { "fait", "1" } })
                  .status,
        404);

    sign_in(driver, "andre.chamson");
    auto father = driver.get("/cahier-de-textes?enfant=" + str(user_id(driver, "louis.chamson")));
    ASSERT_EQ(father.status, 200);
    EXPECT_TRUE(contains(father.body, "Lire le dossier 4"));
    EXPECT_TRUE(contains(father.body, "class=\"done-mark\">✓ <span>Fait</span>"));
    EXPECT_TRUE(contains(father.body, "Profil affiché"));
    EXPECT_FALSE(contains(father.body, "/fait\""));
    auto before = rows_of_tables(driver, "lesson_book%");
    auto refused = driver.post("/cahier-de-textes/travail/" + str(made.homework) + "/fait",
        { { "csrf", driver.csrf_token() }, { "fait", "0" } });
    EXPECT_EQ(refused.status, 403);
    EXPECT_TRUE(contains(refused.body, "Seul l") && contains(refused.body, "lève de la classe peut cocher"));
    EXPECT_EQ(rows_of_tables(driver, "lesson_book%"), before);
    EXPECT_EQ(
        query_value(driver, "SELECT COUNT(*) FROM lesson_book_done WHERE homework_id = " + str(made.homework)), 1);
    // Pauline's book, chosen; someone else's child refused.
    auto pauline = driver.get("/cahier-de-textes?enfant=" + str(user_id(driver, "pauline.chamson")));
    EXPECT_TRUE(contains(pauline.body, "Décathlon"));
    EXPECT_FALSE(contains(pauline.body, "Lire le dossier 4"));
    EXPECT_EQ(driver.get("/cahier-de-textes?enfant=" + str(user_id(driver, "emma.roux"))).status, 403);

    sign_in(driver, "pauline.chamson");
    EXPECT_EQ(driver
                  .post("/cahier-de-textes/travail/" + str(made.homework) + "/fait",
                      { { "csrf", driver.csrf_token() }, { "fait", "0" } })
                  .status,
        404);
    // Louis unticks.
    sign_in(driver, "louis.chamson");
    driver.post("/cahier-de-textes/travail/" + str(made.homework) + "/fait",
        { { "csrf", driver.csrf_token() }, { "fait", "0" } });
    EXPECT_EQ(
        query_value(driver, "SELECT COUNT(*) FROM lesson_book_done WHERE homework_id = " + str(made.homework)), 0);
}

// The three views, a séance's page and the files.
TEST(LessonBookFamilyRoutes, ViewsSeanceAndFiles)
{
    AppDriver driver;
    auto const made = seed(driver);
    sign_in(driver, "louis.chamson");
    auto subjects = driver.get("/cahier-de-textes/matieres");
    ASSERT_EQ(subjects.status, 200);
    EXPECT_TRUE(contains(subjects.body, "La relation client"));
    EXPECT_TRUE(contains(subjects.body, "Lire le dossier 4"));
    auto week = driver.get("/cahier-de-textes/semaine?semaine=" + school_time::iso_day(made.today));
    ASSERT_EQ(week.status, 200);
    EXPECT_TRUE(contains(week.body, "Cours sur la fidélisation"));
    EXPECT_TRUE(contains(week.body, "Semaine précédente"));
    EXPECT_FALSE(contains(week.body, "Contenu pas encore publié"));
    EXPECT_EQ(driver.get("/cahier-de-textes/semaine?semaine=demain").status, 400);

    auto seance = driver.get("/cahier-de-textes/seances/" + str(made.seance));
    ASSERT_EQ(seance.status, 200);
    EXPECT_TRUE(contains(seance.body, "Cours sur la fidélisation"));
    EXPECT_TRUE(contains(seance.body, "href=\"https://www.economie.gouv.fr/\""));
    EXPECT_EQ(driver.get("/cahier-de-textes/seances/" + str(made.planned_seance)).status, 404);
    auto file = driver.get("/cahier-de-textes/pieces-jointes/" + str(made.file));
    ASSERT_EQ(file.status, 200);
    EXPECT_TRUE(contains(file.header("Content-Disposition"), "attachment"));
    EXPECT_EQ(driver.get("/cahier-de-textes/pieces-jointes/" + str(made.other_file)).status, 404);
    EXPECT_EQ(driver.get("/cahier-de-textes/pieces-jointes/" + str(made.planned_file)).status, 404);
    EXPECT_EQ(driver.get("/cahier-de-textes/pieces-jointes/999999").status, 404);

    // The teacher of the planned séance sees it; the father reads his son's files.
    sign_in(driver, "marie.delmas");
    EXPECT_EQ(driver.get("/cahier-de-textes/seances/" + str(made.planned_seance)).status, 200);
    EXPECT_EQ(driver.get("/cahier-de-textes").status, 303);
    EXPECT_EQ(driver.get("/cahier-de-textes").header("Location"), "/cahier-de-textes/enseignant");
    sign_in(driver, "nathalie.vidal");
    EXPECT_EQ(driver.get("/cahier-de-textes").header("Location"), "/cahier-de-textes/etablissement");
    sign_in(driver, "andre.chamson");
    EXPECT_EQ(driver.get("/cahier-de-textes/pieces-jointes/" + str(made.file)).status, 200);
    EXPECT_EQ(driver.get("/cahier-de-textes/pieces-jointes/" + str(made.other_file)).status, 200);
    sign_in(driver, "karim.benali");
    EXPECT_EQ(driver.get("/cahier-de-textes/pieces-jointes/" + str(made.file)).status, 404);
    EXPECT_EQ(driver.get("/cahier-de-textes/seances/" + str(made.seance)).status, 404);
}

// A student's notes: his and his guardians' only; a guardian reads, never
// writes; bad input explained; XSS escaped.
TEST(LessonBookFamilyRoutes, PersonalNotesPrivacy)
{
    AppDriver driver;
    auto const made = seed(driver);
    sign_in(driver, "louis.chamson");
    EXPECT_EQ(driver.get("/cahier-de-textes/notes/nouvelle").status, 200);
    auto const before = rows_of_tables(driver, "lesson_book%");
    auto empty = driver.post("/cahier-de-textes/notes",
        { { "csrf", driver.csrf_token() }, { "jour", school_time::iso_day(made.today + 1) }, { "texte", "  " } });
    EXPECT_EQ(empty.status, 422);
    EXPECT_TRUE(contains(empty.body, "crivez le texte de la note."));
    auto bad_day = driver.post("/cahier-de-textes/notes",
        { { "csrf", driver.csrf_token() }, { "jour", "31/02/2026" }, { "texte", "Réviser" } });
    EXPECT_EQ(bad_day.status, 422);
    EXPECT_TRUE(contains(bad_day.body, "Indiquez le jour de la note"));
    EXPECT_EQ(driver
                  .post("/cahier-de-textes/notes",
                      { { "csrf", driver.csrf_token() }, { "jour", school_time::iso_day(made.today + 1) },
                          { "texte", std::string(2001, 'a') } })
                  .status,
        422);
    EXPECT_EQ(rows_of_tables(driver, "lesson_book%"), before);

    std::string const xss_text
        = "<script>alert(1)</script> Réviser <img src=x onerror=alert(1)> \"><svg onload=alert(1)>";
    std::string const xss_subject = "javascript:alert(1)<script>alert(1)</script>";
    auto created = driver.post("/cahier-de-textes/notes",
        { { "csrf", driver.csrf_token() }, { "jour", school_time::iso_day(made.today + 1) }, { "matiere", xss_subject },
            { "texte", xss_text } });
    ASSERT_EQ(created.status, 303);
    auto const note = query_value(driver, "SELECT MAX(id) FROM lesson_book_personal");
    EXPECT_TRUE(contains(created.header("Location"), "#note-" + str(note)));
    auto page = driver.get("/cahier-de-textes");
    EXPECT_TRUE(contains(page.body, "Note personnelle"));
    EXPECT_TRUE(contains(page.body, "Réviser"));
    EXPECT_TRUE(page_is_safe(page.body));
    EXPECT_TRUE(contains(page.body, "&lt;script&gt;alert(1)&lt;/script&gt;"));
    auto edit = driver.get("/cahier-de-textes/notes/" + str(note) + "/modifier");
    EXPECT_EQ(edit.status, 200);
    EXPECT_TRUE(page_is_safe(edit.body));
    EXPECT_EQ(driver
                  .post("/cahier-de-textes/notes/" + str(note),
                      { { "csrf", driver.csrf_token() }, { "jour", school_time::iso_day(made.today + 2) },
                          { "matiere", "ANGLAIS" }, { "texte", "Apprendre le vocabulaire de l'unité 3" } })
                  .status,
        303);
    EXPECT_EQ(driver
                  .post("/cahier-de-textes/notes/" + str(note) + "/fait",
                      { { "csrf", driver.csrf_token() }, { "fait", "1" } })
                  .status,
        303);
    EXPECT_EQ(query_value(driver, "SELECT done FROM lesson_book_personal WHERE id = " + str(note)), 1);

    // His father reads it, marked as personal, and cannot change it.
    sign_in(driver, "andre.chamson");
    auto father = driver.get("/cahier-de-textes?enfant=" + str(user_id(driver, "louis.chamson")));
    EXPECT_TRUE(contains(father.body, "Apprendre le vocabulaire de l&#39;unité 3")
        || contains(father.body, "Apprendre le vocabulaire de l'unité 3"));
    EXPECT_TRUE(contains(father.body, "Note personnelle"));
    auto const kept = rows_of_tables(driver, "lesson_book%");
    EXPECT_EQ(driver.get("/cahier-de-textes/notes/nouvelle").status, 403);
    EXPECT_EQ(driver.get("/cahier-de-textes/notes/" + str(note) + "/modifier").status, 403);
    auto refused = driver.post("/cahier-de-textes/notes/" + str(note),
        { { "csrf", driver.csrf_token() }, { "jour", school_time::iso_day(made.today) }, { "texte", "Changé" } });
    EXPECT_EQ(refused.status, 403);
    EXPECT_TRUE(contains(refused.body, "seul votre enfant peut les modifier"));
    EXPECT_EQ(
        driver.post("/cahier-de-textes/notes/" + str(note) + "/supprimer", { { "csrf", driver.csrf_token() } }).status,
        403);
    EXPECT_EQ(
        driver
            .post("/cahier-de-textes/notes",
                { { "csrf", driver.csrf_token() }, { "jour", school_time::iso_day(made.today) }, { "texte", "x" } })
            .status,
        403);
    EXPECT_EQ(rows_of_tables(driver, "lesson_book%"), kept);
    // Pauline's book does not show her brother's note.
    EXPECT_FALSE(contains(driver.get("/cahier-de-textes?enfant=" + str(user_id(driver, "pauline.chamson"))).body,
        "Apprendre le vocabulaire"));

    // Anyone else: not found, and the note never shows.
    for (auto const* login :
        { "pauline.chamson", "emma.roux", "karim.benali", "samuel.beaumont", "philippe.garnier" }) {
        sign_in(driver, login);
        EXPECT_EQ(driver.get("/cahier-de-textes/notes/" + str(note) + "/modifier").status, 404) << login;
        EXPECT_EQ(
            driver.post("/cahier-de-textes/notes/" + str(note) + "/supprimer", { { "csrf", driver.csrf_token() } })
                .status,
            404)
            << login;
        EXPECT_FALSE(contains(driver.get("/cahier-de-textes").body, "Apprendre le vocabulaire")) << login;
    }
    EXPECT_EQ(rows_of_tables(driver, "lesson_book%"), kept);

    sign_in(driver, "louis.chamson");
    EXPECT_EQ(
        driver.post("/cahier-de-textes/notes/" + str(note) + "/supprimer", { { "csrf", driver.csrf_token() } }).status,
        303);
    EXPECT_EQ(query_value(driver, "SELECT COUNT(*) FROM lesson_book_personal"), 0);
}

// Every route of the families' side by every kind of person, with the ids
// of Louis's class and note: never data for those who may not read it;
// forbidden writes change nothing.
TEST(LessonBookFamilyRoutes, EveryRouteByKindOfPerson)
{
    AppDriver driver;
    auto const made = seed(driver);
    other_structure_admin(driver);
    sign_in(driver, "louis.chamson");
    driver.post("/cahier-de-textes/notes",
        { { "csrf", driver.csrf_token() }, { "jour", school_time::iso_day(made.today + 1) },
            { "texte", "Note privée de Louis" } });
    auto const note = query_value(driver, "SELECT MAX(id) FROM lesson_book_personal");
    ASSERT_GT(note, 0);

    access::CapabilityRegistry registry;
    auto router = app::build_router(registry);
    ASSERT_FALSE(router.is_error());
    // The families' routes, each served by the application's router.
    auto const family = lesson_book::family_routes();
    std::vector<http::Route const*> routes;
    for (auto const& route : family) {
        bool const served = std::any_of(router->routes().begin(), router->routes().end(),
            [&](auto const& known) { return known.method == route.method && known.pattern == route.pattern; });
        EXPECT_TRUE(served) << route.pattern;
        routes.push_back(&route);
    }
    ASSERT_GE(routes.size(), 18U);
    auto path_of = [&](std::string pattern) {
        auto replace = [&](std::string const& name, std::string const& value) {
            if (auto at = pattern.find(name); at != std::string::npos)
                pattern.replace(at, name.size(), value);
        };
        if (pattern.starts_with("/cahier-de-textes/notes/"))
            replace("{id}", str(note));
        else if (pattern.starts_with("/cahier-de-textes/seances/"))
            replace("{id}", str(made.seance));
        else if (pattern.starts_with("/cahier-de-textes/pieces-jointes/"))
            replace("{id}", str(made.file));
        else
            replace("{id}", str(made.homework));
        replace("{token}", std::string(43, 'a') + ".ics");
        return pattern;
    };
    // Writes that only make one's own rows (a note, one's calendar link).
    auto own_creation = [](http::Route const& route) {
        return route.method == http::Method::Post
            && (route.pattern == "/cahier-de-textes/notes"
                || route.pattern.starts_with("/cahier-de-textes/calendrier"));
    };
    std::vector<std::string> const secrets { "Lire le dossier 4", "Note privée de Louis", "%PDF-1.4 dossier",
        "Cours sur la fidélisation" };
    for (auto const* login : { "pauline.chamson", "karim.benali", "achamson", "nathalie.vidal", "admin.moulin",
             "julien.favier", "philippe.garnier", "andre.chamson", "louis.chamson" }) {
        sign_in(driver, login);
        std::string const who = login;
        bool const reads_tpro
            = who == "julien.favier" || who == "philippe.garnier" || who == "andre.chamson" || who == "louis.chamson";
        auto const before = rows_of_tables(driver, "lesson_book%");
        for (auto const* route : routes) {
            if (own_creation(*route))
                continue;
            auto const path = path_of(route->pattern);
            http::Response response;
            if (route->method == http::Method::Get)
                response = driver.get(path);
            else
                response = driver.post(path,
                    { { "csrf", driver.csrf_token() }, { "fait", "1" }, { "jour", school_time::iso_day(made.today) },
                        { "texte", "Changé" } });
            auto const status = response.status;
            EXPECT_TRUE(status == 200 || status == 303 || status == 403 || status == 404)
                << who << " " << route->pattern << " " << status;
            if (!reads_tpro) {
                for (auto const& secret : secrets)
                    EXPECT_FALSE(contains(response.body, secret)) << who << " " << route->pattern;
                if (route->pattern.find("{id}") != std::string::npos) {
                    EXPECT_EQ(status, 404) << who << " " << route->pattern;
                }
            }
            if (who != "louis.chamson" && route->pattern.starts_with("/cahier-de-textes/notes/{id}")) {
                EXPECT_TRUE(status == 403 || status == 404) << who << " " << route->pattern << " " << status;
            }
            if (route->method == http::Method::Post && route->pattern.ends_with("/fait")
                && route->pattern.starts_with("/cahier-de-textes/travail") && who != "louis.chamson") {
                EXPECT_EQ(status, reads_tpro ? 403 : 404) << who << " " << route->pattern;
            }
        }
        if (who != "louis.chamson") {
            EXPECT_EQ(rows_of_tables(driver, "lesson_book%"), before) << who;
        }
    }
}

// The Accueil's « Travail à faire » follows the chosen child; its two
// empty states.
TEST(LessonBookFamilyHome, BlockPerChildAndEmptyStates)
{
    {
        AppDriver driver;
        clear_lesson_book(driver);
        sign_in(driver, "louis.chamson");
        auto empty = driver.get("/accueil");
        EXPECT_TRUE(contains(empty.body, "données n&#39;ont pas été initialisées")
            || contains(empty.body, "données n'ont pas été initialisées"));
        seed(driver, false); // a séance, no homework
        auto none = driver.get("/accueil");
        EXPECT_TRUE(contains(none.body, "Aucun travail à faire pour les prochains jours."));
        EXPECT_FALSE(contains(none.body, "pas été initialisées"));
    }
    AppDriver driver;
    auto const made = seed(driver);
    sign_in(driver, "louis.chamson");
    auto home = driver.get("/accueil");
    EXPECT_TRUE(contains(home.body, "Pour demain – ÉCONOMIE-GESTION"));
    EXPECT_TRUE(contains(home.body, "Lire le dossier 4"));
    EXPECT_TRUE(contains(home.body,
        "href=\"/cahier-de-textes?du=" + school_time::iso_day(made.today + 1) + "#travail-" + str(made.homework)));
    EXPECT_FALSE(contains(home.body, "Exercices planifiés"));
    EXPECT_TRUE(page_is_safe(home.body));
    driver.post("/cahier-de-textes/travail/" + str(made.homework) + "/fait",
        { { "csrf", driver.csrf_token() }, { "fait", "1" } });
    sign_in(driver, "andre.chamson");
    auto louis = driver.get("/accueil?enfant=" + str(user_id(driver, "louis.chamson")));
    EXPECT_TRUE(contains(louis.body, "Lire le dossier 4"));
    EXPECT_TRUE(contains(louis.body, "Fait ✓"));
    EXPECT_FALSE(contains(louis.body, "Décathlon"));
    auto pauline = driver.get("/accueil?enfant=" + str(user_id(driver, "pauline.chamson")));
    EXPECT_TRUE(contains(pauline.body, "Décathlon"));
    EXPECT_FALSE(contains(pauline.body, "Lire le dossier 4"));
    sign_in(driver, "samuel.beaumont");
    EXPECT_TRUE(contains(driver.get("/accueil").body, "Aucun travail à faire pour les prochains jours."));
}

// The print page and the PDF hold the week's homework; the PDF's text read
// by pdftotext; the time to build a week's PDF.
TEST(LessonBookFamilyPrint, PageAndPdfOfTheWeek)
{
    AppDriver driver;
    auto const made = seed(driver);
    sign_in(driver, "louis.chamson");
    auto const query = "?du=" + school_time::iso_day(made.today) + "&au=" + school_time::iso_day(made.today + 6);
    auto page = driver.get("/cahier-de-textes/imprimer" + query);
    ASSERT_EQ(page.status, 200);
    EXPECT_TRUE(contains(page.body, "Cahier de textes – Louis CHAMSON – du "));
    EXPECT_TRUE(contains(page.body, "Lire le dossier 4 sur la relation client"));
    EXPECT_TRUE(contains(page.body, "Télécharger en PDF"));
    EXPECT_TRUE(page_is_safe(page.body));
    EXPECT_FALSE(contains(page.body, "Exercices planifiés"));
    auto reversed = driver.get("/cahier-de-textes/imprimer?du=" + school_time::iso_day(made.today)
        + "&au=" + school_time::iso_day(made.today - 1));
    EXPECT_EQ(reversed.status, 422);
    EXPECT_TRUE(contains(reversed.body, "La fin de la période doit suivre son début."));
    EXPECT_EQ(driver
                  .get("/cahier-de-textes/imprimer?du=" + school_time::iso_day(made.today)
                      + "&au=" + school_time::iso_day(made.today + 400))
                  .status,
        422);

    auto pdf = driver.get("/cahier-de-textes/imprimer.pdf" + query);
    ASSERT_EQ(pdf.status, 200);
    EXPECT_EQ(pdf.header("Content-Type"), "application/pdf");
    EXPECT_TRUE(pdf.body.starts_with("%PDF"));
    EXPECT_TRUE(contains(pdf.header("Content-Disposition"), "attachment; filename=\"Cahier de textes Louis CHAMSON"));
    auto const file = std::filesystem::temp_directory_path() / ("cahier-" + std::to_string(::getpid()) + ".pdf");
    std::ofstream(file, std::ios::binary) << pdf.body;
    auto const text_file = file.string() + ".txt";
    auto const command = "pdftotext -enc UTF-8 '" + file.string() + "' '" + text_file + "'";
    ASSERT_EQ(std::system(command.c_str()), 0) << "pdftotext (poppler-utils) is needed";
    std::ifstream in(text_file);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::filesystem::remove(file);
    std::filesystem::remove(text_file);
    EXPECT_TRUE(contains(text, "Cahier de textes – Louis CHAMSON – du")) << text;
    EXPECT_TRUE(contains(text, "ÉCONOMIE-GESTION")) << text;
    EXPECT_TRUE(contains(text, "Lire le dossier 4 sur la relation client")) << text;
    EXPECT_TRUE(contains(text, "Page 1")) << text;
    EXPECT_FALSE(contains(text, "Exercices planifiés")) << text;

    // The guardian prints his child's; another child of his, not someone else's.
    sign_in(driver, "andre.chamson");
    EXPECT_EQ(
        driver.get("/cahier-de-textes/imprimer.pdf" + query + "&enfant=" + str(user_id(driver, "emma.roux"))).status,
        403);

    // A week's PDF, built in memory many times.
    lesson_book::family::Book book;
    for (int day = 0; day < 6; ++day) {
        for (int index = 0; index < 4; ++index) {
            lesson_book::Homework homework;
            homework.id = day * 10 + index;
            homework.subject_label = "ÉCONOMIE-GESTION";
            homework.given_day = made.today;
            homework.due_day = made.today + day;
            homework.estimated_minutes = 45;
            homework.description = "<p>Lire le dossier documentaire et répondre aux questions 1 à 6 en rédigeant une "
                                   "synthèse argumentée d'une page sur la stratégie commerciale de l'entreprise.</p>";
            book.homework.push_back(homework);
            lesson_book::Seance seance;
            seance.id = homework.id;
            seance.subject_label = "MATHÉMATIQUES";
            seance.day = made.today + day;
            seance.start_minute = 480 + 60 * index;
            seance.end_minute = 540 + 60 * index;
            seance.title = "Suites géométriques";
            seance.content = "<p>Cours : définition, terme général, somme des termes. Exercices 12 à 15 page 84.</p>";
            book.seances.push_back(seance);
        }
    }
    constexpr int RUNS = 10;
    auto const start = std::chrono::steady_clock::now();
    std::size_t bytes = 0;
    for (int run = 0; run < RUNS; ++run)
        bytes += lesson_book::family::book_pdf("Cahier de textes – Louis CHAMSON", book, made.today, made.today + 7)
                     .size();
    auto const elapsed
        = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count() / RUNS;
    std::printf("[ bench    ] a week's PDF (24 homework, 24 séances): %.1f ms, %zu bytes\n", elapsed, bytes / RUNS);
    EXPECT_LT(elapsed, 2000.0);
}

// The private iCalendar link: shown once, the feed holds what the person
// reads now, revoked links answer 404.
TEST(LessonBookFamilyFeed, PrivateLinkAndRevocation)
{
    AppDriver driver;
    auto const made = seed(driver);
    sign_in(driver, "andre.chamson");
    EXPECT_EQ(driver.get("/cahier-de-textes/calendrier").status, 200);
    auto created = driver.post("/cahier-de-textes/calendrier", { { "csrf", driver.csrf_token() } });
    ASSERT_EQ(created.status, 200);
    auto const start = created.body.find("/cahier-de-textes/calendrier/", created.body.find("lien-calendrier"));
    ASSERT_NE(start, std::string::npos);
    auto const end = created.body.find(".ics", start);
    auto const path = created.body.substr(start, end + 4 - start);
    EXPECT_FALSE(contains(driver.get("/cahier-de-textes/calendrier").body, path));
    auto const digest = query_value(driver, "SELECT COUNT(*) FROM lesson_book_feed");
    EXPECT_EQ(digest, 1);

    driver.forget_cookies();
    auto feed = driver.get(path);
    ASSERT_EQ(feed.status, 200);
    // Long lines are folded (RFC 5545 3.1): read them unfolded.
    for (auto fold = feed.body.find("\r\n "); fold != std::string::npos; fold = feed.body.find("\r\n ", fold))
        feed.body.erase(fold, 3);
    EXPECT_TRUE(contains(feed.header("Content-Type"), "text/calendar"));
    EXPECT_TRUE(contains(feed.body, "BEGIN:VCALENDAR\r\n"));
    EXPECT_TRUE(contains(feed.body, "BEGIN:VTIMEZONE"));
    EXPECT_TRUE(contains(feed.body, "SUMMARY:Louis – À faire : ÉCONOMIE-GESTION – Lire le dossier 4"));
    EXPECT_TRUE(contains(feed.body, "SUMMARY:Pauline – À faire : ÉCONOMIE-GESTION – Étude de cas Décathlon"));
    EXPECT_TRUE(contains(feed.body, "DTSTART;VALUE=DATE:" + school_time::ics_date(made.today + 1)));
    EXPECT_TRUE(
        contains(feed.body, "DTSTART;TZID=Europe/Paris:" + school_time::ics_local_time(made.today * 1440 + 480)));
    EXPECT_FALSE(contains(feed.body, "planifiés"));
    EXPECT_FALSE(contains(feed.body, "<script"));

    sign_in(driver, "andre.chamson");
    driver.get("/cahier-de-textes/calendrier");
    ASSERT_EQ(driver.post("/cahier-de-textes/calendrier", { { "csrf", driver.csrf_token() } }).status, 200);
    driver.forget_cookies();
    EXPECT_EQ(driver.get(path).status, 404);
    EXPECT_EQ(driver.get("/cahier-de-textes/calendrier/" + std::string(43, 'b') + ".ics").status, 404);
    sign_in(driver, "andre.chamson");
    driver.get("/cahier-de-textes/calendrier");
    EXPECT_EQ(driver.post("/cahier-de-textes/calendrier/supprimer", { { "csrf", driver.csrf_token() } }).status, 303);
    EXPECT_EQ(query_value(driver, "SELECT COUNT(*) FROM lesson_book_feed"), 0);
}

// The REST API: a guardian gives one of his children, a student only
// himself; errors as JSON in French.
TEST(LessonBookFamilyApi, HomeworkAndSeancesAsJson)
{
    AppDriver driver;
    auto const made = seed(driver);
    auto token_of = [&](std::string const& login) {
        sign_in(driver, login);
        driver.get("/preferences/application-mobile");
        auto paired = driver.post(
            "/preferences/application-mobile", { { "csrf", driver.csrf_token() }, { "nom", "Téléphone" } });
        auto start = paired.body.find("value=\"cartable_");
        return start == std::string::npos ? std::string()
                                          : paired.body.substr(start + 7, paired.body.find('"', start + 7) - start - 7);
    };
    auto const louis = user_id(driver, "louis.chamson");
    auto const student = token_of("louis.chamson");
    ASSERT_FALSE(student.empty());
    auto const range = "du=" + school_time::iso_day(made.today) + "&au=" + school_time::iso_day(made.today + 6);
    auto own = driver.api(http::Method::Get, "/api/v1/cahier-de-textes/travail?" + range, student);
    ASSERT_EQ(own.status, 200) << own.body;
    EXPECT_TRUE(contains(own.body, "\"matiere\":\"ÉCONOMIE-GESTION\""));
    EXPECT_TRUE(contains(own.body, "\"pour_le\":\"" + school_time::iso_day(made.today + 1) + "\""));
    EXPECT_TRUE(contains(own.body, "\"description_texte\":\"Lire le dossier 4 sur la relation client\""));
    EXPECT_TRUE(contains(own.body, "/cahier-de-textes/pieces-jointes/" + str(made.file)));
    EXPECT_TRUE(contains(own.body, "\"fait\":false"));
    EXPECT_FALSE(contains(own.body, "planifiés"));
    EXPECT_FALSE(contains(own.body, "<script"));
    auto seances = driver.api(http::Method::Get, "/api/v1/cahier-de-textes/seances?" + range, student);
    ASSERT_EQ(seances.status, 200);
    EXPECT_TRUE(contains(seances.body, "\"titre\":\"La relation client\""));
    EXPECT_TRUE(contains(seances.body, "\"debut\":\"08:00\""));
    auto other = driver.api(http::Method::Get,
        "/api/v1/cahier-de-textes/travail?eleve=" + str(user_id(driver, "pauline.chamson")), student);
    EXPECT_EQ(other.status, 403);
    EXPECT_TRUE(contains(other.body, "\"erreur\":\"interdit\""));
    auto bad = driver.api(http::Method::Get, "/api/v1/cahier-de-textes/travail?du=hier", student);
    EXPECT_EQ(bad.status, 400);
    EXPECT_TRUE(contains(bad.body, "La date doit"));

    auto const father = token_of("andre.chamson");
    ASSERT_FALSE(father.empty());
    EXPECT_EQ(driver.api(http::Method::Get, "/api/v1/cahier-de-textes/travail", father).status, 403);
    EXPECT_EQ(driver
                  .api(http::Method::Get, "/api/v1/cahier-de-textes/travail?eleve=" + str(user_id(driver, "emma.roux")),
                      father)
                  .status,
        403);
    auto child
        = driver.api(http::Method::Get, "/api/v1/cahier-de-textes/travail?" + range + "&eleve=" + str(louis), father);
    ASSERT_EQ(child.status, 200);
    EXPECT_TRUE(contains(child.body, "Lire le dossier 4"));
    auto const teacher = token_of("samuel.beaumont");
    EXPECT_EQ(driver.api(http::Method::Get, "/api/v1/cahier-de-textes/seances", teacher).status, 403);
    EXPECT_EQ(driver.api(http::Method::Get, "/api/v1/cahier-de-textes/seances", "").status, 401);
}

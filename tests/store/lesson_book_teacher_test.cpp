// SPDX-License-Identifier: AGPL-3.0-or-later
// The teachers' and the direction's side of the lesson book: a séance from
// a lesson in two requests, bad input, script payloads, planning ahead,
// copies, the week's load, the visa, the notifications of homework due
// tomorrow and of a changed date, and every route tried by every kind of
// person with another class's ids (both engines).
#include "app/application.h"
#include "app/demo_school.h"
#include "core/school_time.h"
#include "services/lesson_book/lesson_book_internal.h"
#include "services/lesson_book/lesson_book_store.h"
#include "tests/support/app_driver.h"
#include <ctime>
#include <filesystem>
#include <gtest/gtest.h>

using namespace cartable;
using cartable::testing::AppDriver;
using cartable::testing::contains;
using cartable::testing::query_value;
using cartable::testing::rows_of_tables;
using cartable::testing::user_id;
namespace school_time = cartable::school_time;

namespace {

constexpr char const* BASE = "/cahier-de-textes/enseignant";

void sign_in(AppDriver& driver, std::string const& login)
{
    driver.forget_cookies();
    ASSERT_EQ(driver.sign_in(login, app::DEMO_PASSWORD).status, 303) << login;
    driver.get("/accueil");
}

long long today()
{
    return school_time::day_of_unix(std::time(nullptr));
}

long long next_monday()
{
    return today() - school_time::weekday(today()) + 7;
}

std::string unescaped(std::string text)
{
    for (auto at = text.find("&amp;"); at != std::string::npos; at = text.find("&amp;", at + 1))
        text.replace(at, 5, "&");
    return text;
}

// The « Saisir la séance » link of a lesson of that class in a week page.
std::string enter_url(std::string const& page, std::string const& class_name)
{
    std::size_t at = 0;
    while ((at = page.find("<li class=\"lesson-book-lesson\">", at)) != std::string::npos) {
        auto const end = page.find("</li>", at);
        auto const item = page.substr(at, end - at);
        at = end;
        if (!contains(item, "<strong>" + class_name + "</strong>"))
            continue;
        auto const link = item.find("href=\"/cahier-de-textes/enseignant/seances/nouvelle?");
        if (link == std::string::npos)
            continue;
        auto const start = link + 6;
        return unescaped(item.substr(start, item.find('"', start) - start));
    }
    return {};
}

// The value of an input of a form page.
std::string input_value(std::string const& page, std::string const& name)
{
    auto const at = page.find("name=\"" + name + "\"");
    if (at == std::string::npos)
        return {};
    auto const tag_end = page.find('>', at);
    auto const value = page.find("value=\"", at);
    if (value == std::string::npos || value > tag_end)
        return {};
    auto const start = value + 7;
    return page.substr(start, page.find('"', start) - start);
}

std::string selected_course(std::string const& page)
{
    auto const selected = page.find("\" selected>");
    if (selected == std::string::npos)
        return {};
    auto const start = page.rfind("value=\"", selected) + 7;
    return page.substr(start, selected - start);
}

std::string course(AppDriver& driver, std::string const& class_name, std::string const& code)
{
    return std::to_string(query_value(driver, "SELECT id FROM identity_class WHERE name = '" + class_name + "'")) + ":"
        + std::to_string(query_value(driver, "SELECT id FROM identity_subject WHERE code = '" + code + "'"));
}

using Fields = std::vector<std::pair<std::string, std::string>>;

Fields seance_fields(AppDriver& driver, std::string const& course_code, std::string const& title)
{
    return { { "csrf", driver.csrf_token() }, { "cours", course_code }, { "date", school_time::iso_day(today()) },
        { "titre", title }, { "contenu", "Les clauses du contrat." } };
}

long long count(AppDriver& driver, std::string const& table)
{
    return query_value(driver, "SELECT COUNT(*) FROM " + table);
}

long long notifications_of(AppDriver& driver, std::string const& login, std::string const& title_part)
{
    return query_value(driver,
        "SELECT COUNT(*) FROM notifications_item WHERE recipient_id = " + std::to_string(user_id(driver, login))
            + " AND event = 'homework' AND title LIKE '%" + title_part + "%'");
}

} // namespace

TEST(LessonBookTeacher, SeanceFromALessonInTwoRequests)
{
    AppDriver driver;
    sign_in(driver, "samuel.beaumont");
    auto const week_url = std::string(BASE) + "?semaine=" + school_time::iso_day(next_monday() + 7);
    auto const week = driver.get(week_url);
    ASSERT_EQ(week.status, 200);
    EXPECT_TRUE(contains(week.body, "Saisir la séance"));
    auto const url = enter_url(week.body, "TPRO");
    ASSERT_FALSE(url.empty()) << week.body;
    // First click: the form, prefilled from the lesson.
    auto const form = driver.get(url);
    ASSERT_EQ(form.status, 200);
    EXPECT_EQ(selected_course(form.body), course(driver, "TPRO", "042400"));
    auto const day = input_value(form.body, "date");
    EXPECT_TRUE(school_time::parse_day(day).has_value());
    EXPECT_FALSE(input_value(form.body, "debut").empty());
    EXPECT_FALSE(input_value(form.body, "creneau").empty());
    EXPECT_FALSE(input_value(form.body, "pour_le").empty()); // the next lesson of the subject
    EXPECT_GT(*school_time::parse_day(input_value(form.body, "pour_le")), *school_time::parse_day(day));
    // Second click: « Enregistrer ».
    auto const before = count(driver, "lesson_book_session");
    auto const saved = driver.post(std::string(BASE) + "/seances",
        { { "csrf", driver.csrf_token() }, { "cours", selected_course(form.body) }, { "date", day },
            { "debut", input_value(form.body, "debut") }, { "fin", input_value(form.body, "fin") },
            { "creneau", input_value(form.body, "creneau") }, { "titre", "Le licenciement pour motif personnel" },
            { "contenu", "Cause réelle et sérieuse, entretien préalable." }, { "travail", "Lire le document 5." },
            { "pour_le", input_value(form.body, "pour_le") }, { "duree", "20" } });
    ASSERT_EQ(saved.status, 303) << saved.body;
    EXPECT_EQ(count(driver, "lesson_book_session"), before + 1);
    EXPECT_EQ(query_value(driver,
                  "SELECT COUNT(*) FROM lesson_book_homework WHERE estimated_minutes = 20 AND "
                  "session_id IS NOT NULL"),
        1);
    auto const after = driver.get(week_url);
    EXPECT_TRUE(contains(after.body, "Séance saisie"));
    EXPECT_TRUE(contains(after.body, "Le licenciement pour motif personnel"));
    // The lesson now links to its séance rather than to the form.
    EXPECT_NE(enter_url(after.body, "TPRO"), url);
}

TEST(LessonBookTeacher, BadInputIsRefusedInFrenchAndWritesNothing)
{
    AppDriver driver;
    sign_in(driver, "samuel.beaumont");
    driver.get(std::string(BASE) + "/seances/nouvelle");
    auto const tpro = course(driver, "TPRO", "042400");
    auto const before = rows_of_tables(driver, "lesson_book%");
    struct Case {
        std::vector<std::pair<std::string, std::string>> changes;
        char const* message;
    };
    Case const cases[] = {
        { { { "titre", "" } }, "Indiquez le titre de la séance." },
        { { { "date", "le 3 du mois" } }, "Indiquez la date de la séance" },
        { { { "liens", "javascript:alert(1)" } }, "pas une adresse web" },
        { { { "liens", "https://eduscol.education.fr/\nftp://exemple.fr/fichier" } }, "pas une adresse web" },
        { { { "travail", "Exercice 3" }, { "pour_le", school_time::iso_day(today() - 3) } }, "ne peut pas être avant" },
        { { { "travail", "Exercice 3" }, { "pour_le", "" } }, "Indiquez pour quand" },
        { { { "travail", "Exercice 3" }, { "pour_le", school_time::iso_day(today() + 2) }, { "duree", "trois" } },
            "La durée estimée" },
        { { { "publier_date", "demain" } }, "La date de publication" },
        { { { "cours", "" } }, "Choisissez la classe et la matière." },
    };
    for (auto const& item : cases) {
        auto fields = seance_fields(driver, tpro, "Le contrat de travail");
        for (auto const& [name, value] : item.changes) {
            auto found = std::find_if(
                fields.begin(), fields.end(), [&name](auto const& field) { return field.first == name; });
            if (found != fields.end())
                found->second = value;
            else
                fields.emplace_back(name, value);
        }
        auto const response = driver.post(std::string(BASE) + "/seances", fields);
        EXPECT_EQ(response.status, 422) << item.message;
        EXPECT_TRUE(contains(response.body, item.message)) << item.message;
    }
    // A file over 10 Mo.
    auto const large
        = driver.post_files(std::string(BASE) + "/seances", seance_fields(driver, tpro, "Le contrat de travail"),
            { { "pieces", "Annales.pdf", std::string(10 * 1024 * 1024 + 1, 'x') } });
    EXPECT_EQ(large.status, 422);
    EXPECT_TRUE(contains(large.body, "La pièce jointe « Annales.pdf » dépasse 10 Mo"));
    // A homework on its own due before it is given.
    auto const homework = driver.post(std::string(BASE) + "/travail",
        { { "csrf", driver.csrf_token() }, { "cours", tpro }, { "donne_le", school_time::iso_day(today()) },
            { "pour_le", school_time::iso_day(today() - 1) }, { "travail", "Réviser" } });
    EXPECT_EQ(homework.status, 422);
    EXPECT_TRUE(contains(homework.body, "ne peut pas être avant"));
    // A class or subject he does not teach: refused, in French.
    auto const other = driver.post(
        std::string(BASE) + "/seances", seance_fields(driver, course(driver, "TPRO", "061300"), "Fonctions affines"));
    EXPECT_EQ(other.status, 403);
    EXPECT_TRUE(contains(other.body, "enseignez pas cette matière dans cette classe"));
    EXPECT_EQ(rows_of_tables(driver, "lesson_book%"), before);
}

TEST(LessonBookTeacher, ScriptPayloadsComeBackEscapedOrSanitized)
{
    AppDriver driver;
    sign_in(driver, "samuel.beaumont");
    driver.get(std::string(BASE) + "/seances/nouvelle");
    auto fields
        = seance_fields(driver, course(driver, "TPRO", "042400"), "<script>alert(1)</script>\"><svg onload=alert(1)>");
    fields.emplace_back("format", "html");
    for (auto& field : fields) {
        if (field.first == "contenu")
            field.second = "<p>Bien</p><img src=x onerror=alert(1)><script>alert(1)</script><a "
                           "href=\"javascript:alert(1)\">lien</a>";
    }
    fields.emplace_back("liens", "https://exemple.fr/?q=\"><svg/onload=alert(1)>");
    auto refused = driver.post(std::string(BASE) + "/seances", fields);
    EXPECT_EQ(refused.status, 422); // an address with quotes and angle brackets is no address
    EXPECT_FALSE(contains(refused.body, "<svg onload"));
    EXPECT_FALSE(contains(refused.body, "<script>alert(1)"));
    fields.back().second = "https://exemple.fr/cours";
    fields.emplace_back("travail", "<img src=x onerror=alert(1)> Exercice");
    fields.emplace_back("pour_le", school_time::iso_day(today() + 7));
    auto const saved = driver.post_files(
        std::string(BASE) + "/seances", fields, { { "pieces", "<img src=x onerror=alert(1)>.txt", "Consignes" } });
    ASSERT_EQ(saved.status, 303) << saved.body;
    auto const id = query_value(driver, "SELECT MAX(id) FROM lesson_book_session");
    auto const page = driver.get(std::string(BASE) + "/seances/" + std::to_string(id));
    EXPECT_TRUE(contains(page.body, "&lt;img src=x onerror=alert(1)&gt;.txt"));
    ASSERT_EQ(page.status, 200);
    EXPECT_FALSE(contains(page.body, "<script>alert(1)"));
    EXPECT_FALSE(contains(page.body, "<svg onload"));
    EXPECT_FALSE(contains(page.body, "<img src=x onerror"));
    EXPECT_FALSE(contains(page.body, "javascript:"));
    EXPECT_TRUE(contains(page.body, "&lt;script&gt;alert(1)&lt;/script&gt;"));
    EXPECT_TRUE(contains(page.body, "<p>Bien</p>"));
    EXPECT_TRUE(contains(page.body, "&lt;img src=x onerror=alert(1)&gt; Exercice"));
    auto const edit = driver.get(std::string(BASE) + "/seances/" + std::to_string(id) + "/modifier");
    ASSERT_EQ(edit.status, 200);
    EXPECT_FALSE(contains(edit.body, "<script>alert(1)"));
    EXPECT_FALSE(contains(edit.body, "<svg onload"));
    EXPECT_FALSE(contains(edit.body, "<img src=x onerror"));
}

TEST(LessonBookTeacher, PlannedItemsWaitForTheirDateExceptForTheDirection)
{
    AppDriver driver;
    sign_in(driver, "samuel.beaumont");
    driver.get(std::string(BASE) + "/seances/nouvelle");
    auto fields = seance_fields(driver, course(driver, "TPRO", "042400"), "Évaluation surprise du jeudi");
    fields.emplace_back("publier_date", school_time::iso_day(today() + 3));
    fields.emplace_back("publier_heure", "07:00");
    fields.emplace_back("travail", "Réviser le chapitre 4");
    fields.emplace_back("pour_le", school_time::iso_day(today() + 4));
    ASSERT_EQ(driver.post(std::string(BASE) + "/seances", fields).status, 303);
    auto const id = query_value(driver, "SELECT MAX(id) FROM lesson_book_session");
    auto const path = std::string(BASE) + "/seances/" + std::to_string(id);
    auto const own = driver.get(path);
    EXPECT_EQ(own.status, 200);
    EXPECT_TRUE(contains(own.body, "Publication prévue le"));
    // Not told yet: it is not published.
    EXPECT_EQ(notifications_of(driver, "andre.chamson", "Évaluation"), 0);
    // The reads the families' pages use leave it out.
    {
        auto lease = driver.services().database->lease();
        auto const tpro = query_value(driver, "SELECT id FROM identity_class WHERE name = 'TPRO'");
        auto const now = static_cast<long long>(std::time(nullptr));
        auto const published
            = lesson_book::seances_between(lease.session(), { tpro }, today() - 1, today() + 1, now, false);
        EXPECT_TRUE(std::none_of(published.begin(), published.end(), [&](auto const& s) { return s.id == id; }));
        auto const homework = lesson_book::homework_due(lease.session(), { tpro }, today(), today() + 8, now, false);
        EXPECT_TRUE(std::none_of(homework.begin(), homework.end(),
            [](auto const& h) { return h.description.find("chapitre 4") != std::string::npos; }));
    }
    sign_in(driver, "louis.chamson");
    EXPECT_EQ(driver.get(path).status, 404);
    sign_in(driver, "marie.delmas"); // another teacher of TPRO reads what is published only
    EXPECT_EQ(driver.get(path).status, 404);
    sign_in(driver, "philippe.garnier");
    EXPECT_EQ(driver.get(path).status, 200);
    auto const tpro = query_value(driver, "SELECT id FROM identity_class WHERE name = 'TPRO'");
    auto const book = driver.get(
        "/cahier-de-textes/etablissement?classe=" + std::to_string(tpro) + "&semaine=" + school_time::iso_day(today()));
    ASSERT_EQ(book.status, 200);
    EXPECT_TRUE(contains(book.body, "Évaluation surprise du jeudi"));
    EXPECT_TRUE(contains(book.body, "Publication prévue le"));
}

TEST(LessonBookTeacher, CopyToAnotherClassSurvivesTheOriginal)
{
    AppDriver driver;
    sign_in(driver, "samuel.beaumont");
    driver.get(std::string(BASE) + "/seances/nouvelle");
    auto fields = seance_fields(driver, course(driver, "TPRO", "042400"), "La négociation commerciale");
    fields.emplace_back("liens", "https://www.economie.gouv.fr/");
    fields.emplace_back("travail", "Préparer un argumentaire de vente.");
    fields.emplace_back("pour_le", school_time::iso_day(today() + 6));
    fields.emplace_back("duree", "35");
    ASSERT_EQ(driver
                  .post_files(std::string(BASE) + "/seances", fields,
                      { { "pieces", "Grille de négociation.txt", "Étape 1 : découverte du besoin" } })
                  .status,
        303);
    auto const original_file = query_value(driver, "SELECT MAX(id) FROM lesson_book_attachment");
    auto const id = query_value(driver, "SELECT MAX(id) FROM lesson_book_session");
    auto const path = std::string(BASE) + "/seances/" + std::to_string(id);
    auto const form = driver.get(path + "/copier");
    ASSERT_EQ(form.status, 200);
    EXPECT_TRUE(contains(form.body, "T STMG"));
    auto const stmg = query_value(driver, "SELECT id FROM identity_class WHERE name = 'T STMG'");
    auto const tpro = query_value(driver, "SELECT id FROM identity_class WHERE name = 'TPRO'");
    EXPECT_FALSE(contains(form.body, "name=\"classes\" value=\"" + std::to_string(tpro) + "\"")); // not to itself
    EXPECT_TRUE(contains(form.body, "name=\"classes\" value=\"" + std::to_string(stmg) + "\""));
    // Nothing ticked: a French message.
    auto const empty = driver.post(path + "/copier", { { "csrf", driver.csrf_token() } });
    EXPECT_EQ(empty.status, 422);
    EXPECT_TRUE(contains(empty.body, "Cochez au moins une classe."));
    // A class where he does not teach this subject: refused, nothing copied.
    auto const before = count(driver, "lesson_book_session");
    EXPECT_EQ(
        driver.post(path + "/copier", { { "csrf", driver.csrf_token() }, { "classes", std::to_string(tpro) } }).status,
        403);
    EXPECT_EQ(count(driver, "lesson_book_session"), before);
    ASSERT_EQ(
        driver.post(path + "/copier", { { "csrf", driver.csrf_token() }, { "classes", std::to_string(stmg) } }).status,
        303);
    auto const copy = query_value(driver, "SELECT MAX(id) FROM lesson_book_session");
    EXPECT_NE(copy, id);
    EXPECT_EQ(query_value(driver, "SELECT class_id FROM lesson_book_session WHERE id = " + std::to_string(copy)), stmg);
    EXPECT_EQ(query_value(driver,
                  "SELECT COUNT(*) FROM lesson_book_homework WHERE estimated_minutes = 35 AND class_id = "
                      + std::to_string(stmg)),
        1);
    // The copy falls on a lesson of the subject in T STMG.
    EXPECT_NE(query_value(driver, "SELECT slot_id FROM lesson_book_session WHERE id = " + std::to_string(copy)), 0);
    auto const copied_file
        = query_value(driver, "SELECT MAX(id) FROM lesson_book_attachment WHERE session_id = " + std::to_string(copy));
    ASSERT_NE(copied_file, 0);
    EXPECT_NE(copied_file, original_file);
    // Files are served to those who read their item: Pauline (T STMG) gets
    // the copy's, not TPRO's.
    sign_in(driver, "pauline.chamson");
    EXPECT_EQ(driver.get(std::string(BASE) + "/pieces/" + std::to_string(original_file)).status, 404);
    EXPECT_EQ(driver.get(std::string(BASE) + "/pieces/" + std::to_string(copied_file)).status, 200);
    sign_in(driver, "louis.chamson");
    auto const original = driver.get(std::string(BASE) + "/pieces/" + std::to_string(original_file));
    EXPECT_EQ(original.status, 200);
    EXPECT_TRUE(contains(original.header("Content-Disposition"), "attachment"));
    sign_in(driver, "samuel.beaumont");
    // Deleting the original leaves the copy whole.
    ASSERT_EQ(driver.get(path + "/supprimer").status, 200);
    ASSERT_EQ(driver.post(path + "/supprimer", { { "csrf", driver.csrf_token() } }).status, 303);
    EXPECT_EQ(query_value(driver, "SELECT COUNT(*) FROM lesson_book_session WHERE id = " + std::to_string(id)), 0);
    auto const copied = driver.get(std::string(BASE) + "/seances/" + std::to_string(copy));
    ASSERT_EQ(copied.status, 200);
    EXPECT_TRUE(contains(copied.body, "La négociation commerciale"));
    EXPECT_TRUE(contains(copied.body, "https://www.economie.gouv.fr/"));
    EXPECT_TRUE(contains(copied.body, "Préparer un argumentaire de vente."));
    EXPECT_TRUE(contains(copied.body, "Grille de négociation.txt"));
    auto const file = driver.get(std::string(BASE) + "/pieces/" + std::to_string(copied_file));
    EXPECT_EQ(file.status, 200);
    EXPECT_TRUE(contains(file.header("Content-Disposition"), "attachment"));
}

TEST(LessonBookTeacher, WorkloadTableAndHomeworkFormShowBusyDays)
{
    AppDriver driver;
    auto const day = today() + 14 - school_time::weekday(today()) + 1; // a Tuesday two weeks ahead
    auto const tpro = query_value(driver, "SELECT id FROM identity_class WHERE name = 'TPRO'");
    auto give
        = [&](std::string const& login, std::string const& code, std::string const& text, std::string const& minutes) {
              sign_in(driver, login);
              driver.get(std::string(BASE) + "/travail/nouveau");
              auto const response = driver.post(std::string(BASE) + "/travail",
                  { { "csrf", driver.csrf_token() }, { "cours", course(driver, "TPRO", code) },
                      { "donne_le", school_time::iso_day(today()) }, { "pour_le", school_time::iso_day(day) },
                      { "travail", text }, { "duree", minutes } });
              EXPECT_EQ(response.status, 303) << response.body;
          };
    give("marie.delmas", "061300", "Exercices 4 à 9 page 52", "45");
    give("julien.favier", "020100", "Lire la nouvelle de Maupassant", "30");
    sign_in(driver, "samuel.beaumont");
    auto const form = driver.get(std::string(BASE) + "/travail/nouveau?cours=" + course(driver, "TPRO", "042400"));
    ASSERT_EQ(form.status, 200);
    driver.get(std::string(BASE) + "/travail/nouveau");
    // The due date chosen: the form tells what the class already has that day.
    auto const warned = driver.post(std::string(BASE) + "/travail",
        { { "csrf", driver.csrf_token() }, { "cours", course(driver, "TPRO", "042400") },
            { "donne_le", school_time::iso_day(today()) }, { "pour_le", school_time::iso_day(day) },
            { "travail", "" } });
    EXPECT_EQ(warned.status, 422);
    EXPECT_TRUE(contains(warned.body, "Déjà 2 travaux pour ce jour (FRANÇAIS, MATHÉMATIQUES)")
        || contains(warned.body, "Déjà 2 travaux pour ce jour (MATHÉMATIQUES, FRANÇAIS)"))
        << warned.body;
    give("samuel.beaumont", "042400", "Fiche de révision : le contrat de travail", "20");
    auto const load = driver.get(
        std::string(BASE) + "/charge?classe=" + std::to_string(tpro) + "&semaine=" + school_time::iso_day(day));
    ASSERT_EQ(load.status, 200);
    EXPECT_TRUE(contains(load.body, "Journée chargée"));
    EXPECT_TRUE(contains(load.body, "95 min"));
    EXPECT_TRUE(contains(load.body, "<th scope=\"col\">Jour</th>"));
    // A teacher of no class, a student: no load table.
    sign_in(driver, "achamson");
    EXPECT_EQ(driver.get(std::string(BASE) + "/charge?classe=" + std::to_string(tpro)).status, 404);
}

TEST(LessonBookTeacher, VisaOfTheDirection)
{
    AppDriver driver;
    auto const tpro = query_value(driver, "SELECT id FROM identity_class WHERE name = 'TPRO'");
    auto const book = "/cahier-de-textes/etablissement?classe=" + std::to_string(tpro);
    auto visa = [&]() {
        return driver.post("/cahier-de-textes/etablissement/visa",
            { { "csrf", driver.csrf_token() }, { "classe", std::to_string(tpro) },
                { "jusqu_au", school_time::iso_day(today()) }, { "commentaire", "<script>alert(1)</script>" } });
    };
    auto const before = count(driver, "lesson_book_visa");
    sign_in(driver, "samuel.beaumont");
    EXPECT_EQ(driver.get(book).status, 404);
    auto const refused = visa();
    EXPECT_EQ(refused.status, 403);
    EXPECT_TRUE(contains(refused.body, "Seuls la direction et les inspecteurs visent le cahier de textes."));
    sign_in(driver, "louis.chamson"); // reads TPRO's book, puts no visa
    EXPECT_EQ(visa().status, 403);
    sign_in(driver, "karim.benali"); // reads nothing of TPRO
    EXPECT_EQ(visa().status, 404);
    EXPECT_EQ(count(driver, "lesson_book_visa"), before);
    sign_in(driver, "philippe.garnier");
    auto const page = driver.get(book);
    ASSERT_EQ(page.status, 200);
    EXPECT_TRUE(contains(page.body, "Viser"));
    ASSERT_EQ(visa().status, 303);
    EXPECT_EQ(count(driver, "lesson_book_visa"), before + 1);
    auto const signed_day = [] {
        auto const date = school_time::civil_from_days(today());
        char text[16];
        std::snprintf(text, sizeof text, "%02d/%02d/%04d", date.day, date.month, date.year);
        return std::string(text);
    }();
    auto const after = driver.get(book);
    EXPECT_TRUE(contains(after.body, "Vu le " + signed_day + " par Philippe GARNIER"));
    EXPECT_FALSE(contains(after.body, "<script>alert(1)"));
    // Shown to the class's teachers on its book.
    sign_in(driver, "marie.delmas");
    auto const load = driver.get(std::string(BASE) + "/charge?classe=" + std::to_string(tpro));
    EXPECT_TRUE(contains(load.body, "Vu le " + signed_day + " par Philippe GARNIER"));
}

TEST(LessonBookTeacher, FamiliesAreToldOfHomeworkForTomorrowAndOfAChangedDate)
{
    AppDriver driver;
    sign_in(driver, "samuel.beaumont");
    driver.get(std::string(BASE) + "/travail/nouveau");
    auto const tomorrow = lesson_book::store::next_school_day(today());
    auto const tpro = course(driver, "TPRO", "042400");
    ASSERT_EQ(
        driver
            .post(std::string(BASE) + "/travail",
                { { "csrf", driver.csrf_token() }, { "cours", tpro }, { "donne_le", school_time::iso_day(today()) },
                    { "pour_le", school_time::iso_day(tomorrow) }, { "travail", "Apprendre les définitions." } })
            .status,
        303);
    EXPECT_EQ(notifications_of(driver, "andre.chamson", "Nouveau travail pour demain en ÉCONOMIE-GESTION"), 1);
    EXPECT_EQ(notifications_of(driver, "louis.chamson", "Nouveau travail pour demain en ÉCONOMIE-GESTION"), 1);
    EXPECT_EQ(notifications_of(driver, "sophie.roux", "Nouveau travail pour demain"), 1); // Emma's mother
    EXPECT_EQ(notifications_of(driver, "karim.benali", "Nouveau travail pour demain"), 0); // T STMG
    EXPECT_EQ(notifications_of(driver, "pauline.chamson", "Nouveau travail pour demain"), 0);
    // Homework for later: nobody is told.
    ASSERT_EQ(
        driver
            .post(std::string(BASE) + "/travail",
                { { "csrf", driver.csrf_token() }, { "cours", tpro }, { "donne_le", school_time::iso_day(today()) },
                    { "pour_le", school_time::iso_day(tomorrow + 7) }, { "travail", "Dossier « Embauche »." } })
            .status,
        303);
    EXPECT_EQ(notifications_of(driver, "andre.chamson", "Nouveau travail"), 1);
    auto const id = query_value(driver, "SELECT MAX(id) FROM lesson_book_homework");
    auto const path = std::string(BASE) + "/travail/" + std::to_string(id);
    ASSERT_EQ(driver.get(path + "/modifier").status, 200);
    ASSERT_EQ(
        driver
            .post(path,
                { { "csrf", driver.csrf_token() }, { "cours", tpro }, { "donne_le", school_time::iso_day(today()) },
                    { "pour_le", school_time::iso_day(tomorrow + 8) }, { "travail", "Dossier « Embauche »." } })
            .status,
        303);
    EXPECT_NE(
        query_value(driver, "SELECT due_changed_at FROM lesson_book_homework WHERE id = " + std::to_string(id)), 0);
    EXPECT_EQ(notifications_of(driver, "andre.chamson", "Date changée : ÉCONOMIE-GESTION pour le"), 1);
    EXPECT_EQ(notifications_of(driver, "louis.chamson", "Date changée"), 1);
    EXPECT_EQ(notifications_of(driver, "karim.benali", "Date changée"), 0);
    // The guardian's notification is about his child.
    EXPECT_EQ(query_value(driver,
                  "SELECT child_id FROM notifications_item WHERE title LIKE 'Date changée%' AND "
                  "recipient_id = "
                      + std::to_string(user_id(driver, "andre.chamson"))),
        user_id(driver, "louis.chamson"));
}

// Homework entered on its own carries files too; « Retirer » on the edit
// form takes a file off (its stored copy goes once no row names it); a file
// of another item is left alone; deleting the homework removes its files.
TEST(LessonBookTeacher, HomeworkAloneHasFilesThatCanBeRemoved)
{
    AppDriver driver;
    sign_in(driver, "samuel.beaumont");
    ASSERT_EQ(driver.get(std::string(BASE) + "/travail/nouveau").status, 200);
    auto const tpro = course(driver, "TPRO", "042400");
    std::vector<std::pair<std::string, std::string>> const fields { { "csrf", driver.csrf_token() }, { "cours", tpro },
        { "donne_le", school_time::iso_day(today()) }, { "pour_le", school_time::iso_day(today() + 7) },
        { "travail", "Compléter la fiche d'embauche." } };
    auto const saved = driver.post_files(
        std::string(BASE) + "/travail", fields, { { "pieces", "Fiche embauche.txt", "Nom, poste, date d'entrée" } });
    ASSERT_EQ(saved.status, 303) << saved.body;
    auto const homework = query_value(driver, "SELECT MAX(id) FROM lesson_book_homework");
    auto const attachment
        = query_value(driver, "SELECT id FROM lesson_book_attachment WHERE homework_id = " + std::to_string(homework));
    ASSERT_NE(attachment, 0);
    auto const piece = std::string(BASE) + "/pieces/" + std::to_string(attachment);
    auto const directory = lesson_book::attachment_directory(driver.services().config);
    std::string stored;
    {
        auto lease = driver.services().database->lease();
        lease.session() << "SELECT stored_name FROM lesson_book_attachment WHERE id = :id", soci::use(attachment),
            soci::into(stored);
    }
    EXPECT_TRUE(std::filesystem::exists(directory / stored));
    // Louis reads it, Karim (T STMG) does not.
    sign_in(driver, "louis.chamson");
    EXPECT_EQ(driver.get(piece).status, 200);
    sign_in(driver, "karim.benali");
    EXPECT_EQ(driver.get(piece).status, 404);

    // The edit form offers « Retirer »; another séance's file id is ignored.
    sign_in(driver, "samuel.beaumont");
    auto const path = std::string(BASE) + "/travail/" + std::to_string(homework);
    auto const form = driver.get(path + "/modifier");
    ASSERT_EQ(form.status, 200);
    EXPECT_TRUE(contains(form.body, "name=\"retirer\" value=\"" + std::to_string(attachment) + "\""));
    auto const other
        = query_value(driver, "SELECT COALESCE(MIN(id), 0) FROM lesson_book_attachment WHERE session_id IS NOT NULL");
    auto edit = fields;
    edit[0].second = driver.csrf_token();
    edit.emplace_back("retirer", std::to_string(attachment));
    if (other != 0)
        edit.emplace_back("retirer", std::to_string(other));
    auto const changed = driver.post_files(path, edit, { { "pieces", "Modèle de contrat.txt", "CDI, CDD" } });
    ASSERT_EQ(changed.status, 303) << changed.body;
    EXPECT_EQ(
        query_value(driver, "SELECT COUNT(*) FROM lesson_book_attachment WHERE id = " + std::to_string(attachment)), 0);
    EXPECT_FALSE(std::filesystem::exists(directory / stored));
    EXPECT_EQ(query_value(driver,
                  "SELECT COUNT(*) FROM lesson_book_attachment WHERE homework_id = " + std::to_string(homework)),
        1);
    if (other != 0) {
        EXPECT_EQ(
            query_value(driver, "SELECT COUNT(*) FROM lesson_book_attachment WHERE id = " + std::to_string(other)), 1);
    }
    // Deleting the homework removes its files.
    std::string kept;
    {
        auto lease = driver.services().database->lease();
        lease.session() << "SELECT stored_name FROM lesson_book_attachment WHERE homework_id = :id",
            soci::use(homework), soci::into(kept);
    }
    ASSERT_EQ(driver.get(path + "/supprimer").status, 200);
    ASSERT_EQ(driver.post(path + "/supprimer", { { "csrf", driver.csrf_token() } }).status, 303);
    EXPECT_FALSE(std::filesystem::exists(directory / kept));
}

TEST(LessonBookTeacher, PlannedHomeworkIsToldWhenItBecomesVisible)
{
    AppDriver driver;
    auto const tpro = query_value(driver, "SELECT id FROM identity_class WHERE name = 'TPRO'");
    auto const subject = query_value(driver, "SELECT id FROM identity_subject WHERE label = 'ÉCONOMIE-GESTION'");
    auto const structure = query_value(driver, "SELECT id FROM identity_structure WHERE uai = '0300027A'");
    // Entered on a Monday at 10:00, visible on Tuesday at 17:00, due Wednesday.
    auto const monday = school_time::days_from_civil({ 2031, 3, 3 });
    auto const entered = school_time::unix_from_local(monday * 1440 + 10 * 60);
    auto const visible = school_time::unix_from_local((monday + 1) * 1440 + 17 * 60);
    auto lease = driver.services().database->lease();
    auto& session = lease.session();
    lesson_book::store::HomeworkInput input;
    input.class_id = tpro;
    input.subject_id = subject;
    input.given_day = monday;
    input.due_day = monday + 2;
    input.description = "<p>Préparer l'étude de cas « Licenciement économique ».</p>";
    input.publish_at = visible;
    lesson_book::store::Writer const writer { structure, user_id(driver, "samuel.beaumont"), entered, "http://x" };
    EXPECT_EQ(lesson_book::store::insert_homework(session, writer, input), 0U);
    // Another one planned for a due date further away: made visible, not told.
    input.due_day = monday + 9;
    EXPECT_EQ(lesson_book::store::insert_homework(session, writer, input), 0U);
    EXPECT_EQ(notifications_of(driver, "andre.chamson", "Nouveau travail pour demain"), 0);
    // Before its time, the sweep finds nothing.
    EXPECT_EQ(lesson_book::store::tell_planned_homework(session, "http://x", visible - 60), 0U);
    EXPECT_EQ(notifications_of(driver, "andre.chamson", "Nouveau travail pour demain"), 0);
    // Once visible: told once, to the class's students and their guardians.
    EXPECT_GT(lesson_book::store::tell_planned_homework(session, "http://x", visible + 30), 0U);
    EXPECT_EQ(notifications_of(driver, "andre.chamson", "Nouveau travail pour demain en ÉCONOMIE-GESTION"), 1);
    EXPECT_EQ(notifications_of(driver, "louis.chamson", "Nouveau travail pour demain"), 1);
    EXPECT_EQ(notifications_of(driver, "karim.benali", "Nouveau travail pour demain"), 0);
    EXPECT_EQ(lesson_book::store::tell_planned_homework(session, "http://x", visible + 90), 0U);
    EXPECT_EQ(notifications_of(driver, "andre.chamson", "Nouveau travail pour demain"), 1);
    EXPECT_EQ(query_value(driver, "SELECT COUNT(*) FROM lesson_book_homework WHERE told_at = 0"), 0);
}

TEST(LessonBookTeacher, ReadersAreGrantedByTheAdministratorAndAudited)
{
    AppDriver driver;
    auto const audits = count(driver, "identity_audit");
    sign_in(driver, "samuel.beaumont");
    EXPECT_NE(driver.get("/cahier-de-textes/lecteurs").status, 200);
    sign_in(driver, "admin.ent");
    ASSERT_EQ(driver.get("/cahier-de-textes/lecteurs").status, 200);
    auto const unknown = driver.post(
        "/cahier-de-textes/lecteurs", { { "csrf", driver.csrf_token() }, { "identifiant", "personne.inconnue" } });
    EXPECT_EQ(unknown.status, 422);
    EXPECT_TRUE(contains(unknown.body, "Aucun compte n"));
    ASSERT_EQ(driver
                  .post("/cahier-de-textes/lecteurs",
                      { { "csrf", driver.csrf_token() }, { "identifiant", "nathalie.vidal" } })
                  .status,
        303);
    EXPECT_EQ(count(driver, "lesson_book_reader"), 1);
    EXPECT_GT(count(driver, "identity_audit"), audits);
    sign_in(driver, "nathalie.vidal");
    auto const tpro = query_value(driver, "SELECT id FROM identity_class WHERE name = 'TPRO'");
    EXPECT_EQ(driver.get("/cahier-de-textes/etablissement?classe=" + std::to_string(tpro)).status, 200);
    sign_in(driver, "admin.ent");
    driver.get("/cahier-de-textes/lecteurs");
    ASSERT_EQ(
        driver
            .post("/cahier-de-textes/lecteurs/retirer",
                { { "csrf", driver.csrf_token() }, { "personne", std::to_string(user_id(driver, "nathalie.vidal")) } })
            .status,
        303);
    EXPECT_EQ(count(driver, "lesson_book_reader"), 0);
    sign_in(driver, "nathalie.vidal");
    EXPECT_EQ(driver.get("/cahier-de-textes/etablissement?classe=" + std::to_string(tpro)).status, 404);
}

// Every route of the teachers' and the direction's side, by every kind of
// person, with the ids of an item of T STMG in HISTOIRE-GÉOGRAPHIE (Julien
// FAVIER's): no data for those who may not read it, 403 for a forbidden
// write, nothing changed.
TEST(LessonBookTeacher, EveryRouteByEveryKindOfPerson)
{
    AppDriver driver;
    sign_in(driver, "julien.favier");
    driver.get(std::string(BASE) + "/seances/nouvelle");
    auto fields = seance_fields(driver, course(driver, "T STMG", "040600"), "La Guerre froide");
    fields.emplace_back("travail", "Apprendre les dates.");
    fields.emplace_back("pour_le", school_time::iso_day(today() + 7));
    ASSERT_EQ(driver
                  .post_files(std::string(BASE) + "/seances", fields,
                      { { "pieces", "Chronologie.txt", "1947 : doctrine Truman" } })
                  .status,
        303);
    auto const seance = std::to_string(query_value(driver, "SELECT MAX(id) FROM lesson_book_session"));
    auto const piece = std::to_string(query_value(driver, "SELECT MAX(id) FROM lesson_book_attachment"));
    auto const homework = std::to_string(query_value(driver, "SELECT MAX(id) FROM lesson_book_homework"));
    auto const stmg = std::to_string(query_value(driver, "SELECT id FROM identity_class WHERE name = 'T STMG'"));
    access::CapabilityRegistry registry;
    auto router = app::build_router(registry);
    ASSERT_FALSE(router.is_error());
    std::vector<http::Route const*> routes;
    for (auto const& route : router->routes()) {
        if (route.pattern.starts_with("/cahier-de-textes/enseignant")
            || route.pattern.starts_with("/cahier-de-textes/etablissement")
            || route.pattern.starts_with("/cahier-de-textes/lecteurs"))
            routes.push_back(&route);
    }
    ASSERT_GE(routes.size(), 20U);
    auto path_of = [&](std::string pattern) {
        for (auto const& [name, value] : { std::pair<std::string, std::string> { "{seance}", seance },
                 { "{travail}", homework }, { "{piece}", piece } }) {
            auto at = pattern.find(name);
            if (at != std::string::npos)
                pattern.replace(at, name.size(), value);
        }
        return pattern + (pattern.find('?') == std::string::npos ? "?classe=" + stmg : "");
    };
    auto send = [&](http::Route const& route) {
        auto const path = path_of(route.pattern);
        if (route.method == http::Method::Get)
            return driver.get(path);
        return driver.post(path.substr(0, path.find('?')),
            { { "csrf", driver.csrf_token() }, { "titre", "Modifié" }, { "cours", course(driver, "T STMG", "040600") },
                { "date", school_time::iso_day(today()) }, { "classes", stmg }, { "classe", stmg },
                { "jusqu_au", school_time::iso_day(today()) }, { "identifiant", "louis.chamson" }, { "personne", "1" },
                { "donne_le", school_time::iso_day(today()) }, { "pour_le", school_time::iso_day(today() + 3) },
                { "travail", "Modifié" } });
    };
    auto const is_item = [](http::Route const& route) {
        return contains(route.pattern, "{seance}") || contains(route.pattern, "{travail}")
            || contains(route.pattern, "{piece}");
    };
    auto const before = rows_of_tables(driver, "lesson_book%");
    // No right on T STMG's book: 404 on its items, never its data; the
    // teachers' and administrators' pages refused to the others.
    for (auto const* login : { "louis.chamson", "emma.roux", "sophie.roux", "achamson", "nathalie.vidal" }) {
        sign_in(driver, login);
        for (auto const* route : routes) {
            auto const response = send(*route);
            if (is_item(*route) || contains(route->pattern, "etablissement"))
                EXPECT_EQ(response.status,
                    route->capability == "lesson_book.write" && std::string(login) != "achamson" ? 403 : 404)
                    << login << " " << route->pattern;
            else
                EXPECT_TRUE(response.status == 403 || response.status == 404 || response.status == 200)
                    << login << " " << route->pattern << " " << response.status;
            EXPECT_FALSE(contains(response.body, "La Guerre froide")) << login << " " << route->pattern;
            EXPECT_FALSE(contains(response.body, "doctrine Truman")) << login << " " << route->pattern;
        }
    }
    // Samuel teaches T STMG another subject: he reads the published séance,
    // may change nothing of it (403, in French).
    sign_in(driver, "samuel.beaumont");
    for (auto const* route : routes) {
        if (!is_item(*route))
            continue;
        auto const response = send(*route);
        if (route->method == http::Method::Get
            && (route->pattern.ends_with("{seance}") || route->pattern.ends_with("{piece}")))
            EXPECT_EQ(response.status, 200) << route->pattern;
        else
            EXPECT_EQ(response.status, 403) << route->pattern;
    }
    // Pauline, a student of T STMG: she reads it, changes nothing.
    sign_in(driver, "pauline.chamson");
    for (auto const* route : routes) {
        if (!is_item(*route))
            continue;
        auto const status = send(*route).status;
        if (route->method == http::Method::Get
            && (route->pattern.ends_with("{seance}") || route->pattern.ends_with("{piece}")))
            EXPECT_EQ(status, 200) << route->pattern;
        else
            EXPECT_TRUE(status == 403 || status == 404) << route->pattern << " " << status;
    }
    EXPECT_EQ(rows_of_tables(driver, "lesson_book%"), before);
}

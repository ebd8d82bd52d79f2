// SPDX-License-Identifier: AGPL-3.0-or-later
// The évaluations' grades through the real routes (both engines): a teacher
// creates an assessment, enters marks (codes, a bad cell that writes
// nothing), publishes; the families see the marks with the class figures
// (and only theirs, and only published ones); averages follow
// core/school/averages with the structure's rounding; every route refuses
// every person who may not use it; XSS in titles; settings.
#include "app/application.h"
#include "app/demo_school.h"
#include "core/school_time.h"
#include "tests/support/app_driver.h"
#include <gtest/gtest.h>
#include <set>

using namespace cartable;
using cartable::testing::AppDriver;
using cartable::testing::contains;
using cartable::testing::query_value;
using cartable::testing::rows_of_tables;
using cartable::testing::user_id;

namespace {

struct Ids {
    long long tpro { 0 };
    long long stmg { 0 };
    long long gestion { 0 };
    long long maths { 0 };
    long long second_period { 0 }; // Trimestre 2: empty of demo assessments
    long long louis { 0 };
    long long emma { 0 };
    long long lucas { 0 };
    long long andre { 0 };
};

Ids ids_of(AppDriver& driver)
{
    Ids ids;
    ids.tpro = query_value(driver, "SELECT id FROM identity_class WHERE name = 'TPRO'");
    ids.stmg = query_value(driver, "SELECT id FROM identity_class WHERE name = 'T STMG'");
    ids.gestion = query_value(driver, "SELECT id FROM identity_subject WHERE code = '042400'");
    ids.maths = query_value(driver, "SELECT id FROM identity_subject WHERE code = '061300'");
    ids.second_period = query_value(driver, "SELECT MAX(id) FROM school_period WHERE position = 2");
    ids.louis = user_id(driver, "louis.chamson");
    ids.emma = user_id(driver, "emma.roux");
    ids.lucas = user_id(driver, "lucas.martin");
    ids.andre = user_id(driver, "andre.chamson");
    return ids;
}

void sign_in(AppDriver& driver, char const* login)
{
    driver.forget_cookies();
    ASSERT_EQ(driver.sign_in(login, app::DEMO_PASSWORD).status, 303) << login;
    driver.get("/accueil");
}

std::string second_period_day(AppDriver& driver, Ids const& ids)
{
    auto const first
        = query_value(driver, "SELECT first_day FROM school_period WHERE id = " + std::to_string(ids.second_period));
    return school_time::iso_day(first + 7);
}

// Samuel BEAUMONT creates an assessment of TPRO in ÉCONOMIE-GESTION, in the
// second period; its id.
long long create(AppDriver& driver, Ids const& ids, std::string const& title, std::string const& scale,
    std::string const& coefficient)
{
    driver.get("/evaluations/nouvelle");
    auto const response = driver.post("/evaluations/nouvelle",
        { { "csrf", driver.csrf_token() }, { "cours", std::to_string(ids.tpro) + ":" + std::to_string(ids.gestion) },
            { "titre", title }, { "date", second_period_day(driver, ids) },
            { "periode", std::to_string(ids.second_period) }, { "bareme", scale }, { "coefficient", coefficient } });
    EXPECT_EQ(response.status, 303) << response.body;
    return query_value(driver, "SELECT MAX(id) FROM assessments_assessment");
}

http::Response enter(
    AppDriver& driver, long long assessment, std::vector<std::pair<long long, std::string>> const& marks)
{
    auto const path = "/evaluations/" + std::to_string(assessment);
    driver.get(path);
    std::vector<std::pair<std::string, std::string>> form { { "csrf", driver.csrf_token() } };
    for (auto const& [student, text] : marks)
        form.emplace_back("note_" + std::to_string(student), text);
    return driver.post(path, form);
}

long long grade_notifications(AppDriver& driver, long long person)
{
    return query_value(driver,
        "SELECT COUNT(*) FROM notifications_item WHERE event = 'grade' AND recipient_id = " + std::to_string(person));
}

} // namespace

TEST(AssessmentsGrades, TeacherEntersPublishesFamiliesSee)
{
    AppDriver driver;
    auto const ids = ids_of(driver);
    ASSERT_NE(ids.second_period, 0);
    sign_in(driver, "samuel.beaumont");
    auto const assessment = create(driver, ids, "Le contrat de travail", "20", "2");
    ASSERT_NE(assessment, 0);
    EXPECT_EQ(
        query_value(driver, "SELECT coefficient FROM assessments_assessment WHERE id = " + std::to_string(assessment)),
        200);
    auto const grid = driver.get("/evaluations/" + std::to_string(assessment));
    ASSERT_EQ(grid.status, 200);
    EXPECT_TRUE(contains(grid.body, "Note de Louis CHAMSON"));
    EXPECT_TRUE(contains(grid.body, "inputmode=\"decimal\""));
    EXPECT_TRUE(contains(grid.body, "Abs : absent (non compté)"));

    // One bad cell: nothing is written, the page comes back with what was typed.
    auto const marks_of = "SELECT COUNT(*) FROM assessments_mark WHERE assessment_id = " + std::to_string(assessment);
    auto wrong = enter(driver, assessment, { { ids.louis, "14,5" }, { ids.emma, "25" }, { ids.lucas, "NR" } });
    EXPECT_EQ(wrong.status, 422);
    EXPECT_TRUE(contains(wrong.body, "dépasse le barème (/20)"));
    EXPECT_TRUE(contains(wrong.body, "rien n&#39;est enregistré"));
    EXPECT_TRUE(contains(wrong.body, "value=\"25\""));
    EXPECT_TRUE(contains(wrong.body, "value=\"14,5\""));
    EXPECT_TRUE(contains(wrong.body, "aria-describedby=\"note_" + std::to_string(ids.emma) + "-erreur\""));
    EXPECT_EQ(query_value(driver, marks_of), 0);
    wrong = enter(driver, assessment, { { ids.louis, "quatorze" } });
    EXPECT_EQ(wrong.status, 422);
    EXPECT_TRUE(contains(wrong.body, "n&#39;est pas une note"));
    EXPECT_EQ(query_value(driver, marks_of), 0);

    auto saved = enter(driver, assessment, { { ids.louis, "14,5" }, { ids.emma, "abs" }, { ids.lucas, "NR" } });
    ASSERT_EQ(saved.status, 303) << saved.body;
    EXPECT_EQ(query_value(driver, marks_of), 3);
    EXPECT_EQ(query_value(driver,
                  "SELECT hundredths FROM assessments_mark WHERE assessment_id = " + std::to_string(assessment)
                      + " AND student_id = " + std::to_string(ids.louis)),
        1450);
    auto const page = driver.get("/evaluations/" + std::to_string(assessment));
    EXPECT_TRUE(contains(page.body, "value=\"Abs\""));
    EXPECT_TRUE(contains(page.body, "value=\"NR\""));
    // Louis 14,5 and Lucas NR (0) count, Emma's Abs does not: 7,25.
    EXPECT_TRUE(contains(page.body, "<dd>7,25</dd>"));
    EXPECT_TRUE(contains(page.body, "<dd>14,5</dd>"));

    // Not published yet: the families see nothing of it.
    auto const louis_page = "/evaluations?periode=" + std::to_string(ids.second_period);
    auto const andre_page = louis_page + "&eleve=" + std::to_string(ids.louis);
    sign_in(driver, "louis.chamson");
    EXPECT_FALSE(contains(driver.get(louis_page).body, "Le contrat de travail"));
    sign_in(driver, "andre.chamson");
    EXPECT_FALSE(contains(driver.get(andre_page).body, "Le contrat de travail"));
    EXPECT_EQ(grade_notifications(driver, ids.andre), 0);

    sign_in(driver, "samuel.beaumont");
    driver.get("/evaluations/" + std::to_string(assessment));
    auto const publish = "/evaluations/" + std::to_string(assessment) + "/publier";
    EXPECT_EQ(driver.post(publish, { { "csrf", driver.csrf_token() } }).status, 303);
    EXPECT_EQ(grade_notifications(driver, ids.andre), 1);
    EXPECT_EQ(grade_notifications(driver, ids.louis), 1);
    EXPECT_EQ(query_value(driver,
                  "SELECT COUNT(*) FROM notifications_item WHERE event = 'grade' AND recipient_id = "
                      + std::to_string(ids.andre) + " AND child_id = " + std::to_string(ids.louis)
                      + " AND title = 'Nouvelle note en ÉCONOMIE-GESTION' AND link = '/evaluations?eleve="
                      + std::to_string(ids.louis) + "'"),
        1);
    // Withdrawn then published again, and marks changed: told only once.
    EXPECT_EQ(
        driver.post("/evaluations/" + std::to_string(assessment) + "/retirer", { { "csrf", driver.csrf_token() } })
            .status,
        303);
    sign_in(driver, "andre.chamson");
    EXPECT_FALSE(contains(driver.get(andre_page).body, "Le contrat de travail"));
    sign_in(driver, "samuel.beaumont");
    driver.get("/evaluations/" + std::to_string(assessment));
    EXPECT_EQ(driver.post(publish, { { "csrf", driver.csrf_token() } }).status, 303);
    saved = enter(driver, assessment, { { ids.louis, "15" }, { ids.emma, "abs" }, { ids.lucas, "NR" } });
    EXPECT_EQ(saved.status, 303);
    EXPECT_EQ(grade_notifications(driver, ids.andre), 1);

    sign_in(driver, "louis.chamson");
    auto const own = driver.get(louis_page);
    EXPECT_TRUE(contains(own.body, "Le contrat de travail"));
    EXPECT_TRUE(contains(own.body, "<strong>15</strong> /20"));
    EXPECT_TRUE(contains(own.body, "Moyenne de la classe"));
    EXPECT_TRUE(contains(own.body, "<dd>7,50</dd>"));
    // A student sees only himself.
    EXPECT_EQ(driver.get(louis_page + "&eleve=" + std::to_string(ids.emma)).status, 404);

    sign_in(driver, "andre.chamson");
    auto const father = driver.get(andre_page);
    EXPECT_EQ(father.status, 200);
    EXPECT_TRUE(contains(father.body, "Le contrat de travail"));
    EXPECT_TRUE(contains(father.body, "<strong>15</strong> /20"));
    EXPECT_TRUE(contains(father.body, "Note la plus basse"));
    EXPECT_TRUE(contains(father.body, "Note la plus haute"));
    EXPECT_TRUE(contains(father.body, "Samuel BEAUMONT"));
    auto const releve = driver.get(
        "/evaluations/releve?periode=" + std::to_string(ids.second_period) + "&eleve=" + std::to_string(ids.louis));
    EXPECT_EQ(releve.status, 200);
    EXPECT_TRUE(contains(releve.body, "Relevé de notes"));
    EXPECT_TRUE(contains(releve.body, "Le contrat de travail"));

    sign_in(driver, "sophie.roux");
    auto const mother = driver.get("/evaluations?periode=" + std::to_string(ids.second_period));
    EXPECT_TRUE(contains(mother.body, "<abbr title=\"Absent\">Abs</abbr>"));
    // Another guardian: Louis is not theirs.
    sign_in(driver, "karim.benali");
    EXPECT_EQ(driver.get(andre_page).status, 404);
    EXPECT_EQ(driver.get("/evaluations/releve?eleve=" + std::to_string(ids.louis)).status, 404);

    // The staff's relevé and the class's table.
    sign_in(driver, "nathalie.vidal");
    EXPECT_TRUE(contains(driver
                             .get("/evaluations/releve?periode=" + std::to_string(ids.second_period)
                                 + "&eleve=" + std::to_string(ids.louis))
                             .body,
        "Le contrat de travail"));
    auto const table = driver.get(
        "/evaluations/classes/" + std::to_string(ids.tpro) + "?periode=" + std::to_string(ids.second_period));
    EXPECT_EQ(table.status, 200);
    EXPECT_TRUE(contains(table.body, "<th scope=\"row\">"));
    EXPECT_TRUE(contains(table.body, "Moyenne générale"));
    sign_in(driver, "achamson");
    EXPECT_EQ(driver.get("/evaluations/classes/" + std::to_string(ids.tpro)).status, 404);
}

TEST(AssessmentsGrades, AveragesFollowCodesCoefficientsScalesAndRounding)
{
    AppDriver driver;
    auto const ids = ids_of(driver);
    sign_in(driver, "samuel.beaumont");
    auto const first = create(driver, ids, "Le contrat de travail", "20", "2");
    auto const quiz = create(driver, ids, "Quiz : la rémunération", "10", "1");
    ASSERT_EQ(enter(driver, first, { { ids.louis, "14,5" }, { ids.emma, "Abs" }, { ids.lucas, "NR" } }).status, 303);
    ASSERT_EQ(enter(driver, quiz, { { ids.louis, "7" }, { ids.emma, "8" }, { ids.lucas, "" } }).status, 303);
    // An unpublished one never counts for the families.
    auto const hidden = create(driver, ids, "Interrogation surprise", "20", "5");
    ASSERT_EQ(enter(driver, hidden, { { ids.louis, "2" } }).status, 303);
    for (auto const id : { first, quiz }) {
        driver.get("/evaluations/" + std::to_string(id));
        ASSERT_EQ(
            driver.post("/evaluations/" + std::to_string(id) + "/publier", { { "csrf", driver.csrf_token() } }).status,
            303);
    }
    // Louis: (14,5 × 2 + 14 × 1) / 3 = 14,333…; Emma: 16 (Abs left out);
    // Lucas: 0 (NR counts 0, the blank does not); the class: 10,111…
    auto const page = "/evaluations?periode=" + std::to_string(ids.second_period);
    auto check = [&](char const* rounding, char const* louis, char const* of_class) {
        sign_in(driver, "philippe.garnier");
        driver.get("/evaluations/parametres");
        auto const saved = driver.post("/evaluations/parametres",
            { { "csrf", driver.csrf_token() }, { "action", "arrondi" }, { "arrondi", rounding } });
        EXPECT_EQ(saved.status, 303);
        sign_in(driver, "louis.chamson");
        auto const body = driver.get(page).body;
        EXPECT_TRUE(contains(body, std::string("<dt>Moyenne</dt><dd>") + louis + "</dd>")) << rounding << body;
        EXPECT_TRUE(contains(body, std::string("<dt>Moyenne de la classe</dt><dd>") + of_class + "</dd>")) << rounding;
        EXPECT_TRUE(contains(body, std::string("<dt>Moyenne générale</dt><dd>") + louis + "</dd>")) << rounding;
        EXPECT_FALSE(contains(body, "Interrogation surprise"));
    };
    check("centieme", "14,33", "10,11");
    check("dixieme", "14,3", "10,1");
    check("demi", "14,5", "10");
    // The teacher's table counts the unpublished one too.
    sign_in(driver, "samuel.beaumont");
    auto const table = driver.get(
        "/evaluations/classes/" + std::to_string(ids.tpro) + "?periode=" + std::to_string(ids.second_period));
    EXPECT_TRUE(contains(table.body, "Interrogation surprise"));
}

TEST(AssessmentsGrades, BadFormsAreRefusedInFrench)
{
    AppDriver driver;
    auto const ids = ids_of(driver);
    sign_in(driver, "samuel.beaumont");
    auto const before = rows_of_tables(driver, "assessments%");
    auto const course = std::to_string(ids.tpro) + ":" + std::to_string(ids.gestion);
    auto const day = second_period_day(driver, ids);
    struct Case {
        std::vector<std::pair<std::string, std::string>> fields;
        char const* message;
    };
    std::vector<Case> const cases {
        { { { "cours", "" }, { "titre", "Essai" }, { "date", day } }, "Choisissez la classe et la matière." },
        { { { "cours", course }, { "titre", "" }, { "date", day } }, "Indiquez le titre de l&#39;évaluation." },
        { { { "cours", course }, { "titre", "Essai" }, { "date", "bientôt" } }, "Indiquez la date" },
        { { { "cours", course }, { "titre", "Essai" }, { "date", day }, { "bareme", "0" } }, "Le barème" },
        { { { "cours", course }, { "titre", "Essai" }, { "date", day }, { "bareme", "12,5" } }, "Le barème" },
        { { { "cours", course }, { "titre", "Essai" }, { "date", day }, { "coefficient", "11" } }, "Le coefficient" },
        { { { "cours", course }, { "titre", "Essai" }, { "date", day }, { "coefficient", "1,255" } },
            "Le coefficient" },
        { { { "cours", course }, { "titre", "Essai" }, { "date", day }, { "periode", "999999" } },
            "Choisissez une période" },
    };
    for (auto const& item : cases) {
        driver.get("/evaluations/nouvelle");
        auto fields = item.fields;
        fields.emplace_back("csrf", driver.csrf_token());
        auto const response = driver.post("/evaluations/nouvelle", fields);
        EXPECT_EQ(response.status, 422) << item.message;
        EXPECT_TRUE(contains(response.body, item.message)) << item.message;
        EXPECT_TRUE(contains(response.body, "Essai") || item.fields[1].second.empty()) << item.message;
    }
    // Another teacher's class and subject: 403, in French.
    driver.get("/evaluations/nouvelle");
    auto const refused = driver.post("/evaluations/nouvelle",
        { { "csrf", driver.csrf_token() }, { "cours", std::to_string(ids.tpro) + ":" + std::to_string(ids.maths) },
            { "titre", "Essai" }, { "date", day } });
    EXPECT_EQ(refused.status, 403);
    EXPECT_TRUE(contains(refused.body, "Vous n&#39;enseignez pas cette matière dans cette classe"));
    EXPECT_EQ(rows_of_tables(driver, "assessments%"), before);
    // Decimals with a comma: 0,5 is stored as 50 hundredths.
    driver.get("/evaluations/nouvelle");
    EXPECT_EQ(driver
                  .post("/evaluations/nouvelle",
                      { { "csrf", driver.csrf_token() }, { "cours", course }, { "titre", "Oral" }, { "date", day },
                          { "coefficient", "0,5" }, { "bareme", "" } })
                  .status,
        303);
    EXPECT_EQ(query_value(driver, "SELECT coefficient FROM assessments_assessment WHERE title = 'Oral'"), 50);
    EXPECT_EQ(query_value(driver, "SELECT scale FROM assessments_assessment WHERE title = 'Oral'"), 20);
    // The period defaults to the one of the date.
    EXPECT_EQ(
        query_value(driver, "SELECT period_id FROM assessments_assessment WHERE title = 'Oral'"), ids.second_period);
    // Editing and deleting.
    auto const id = query_value(driver, "SELECT id FROM assessments_assessment WHERE title = 'Oral'");
    ASSERT_EQ(enter(driver, id, { { ids.louis, "18" } }).status, 303);
    driver.get("/evaluations/" + std::to_string(id) + "/modifier");
    auto const lower = driver.post("/evaluations/" + std::to_string(id) + "/modifier",
        { { "csrf", driver.csrf_token() }, { "cours", course }, { "titre", "Oral" }, { "date", day },
            { "bareme", "10" }, { "coefficient", "1" } });
    EXPECT_EQ(lower.status, 422);
    EXPECT_TRUE(contains(lower.body, "dépassent ce barème"));
    EXPECT_EQ(driver
                  .post("/evaluations/" + std::to_string(id) + "/modifier",
                      { { "csrf", driver.csrf_token() }, { "cours", course }, { "titre", "Oral de gestion" },
                          { "date", day }, { "bareme", "20" }, { "coefficient", "1" } })
                  .status,
        303);
    EXPECT_EQ(query_value(driver, "SELECT COUNT(*) FROM assessments_assessment WHERE title = 'Oral de gestion'"), 1);
    auto const confirm = driver.get("/evaluations/" + std::to_string(id) + "/supprimer");
    EXPECT_EQ(confirm.status, 200);
    EXPECT_TRUE(contains(confirm.body, "Oral de gestion"));
    EXPECT_EQ(
        driver.post("/evaluations/" + std::to_string(id) + "/supprimer", { { "csrf", driver.csrf_token() } }).status,
        303);
    EXPECT_EQ(query_value(driver, "SELECT COUNT(*) FROM assessments_assessment WHERE id = " + std::to_string(id)), 0);
    EXPECT_EQ(
        query_value(driver, "SELECT COUNT(*) FROM assessments_mark WHERE assessment_id = " + std::to_string(id)), 0);
}

TEST(AssessmentsGrades, EveryRouteByPerson)
{
    AppDriver driver;
    auto const ids = ids_of(driver);
    auto const gestion_tpro = query_value(driver,
        "SELECT MIN(id) FROM assessments_assessment WHERE class_id = " + std::to_string(ids.tpro)
            + " AND subject_id = " + std::to_string(ids.gestion));
    auto const maths_stmg = query_value(driver,
        "SELECT MIN(id) FROM assessments_assessment WHERE class_id = " + std::to_string(ids.stmg)
            + " AND subject_id = " + std::to_string(ids.maths));
    ASSERT_NE(gestion_tpro, 0);
    ASSERT_NE(maths_stmg, 0);
    access::CapabilityRegistry registry;
    auto router = app::build_router(registry);
    ASSERT_FALSE(router.is_error());
    std::vector<http::Route const*> routes;
    for (auto const& route : router->routes()) {
        if (route.pattern.starts_with("/evaluations") && !route.pattern.starts_with("/evaluations/bulletins"))
            routes.push_back(&route);
    }
    ASSERT_GE(routes.size(), 15U);
    auto path_of = [&](std::string const& pattern, long long assessment) {
        std::string path = pattern;
        if (auto at = path.find("{id}"); at != std::string::npos)
            path.replace(at, 4, std::to_string(assessment));
        if (auto at = path.find("{class}"); at != std::string::npos)
            path.replace(at, 7, std::to_string(ids.tpro));
        return path;
    };
    // A form that would be accepted from the one who may.
    std::vector<std::pair<std::string, std::string>> const form { { "titre", "Essai" },
        { "date", second_period_day(driver, ids) }, { "bareme", "20" }, { "coefficient", "1" },
        { "note_" + std::to_string(ids.louis), "12" }, { "action", "arrondi" }, { "arrondi", "demi" } };
    auto const before = rows_of_tables(driver, "assessments%") + rows_of_tables(driver, "school_period")
        + rows_of_tables(driver, "notifications%");
    struct Person {
        char const* login;
        long long assessment;
        std::set<std::string> readable; // GET patterns answered 200
    };
    std::set<std::string> const family { "/evaluations", "/evaluations/releve" };
    std::set<std::string> const class_readers { "/evaluations", "/evaluations/classes/{class}" };
    std::vector<Person> const people {
        { "pauline.chamson", gestion_tpro, family }, // a student of another class
        { "louis.chamson", gestion_tpro, family }, // a student of the class
        { "karim.benali", gestion_tpro, family }, // another class's guardian
        { "andre.chamson", gestion_tpro, family }, // the class's guardian
        { "achamson", gestion_tpro, { "/evaluations", "/evaluations/nouvelle" } }, // teacher of no class
        { "marie.delmas", gestion_tpro,
            { "/evaluations", "/evaluations/nouvelle", "/evaluations/classes/{class}" } }, // another subject
        { "samuel.beaumont", maths_stmg,
            { "/evaluations", "/evaluations/nouvelle", "/evaluations/classes/{class}" } }, // another teacher's
        { "nathalie.vidal", gestion_tpro, class_readers }, // CPE: reads, never grades nor sets
    };
    for (auto const& person : people) {
        sign_in(driver, person.login);
        for (auto const* route : routes) {
            auto const path = path_of(route->pattern, person.assessment);
            if (route->method == http::Method::Get) {
                auto const status = driver.get(path).status;
                if (person.readable.contains(route->pattern))
                    EXPECT_EQ(status, 200) << person.login << " " << path;
                else
                    EXPECT_TRUE(status == 403 || status == 404) << person.login << " GET " << path << " " << status;
                continue;
            }
            driver.get("/evaluations");
            auto fields = form;
            // The class and subject of the assessment tried: not the person's.
            fields.emplace_back("cours",
                person.assessment == maths_stmg ? std::to_string(ids.stmg) + ":" + std::to_string(ids.maths)
                                                : std::to_string(ids.tpro) + ":" + std::to_string(ids.gestion));
            fields.emplace_back("csrf", driver.csrf_token());
            auto const response = driver.post(path, fields);
            EXPECT_TRUE(response.status == 403 || response.status == 404)
                << person.login << " POST " << path << " " << response.status;
            if (response.status == 403) {
                EXPECT_TRUE(contains(response.body, "lang=\"fr\"")) << person.login << " " << path;
            }
        }
    }
    EXPECT_EQ(rows_of_tables(driver, "assessments%") + rows_of_tables(driver, "school_period")
            + rows_of_tables(driver, "notifications%"),
        before);
    EXPECT_EQ(
        query_value(driver, "SELECT COUNT(*) FROM assessments_assessment WHERE title = 'Essai' OR published_at < 0"),
        0);
    EXPECT_EQ(query_value(driver, "SELECT COUNT(*) FROM assessments_setting WHERE rounding = 'demi'"), 0);
}

TEST(AssessmentsGrades, TitlesAreEscaped)
{
    AppDriver driver;
    auto const ids = ids_of(driver);
    sign_in(driver, "samuel.beaumont");
    std::vector<std::string> const payloads { "<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
        "\"><svg onload=alert(1)>", "javascript:alert(1)" };
    std::vector<long long> created;
    for (auto const& payload : payloads) {
        auto const id = create(driver, ids, payload, "20", "1");
        created.push_back(id);
        ASSERT_EQ(enter(driver, id, { { ids.louis, "12" } }).status, 303);
        driver.get("/evaluations/" + std::to_string(id));
        ASSERT_EQ(
            driver.post("/evaluations/" + std::to_string(id) + "/publier", { { "csrf", driver.csrf_token() } }).status,
            303);
    }
    auto clean = [&](std::string const& body, std::string const& where) {
        EXPECT_FALSE(contains(body, "<script>alert")) << where;
        EXPECT_FALSE(contains(body, "<img src=x")) << where;
        EXPECT_FALSE(contains(body, "<svg onload")) << where;
        EXPECT_FALSE(contains(body, "href=\"javascript:")) << where;
    };
    auto const period = std::to_string(ids.second_period);
    clean(driver.get("/evaluations?periode=" + period).body, "landing");
    EXPECT_TRUE(contains(driver.get("/evaluations?periode=" + period).body, "&lt;script&gt;alert(1)&lt;/script&gt;"));
    clean(driver.get("/evaluations/classes/" + std::to_string(ids.tpro) + "?periode=" + period).body, "class");
    for (auto const id : created) {
        clean(driver.get("/evaluations/" + std::to_string(id)).body, "grid");
        clean(driver.get("/evaluations/" + std::to_string(id) + "/modifier").body, "form");
        clean(driver.get("/evaluations/" + std::to_string(id) + "/supprimer").body, "confirm");
    }
    // A payload typed in a cell comes back escaped too.
    auto const wrong = enter(driver, created.front(), { { ids.louis, "<script>alert(1)</script>" } });
    EXPECT_EQ(wrong.status, 422);
    clean(wrong.body, "grid with a bad cell");
    sign_in(driver, "andre.chamson");
    clean(driver.get("/evaluations?periode=" + period + "&eleve=" + std::to_string(ids.louis)).body, "family");
    clean(driver.get("/evaluations/releve?periode=" + period + "&eleve=" + std::to_string(ids.louis)).body, "releve");
}

TEST(AssessmentsGrades, SettingsOfTheDirection)
{
    AppDriver driver;
    {
        // The demo's assessments fall in today's period (the third one from
        // 16 March): without them, any period may be dropped whatever the date.
        auto lease = driver.services().database->lease();
        lease.session() << "DELETE FROM assessments_assessment";
    }
    sign_in(driver, "philippe.garnier");
    auto const page = driver.get("/evaluations/parametres");
    ASSERT_EQ(page.status, 200);
    EXPECT_TRUE(contains(page.body, "Arrondi des moyennes"));
    EXPECT_TRUE(contains(page.body, "Trimestre 1"));
    auto const year = query_value(driver, "SELECT COUNT(*) FROM school_period");
    // Semestres: the third trimestre goes away (no assessment uses it).
    auto saved = driver.post("/evaluations/parametres",
        { { "csrf", driver.csrf_token() }, { "action", "decoupage" }, { "decoupage", "semestres" } });
    EXPECT_EQ(saved.status, 303);
    EXPECT_EQ(query_value(driver, "SELECT COUNT(*) FROM school_period"), year - 1);
    EXPECT_TRUE(contains(driver.get("/evaluations/parametres").body, "Semestre 2"));
    // Dates edited: a gap is refused in French, nothing changes.
    auto const first = query_value(driver, "SELECT MIN(first_day) FROM school_period");
    auto const rows = rows_of_tables(driver, "school_period");
    auto refused = driver.post("/evaluations/parametres",
        { { "csrf", driver.csrf_token() }, { "action", "periodes" }, { "nombre", "2" }, { "libelle_1", "Semestre 1" },
            { "debut_1", school_time::iso_day(first) }, { "fin_1", school_time::iso_day(first + 140) },
            { "libelle_2", "Semestre 2" }, { "debut_2", school_time::iso_day(first + 150) },
            { "fin_2", school_time::iso_day(first + 364) } });
    EXPECT_EQ(refused.status, 422);
    EXPECT_TRUE(contains(refused.body, "doit commencer le lendemain de la précédente"));
    EXPECT_EQ(rows_of_tables(driver, "school_period"), rows);
    refused = driver.post("/evaluations/parametres",
        { { "csrf", driver.csrf_token() }, { "action", "periodes" }, { "nombre", "2" }, { "libelle_1", "S1" },
            { "debut_1", "demain" }, { "fin_1", "" }, { "libelle_2", "S2" }, { "debut_2", "" }, { "fin_2", "" } });
    EXPECT_EQ(refused.status, 422);
    EXPECT_TRUE(contains(refused.body, "ne sont pas valides"));
    // Trimestres again, then the rounding.
    saved = driver.post("/evaluations/parametres",
        { { "csrf", driver.csrf_token() }, { "action", "decoupage" }, { "decoupage", "trimestres" } });
    EXPECT_EQ(saved.status, 303);
    EXPECT_EQ(query_value(driver, "SELECT COUNT(*) FROM school_period"), year);
    refused = driver.post("/evaluations/parametres",
        { { "csrf", driver.csrf_token() }, { "action", "arrondi" }, { "arrondi", "quart" } });
    EXPECT_EQ(refused.status, 422);
    EXPECT_TRUE(contains(refused.body, "Choisissez un arrondi"));
    saved = driver.post("/evaluations/parametres",
        { { "csrf", driver.csrf_token() }, { "action", "arrondi" }, { "arrondi", "dixieme" } });
    EXPECT_EQ(saved.status, 303);
    EXPECT_EQ(query_value(driver, "SELECT COUNT(*) FROM assessments_setting WHERE rounding = 'dixieme'"), 1);
    // A period in use cannot go away.
    sign_in(driver, "samuel.beaumont");
    auto const third = query_value(driver, "SELECT MAX(id) FROM school_period WHERE position = 3");
    auto const third_day = school_time::iso_day(
        query_value(driver, "SELECT first_day FROM school_period WHERE id = " + std::to_string(third)));
    driver.get("/evaluations/nouvelle");
    auto const tpro = query_value(driver, "SELECT id FROM identity_class WHERE name = 'TPRO'");
    auto const gestion = query_value(driver, "SELECT id FROM identity_subject WHERE code = '042400'");
    ASSERT_EQ(
        driver
            .post("/evaluations/nouvelle",
                { { "csrf", driver.csrf_token() }, { "cours", std::to_string(tpro) + ":" + std::to_string(gestion) },
                    { "titre", "Bac blanc" }, { "date", third_day } })
            .status,
        303);
    sign_in(driver, "philippe.garnier");
    driver.get("/evaluations/parametres");
    refused = driver.post("/evaluations/parametres",
        { { "csrf", driver.csrf_token() }, { "action", "decoupage" }, { "decoupage", "semestres" } });
    EXPECT_EQ(refused.status, 422);
    EXPECT_TRUE(contains(refused.body, "Des évaluations sont rattachées"));
    EXPECT_EQ(query_value(driver, "SELECT COUNT(*) FROM school_period"), year);
    // The administrator too; the CPE and teachers not.
    sign_in(driver, "admin.ent");
    EXPECT_EQ(driver.get("/evaluations/parametres").status, 200);
    for (auto const* login : { "nathalie.vidal", "samuel.beaumont", "andre.chamson" }) {
        sign_in(driver, login);
        EXPECT_EQ(driver.get("/evaluations/parametres").status, 403) << login;
    }
}

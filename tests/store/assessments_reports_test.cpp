// SPDX-License-Identifier: AGPL-3.0-or-later
// The bulletins (services/assessments/assessments_reports.cpp): who reads
// and writes what, as tables and through every route; appraisals, averages
// over published marks only, absences, publishing and its notification, the
// PDF's text (pdftotext), XSS. Both engines.
#include "app/application.h"
#include "app/demo_school.h"
#include "core/identity/identity_store.h"
#include "core/school/averages.h"
#include "core/school/periods.h"
#include "core/school_time.h"
#include "services/assessments/assessments_reports_internal.h"
#include "tests/support/app_driver.h"
#include <chrono>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <unistd.h>

using namespace cartable;
using cartable::testing::AppDriver;
using cartable::testing::contains;
using cartable::testing::query_value;
using cartable::testing::rows_of_tables;
using cartable::testing::user_id;

namespace {

std::string str(long long id)
{
    return std::to_string(id);
}

long long now_seconds()
{
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

void sign_in(AppDriver& driver, std::string const& login)
{
    driver.forget_cookies();
    ASSERT_EQ(driver.sign_in(login, app::DEMO_PASSWORD).status, 303) << login;
    driver.get("/accueil");
}

void exec(AppDriver& driver, std::string const& sql)
{
    auto lease = driver.services().database->lease();
    lease.session() << sql;
}

// The demo's TPRO and T STMG, the current period, the subjects, and marks
// entered by SQL (the grid is another part's): in TPRO, ÉCONOMIE-GESTION
// (Samuel BEAUMONT) two published assessments and one not published,
// MATHÉMATIQUES (Marie DELMAS) one published.
struct Seeded {
    long long structure { 0 };
    long long tpro { 0 };
    long long stmg { 0 };
    school::Period period;
    long long other_period { 0 }; // another period of the year
    long long eco { 0 };
    long long maths { 0 };
    long long histoire { 0 }; // taught in T STMG only
    long long louis { 0 };
    long long emma { 0 };
    long long lucas { 0 };
    long long pauline { 0 };
    long long published_eco { 0 };
    long long unpublished_eco { 0 };
    std::string class_url;
    std::string louis_url;
};

long long insert_assessment(AppDriver& driver, Seeded const& seeded, long long class_id, long long subject,
    std::string const& teacher, std::string const& title, long long coefficient, long long published_at)
{
    auto const teacher_id = user_id(driver, teacher);
    auto const now = now_seconds();
    auto lease = driver.services().database->lease();
    auto& session = lease.session();
    session << "INSERT INTO assessments_assessment (structure_id, class_id, subject_id, teacher_id, period_id, day, "
               "title, scale, coefficient, published_at, created_at, updated_at) VALUES (:s, :c, :sub, :t, :p, :d, "
               ":title, 20, :coef, :pub, :created, :updated)",
        soci::use(seeded.structure), soci::use(class_id), soci::use(subject), soci::use(teacher_id),
        soci::use(seeded.period.id), soci::use(seeded.period.first_day), soci::use(title), soci::use(coefficient),
        soci::use(published_at), soci::use(now), soci::use(now);
    long long id = 0;
    session << "SELECT MAX(id) FROM assessments_assessment", soci::into(id);
    return id;
}

void insert_mark(AppDriver& driver, long long assessment, long long student, long long hundredths)
{
    auto const now = now_seconds();
    auto lease = driver.services().database->lease();
    lease.session() << "INSERT INTO assessments_mark (assessment_id, student_id, hundredths, code, updated_at) VALUES "
                       "(:a, :s, :h, '', :at)",
        soci::use(assessment), soci::use(student), soci::use(hundredths), soci::use(now);
}

Seeded seed(AppDriver& driver)
{
    // The figures below are the test's own: whatever the demo holds of
    // évaluations goes first.
    for (auto const* table : { "assessments_mark", "assessments_assessment", "assessments_appraisal",
             "assessments_report", "assessments_setting" })
        exec(driver, std::string("DELETE FROM ") + table);
    Seeded seeded;
    seeded.tpro = query_value(driver, "SELECT id FROM identity_class WHERE name = 'TPRO'");
    seeded.stmg = query_value(driver, "SELECT id FROM identity_class WHERE name = 'T STMG'");
    seeded.structure = query_value(driver, "SELECT structure_id FROM identity_class WHERE name = 'TPRO'");
    seeded.eco = query_value(driver, "SELECT id FROM identity_subject WHERE label = 'ÉCONOMIE-GESTION'");
    seeded.maths = query_value(driver, "SELECT id FROM identity_subject WHERE label = 'MATHÉMATIQUES'");
    seeded.histoire = query_value(driver, "SELECT id FROM identity_subject WHERE label = 'HISTOIRE-GÉOGRAPHIE'");
    seeded.louis = user_id(driver, "louis.chamson");
    seeded.emma = user_id(driver, "emma.roux");
    seeded.lucas = user_id(driver, "lucas.martin");
    seeded.pauline = user_id(driver, "pauline.chamson");
    {
        auto lease = driver.services().database->lease();
        auto const today = school_time::day_of_unix(now_seconds());
        seeded.period = school::period_containing(lease.session(), seeded.structure, today);
        for (auto const& period : school::periods_of(lease.session(), seeded.structure, today))
            if (period.id != seeded.period.id)
                seeded.other_period = period.id;
    }
    auto const past = now_seconds() - 3600;
    seeded.published_eco = insert_assessment(
        driver, seeded, seeded.tpro, seeded.eco, "samuel.beaumont", "Dossier 3 : la relation client", 100, past);
    auto const second = insert_assessment(
        driver, seeded, seeded.tpro, seeded.eco, "samuel.beaumont", "Étude de cas : la négociation", 200, past);
    seeded.unpublished_eco
        = insert_assessment(driver, seeded, seeded.tpro, seeded.eco, "samuel.beaumont", "Contrôle non publié", 100, 0);
    auto const maths = insert_assessment(
        driver, seeded, seeded.tpro, seeded.maths, "marie.delmas", "Suites géométriques", 100, past);
    // Louis: 11 and 13 (×2) → 12,33; the unpublished 2/20 must not count.
    insert_mark(driver, seeded.published_eco, seeded.louis, 1100);
    insert_mark(driver, second, seeded.louis, 1300);
    insert_mark(driver, seeded.unpublished_eco, seeded.louis, 200);
    insert_mark(driver, seeded.published_eco, seeded.emma, 1500);
    insert_mark(driver, second, seeded.emma, 1650);
    insert_mark(driver, seeded.unpublished_eco, seeded.emma, 2000);
    insert_mark(driver, seeded.published_eco, seeded.lucas, 800);
    insert_mark(driver, maths, seeded.louis, 1250);
    insert_mark(driver, maths, seeded.emma, 900);
    seeded.class_url = "/evaluations/bulletins/" + str(seeded.tpro) + "/" + str(seeded.period.id);
    seeded.louis_url = seeded.class_url + "/eleves/" + str(seeded.louis);
    return seeded;
}

// Samuel BEAUMONT, professeur principal of TPRO.
void make_head_teacher(AppDriver& driver, Seeded const& seeded)
{
    exec(driver,
        "INSERT INTO directory_head_teacher (class_id, teacher_id) VALUES (" + str(seeded.tpro) + ", "
            + str(user_id(driver, "samuel.beaumont")) + ")");
}

http::Response post_appraisal(AppDriver& driver, Seeded const& seeded, std::string const& type, long long subject,
    long long student, std::string const& text)
{
    driver.get(seeded.class_url);
    return driver.post(seeded.class_url + "/appreciations",
        { { "csrf", driver.csrf_token() }, { "type", type }, { "matiere", str(subject) },
            { "appreciation-" + str(student), text } });
}

std::string appraisal_of(
    AppDriver& driver, Seeded const& seeded, std::string const& kind, long long subject, long long student)
{
    auto lease = driver.services().database->lease();
    std::string text;
    soci::indicator found = soci::i_null;
    lease.session() << "SELECT text FROM assessments_appraisal WHERE period_id = :p AND student_id = :s AND kind = "
                       ":k AND subject_id = :sub",
        soci::use(seeded.period.id), soci::use(student), soci::use(kind), soci::use(subject), soci::into(text, found);
    return found == soci::i_ok ? text : std::string();
}

http::Response publish(AppDriver& driver, Seeded const& seeded, std::string const& action = "publier")
{
    driver.get(seeded.class_url);
    return driver.post(seeded.class_url + "/" + action, { { "csrf", driver.csrf_token() } });
}

std::string pdf_text(std::string const& pdf)
{
    auto const file = std::filesystem::temp_directory_path() / ("bulletin-" + std::to_string(::getpid()) + ".pdf");
    std::ofstream(file, std::ios::binary) << pdf;
    auto const text_file = file.string() + ".txt";
    auto const command = "pdftotext -enc UTF-8 '" + file.string() + "' '" + text_file + "'";
    EXPECT_EQ(std::system(command.c_str()), 0) << "pdftotext (poppler-utils) is needed";
    std::ifstream in(text_file);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::filesystem::remove(file);
    std::filesystem::remove(text_file);
    return text;
}

bool page_is_safe(std::string const& body)
{
    return !contains(body, "<script>alert") && !contains(body, "href=\"javascript:") && !contains(body, "<svg onload")
        && !contains(body, "<img src=x onerror") && !contains(body, "<img src=\"x\" onerror");
}

} // namespace

// Who reads Louis's bulletin (page and PDF), before and after publication.
TEST(AssessmentsReports, WhoReadsABulletinAsATable)
{
    AppDriver driver;
    auto const seeded = seed(driver);
    struct Case {
        char const* login;
        int before;
        int after;
    };
    std::vector<Case> const cases {
        { "louis.chamson", 404, 200 }, // the student himself, once published
        { "andre.chamson", 404, 200 }, // his father
        { "emma.roux", 404, 404 }, // a classmate
        { "pauline.chamson", 404, 404 }, // his sister, another class
        { "sophie.roux", 404, 404 }, // another guardian of the class
        { "karim.benali", 404, 404 }, // a guardian of another class
        { "samuel.beaumont", 200, 200 }, // teaches the class
        { "marie.delmas", 200, 200 },
        { "achamson", 404, 404 }, // a teacher of no class
        { "nathalie.vidal", 200, 200 }, // the CPE
        { "philippe.garnier", 200, 200 }, // the principal
        { "admin.ent", 200, 200 },
    };
    auto check = [&](bool published) {
        for (auto const& row : cases) {
            sign_in(driver, row.login);
            auto const expected = published ? row.after : row.before;
            EXPECT_EQ(driver.get(seeded.louis_url).status, expected) << row.login << " page " << published;
            auto const pdf = driver.get(seeded.louis_url + "/bulletin.pdf");
            EXPECT_EQ(pdf.status, expected) << row.login << " pdf " << published;
            if (expected == 404) {
                EXPECT_FALSE(contains(pdf.body, "%PDF")) << row.login;
            }
        }
    };
    check(false);
    sign_in(driver, "philippe.garnier");
    ASSERT_EQ(publish(driver, seeded).status, 303);
    check(true);
}

// Appraisals: each by whom it belongs to; others 403 (or 404 when they do
// not read the class), nothing written; too long: a French message on the
// form, nothing written.
TEST(AssessmentsReports, AppraisalsByTheirAuthorsOnly)
{
    AppDriver driver;
    auto const seeded = seed(driver);
    make_head_teacher(driver, seeded);
    auto const rows_before = rows_of_tables(driver, "assessments_appraisal");

    sign_in(driver, "marie.delmas");
    auto page = driver.get(seeded.class_url);
    ASSERT_EQ(page.status, 200);
    EXPECT_TRUE(contains(page.body, "Appréciations – MATHÉMATIQUES"));
    EXPECT_FALSE(contains(page.body, "Appréciations – ÉCONOMIE-GESTION"));
    EXPECT_FALSE(contains(page.body, "Appréciation du professeur principal"));
    auto refused = post_appraisal(driver, seeded, "matiere", seeded.eco, seeded.louis, "Pas ma matière");
    EXPECT_EQ(refused.status, 403);
    EXPECT_TRUE(contains(refused.body, "Seuls les professeurs de cette matière"));
    EXPECT_EQ(post_appraisal(driver, seeded, "professeur_principal", 0, seeded.louis, "Non").status, 403);
    EXPECT_EQ(post_appraisal(driver, seeded, "chef_etablissement", 0, seeded.louis, "Non").status, 403);
    // HISTOIRE-GÉOGRAPHIE is not taught in TPRO.
    EXPECT_EQ(post_appraisal(driver, seeded, "matiere", seeded.histoire, seeded.louis, "Non").status, 404);
    sign_in(driver, "achamson");
    EXPECT_EQ(post_appraisal(driver, seeded, "matiere", seeded.eco, seeded.louis, "Non").status, 404);
    sign_in(driver, "julien.favier");
    EXPECT_EQ(post_appraisal(driver, seeded, "professeur_principal", 0, seeded.louis, "Non").status, 403);
    sign_in(driver, "andre.chamson");
    EXPECT_EQ(post_appraisal(driver, seeded, "matiere", seeded.eco, seeded.louis, "Non").status, 404);
    EXPECT_EQ(rows_of_tables(driver, "assessments_appraisal"), rows_before);

    sign_in(driver, "samuel.beaumont");
    page = driver.get(seeded.class_url);
    EXPECT_TRUE(contains(page.body, "Appréciations – ÉCONOMIE-GESTION"));
    EXPECT_TRUE(contains(page.body, "Appréciation du professeur principal"));
    EXPECT_FALSE(contains(page.body, "Appréciation du chef d&#39;établissement"));
    EXPECT_FALSE(contains(page.body, "Publier les bulletins"));
    std::string const too_long(601, 'a');
    auto rejected = post_appraisal(driver, seeded, "matiere", seeded.eco, seeded.louis, too_long);
    EXPECT_EQ(rejected.status, 400);
    EXPECT_TRUE(contains(rejected.body, "L&#39;appréciation de Louis CHAMSON dépasse 600 caractères (601)"));
    EXPECT_TRUE(contains(rejected.body, too_long)); // typed text kept on the form
    EXPECT_EQ(rows_of_tables(driver, "assessments_appraisal"), rows_before);
    std::string const accented(600, 'e');
    EXPECT_EQ(post_appraisal(driver, seeded, "matiere", seeded.eco, seeded.louis, accented).status, 303);
    EXPECT_EQ(post_appraisal(
                  driver, seeded, "matiere", seeded.eco, seeded.louis, "Bon trimestre, travail régulier et sérieux.")
                  .status,
        303);
    EXPECT_EQ(appraisal_of(driver, seeded, "subject", seeded.eco, seeded.louis),
        "Bon trimestre, travail régulier et sérieux.");
    EXPECT_EQ(
        post_appraisal(driver, seeded, "professeur_principal", 0, seeded.louis, "Trimestre encourageant.").status, 303);
    EXPECT_EQ(appraisal_of(driver, seeded, "head_teacher", 0, seeded.louis), "Trimestre encourageant.");
    EXPECT_EQ(post_appraisal(driver, seeded, "chef_etablissement", 0, seeded.louis, "Non").status, 403);

    sign_in(driver, "philippe.garnier");
    page = driver.get(seeded.class_url);
    EXPECT_TRUE(contains(page.body, "Appréciation du chef d&#39;établissement"));
    EXPECT_FALSE(contains(page.body, "Appréciations – ÉCONOMIE-GESTION"));
    EXPECT_EQ(post_appraisal(driver, seeded, "matiere", seeded.eco, seeded.louis, "Non").status, 403);
    EXPECT_EQ(post_appraisal(driver, seeded, "chef_etablissement", 0, seeded.louis, "Félicitations.").status, 303);
    EXPECT_EQ(appraisal_of(driver, seeded, "principal", 0, seeded.louis), "Félicitations.");
    EXPECT_EQ(appraisal_of(driver, seeded, "subject", seeded.eco, seeded.louis),
        "Bon trimestre, travail régulier et sérieux.");
    // An emptied appraisal is removed.
    EXPECT_EQ(post_appraisal(driver, seeded, "chef_etablissement", 0, seeded.louis, "  ").status, 303);
    EXPECT_EQ(appraisal_of(driver, seeded, "principal", 0, seeded.louis), "");
}

// The bulletin's figures are core/school/averages' over the published
// marks only; the absences come from the vie scolaire.
TEST(AssessmentsReports, AveragesOverPublishedMarksAndAbsences)
{
    AppDriver driver;
    auto const seeded = seed(driver);
    auto const day = seeded.period.first_day + 2;
    auto const event = [&](char const* kind, long long minute, char const* state) {
        exec(driver,
            "INSERT INTO attendance_event (structure_id, student_id, kind, day, start_minute, end_minute, state, "
            "recorded_at) VALUES ("
                + str(seeded.structure) + ", " + str(seeded.louis) + ", '" + kind + "', " + str(day) + ", "
                + str(minute) + ", " + str(minute + 55) + ", '" + state + "', 1)");
    };
    event("absence", 8LL * 60, "non_justifiee");
    event("absence", 9LL * 60, "non_justifiee"); // the same morning
    event("absence", 14LL * 60, "justifiee");
    event("retard", 10LL * 60, "non_justifiee");
    event("retard", 15LL * 60, "non_justifiee");

    // The expected figures, computed by core/school/averages over the
    // published assessments.
    std::vector<school::Assessment> published;
    auto add = [&](long long subject, long long coefficient, std::map<long long, long long> const& marks) {
        school::Assessment assessment;
        assessment.id = static_cast<long long>(published.size()) + 1;
        assessment.subject_id = subject;
        assessment.coefficient_hundredths = coefficient;
        for (auto const& [student, hundredths] : marks)
            assessment.marks[student].hundredths = hundredths;
        published.push_back(assessment);
    };
    add(seeded.eco, 100, { { seeded.louis, 1100 }, { seeded.emma, 1500 }, { seeded.lucas, 800 } });
    add(seeded.eco, 200, { { seeded.louis, 1300 }, { seeded.emma, 1650 } });
    add(seeded.maths, 100, { { seeded.louis, 1250 }, { seeded.emma, 900 } });
    std::vector<long long> students;
    {
        auto lease = driver.services().database->lease();
        auto const figures
            = assessments::class_period(lease.session(), seeded.tpro, seeded.period.id, true, now_seconds());
        ASSERT_FALSE(figures.is_error());
        for (auto const& student : figures->students)
            students.push_back(student.id);
    }
    auto const expected = school::period_averages(published, students);
    auto const rounding = school::Rounding::Hundredth;
    auto const louis_eco = school::format_average(expected.by_subject.at(seeded.eco).at(seeded.louis), rounding);
    EXPECT_EQ(louis_eco, "12,33");
    auto const class_eco = school::format_average(*expected.class_by_subject.at(seeded.eco).average, rounding);
    auto const louis_overall = school::format_average(expected.overall.at(seeded.louis), rounding);

    // Only the absences this test wrote (the demo's vie scolaire has some of Emma's).
    exec(driver, "DELETE FROM attendance_event WHERE student_id <> " + str(seeded.louis));
    sign_in(driver, "philippe.garnier");
    auto const page = driver.get(seeded.louis_url);
    ASSERT_EQ(page.status, 200);
    EXPECT_TRUE(contains(page.body, "Version de travail, non publiée"));
    EXPECT_TRUE(contains(page.body, "<strong>" + louis_eco + "</strong>")) << page.body;
    EXPECT_TRUE(contains(page.body, "<td>" + class_eco + "</td>")) << class_eco;
    EXPECT_TRUE(contains(page.body, "<strong>" + louis_overall + "</strong>")) << louis_overall;
    EXPECT_TRUE(contains(page.body, "2 demi-journées d&#39;absence dont 1 non justifiée, 2 retards")) << page.body;
    EXPECT_TRUE(contains(page.body, "Fait au Vigan, le "));
    auto const listing = driver.get(seeded.class_url);
    EXPECT_TRUE(contains(listing.body, "2 demi-journées d&#39;absence dont 1 non justifiée, 2 retards"));
    EXPECT_TRUE(contains(listing.body, "<td>" + louis_overall + "</td>"));
    EXPECT_TRUE(contains(listing.body, "Aucune absence, aucun retard")); // Emma

    // A published assessment of 2/20 more would change it: the unpublished one did not.
    exec(driver, "UPDATE assessments_assessment SET published_at = 1 WHERE id = " + str(seeded.unpublished_eco));
    auto const changed = driver.get(seeded.louis_url);
    EXPECT_FALSE(contains(changed.body, "<strong>" + louis_eco + "</strong>"));
}

// The principal publishes; André gets the PDF with Louis's figures and
// appraisals; notified once, even after « Retirer la publication » and a
// second publication.
TEST(AssessmentsReports, PublishingAndTheFamiliesPdf)
{
    AppDriver driver;
    auto const seeded = seed(driver);
    sign_in(driver, "samuel.beaumont");
    ASSERT_EQ(
        post_appraisal(driver, seeded, "matiere", seeded.eco, seeded.louis, "Bon trimestre en relation client.").status,
        303);
    EXPECT_EQ(publish(driver, seeded).status, 403); // a teacher: not his to publish

    sign_in(driver, "andre.chamson");
    auto list = driver.get("/evaluations/bulletins");
    ASSERT_EQ(list.status, 200);
    EXPECT_TRUE(contains(list.body, "Aucun bulletin n'est encore publié"));
    EXPECT_EQ(driver.get("/evaluations/bulletins?eleve=" + str(seeded.emma)).status, 404);
    EXPECT_EQ(driver.get(seeded.louis_url + "/bulletin.pdf").status, 404);

    sign_in(driver, "philippe.garnier");
    auto directory = driver.get("/evaluations/bulletins");
    ASSERT_EQ(directory.status, 200);
    EXPECT_TRUE(contains(directory.body, "TPRO"));
    EXPECT_TRUE(contains(directory.body, "T STMG"));
    EXPECT_TRUE(contains(directory.body, "Non publiés"));
    auto const page = driver.get(seeded.class_url);
    EXPECT_TRUE(contains(page.body, "Publier les bulletins"));
    ASSERT_EQ(publish(driver, seeded).status, 303);
    EXPECT_TRUE(contains(driver.get(seeded.class_url + "?fait=publies").body, "Retirer la publication"));
    EXPECT_TRUE(contains(driver.get("/evaluations/bulletins").body, "Publiés le "));

    auto const andre = user_id(driver, "andre.chamson");
    auto const notified = "SELECT COUNT(*) FROM notifications_item WHERE recipient_id = " + str(andre)
        + " AND event = 'grade' AND child_id = " + str(seeded.louis) + " AND link = '/evaluations/bulletins?eleve="
        + str(seeded.louis) + "' AND title = 'Bulletin du " + seeded.period.label + " disponible'";
    EXPECT_EQ(query_value(driver, notified), 1);
    EXPECT_EQ(
        query_value(driver,
            "SELECT COUNT(*) FROM notifications_item WHERE event = 'grade' AND recipient_id = " + str(seeded.louis)),
        1);
    EXPECT_EQ(query_value(driver,
                  "SELECT COUNT(*) FROM notifications_item WHERE event = 'grade' AND recipient_id = "
                      + str(user_id(driver, "sophie.roux")) + " AND child_id = " + str(seeded.emma)),
        1);
    EXPECT_EQ(query_value(driver,
                  "SELECT COUNT(*) FROM notifications_item WHERE event = 'grade' AND recipient_id = "
                      + str(user_id(driver, "karim.benali"))),
        0);
    EXPECT_EQ(publish(driver, seeded).status, 303); // already published: nothing more
    EXPECT_EQ(publish(driver, seeded, "retirer").status, 303);
    sign_in(driver, "andre.chamson");
    EXPECT_EQ(driver.get(seeded.louis_url + "/bulletin.pdf").status, 404);
    sign_in(driver, "philippe.garnier");
    EXPECT_EQ(publish(driver, seeded).status, 303);
    EXPECT_EQ(query_value(driver, notified), 1);

    sign_in(driver, "andre.chamson");
    list = driver.get("/evaluations/bulletins?eleve=" + str(seeded.louis));
    ASSERT_EQ(list.status, 200);
    EXPECT_TRUE(contains(list.body, "Bulletin du " + seeded.period.label));
    EXPECT_TRUE(contains(list.body, "Télécharger le bulletin (PDF)"));
    // Pauline's class published nothing.
    EXPECT_TRUE(contains(
        driver.get("/evaluations/bulletins?eleve=" + str(seeded.pauline)).body, "Aucun bulletin n'est encore publié"));
    auto const pdf = driver.get(seeded.louis_url + "/bulletin.pdf");
    ASSERT_EQ(pdf.status, 200);
    EXPECT_EQ(pdf.header("Content-Type"), "application/pdf");
    EXPECT_TRUE(pdf.body.starts_with("%PDF"));
    EXPECT_TRUE(contains(pdf.header("Content-Disposition"), "attachment; filename=\"Bulletin "));
    auto const text = pdf_text(pdf.body);
    EXPECT_TRUE(contains(text, "Louis CHAMSON")) << text;
    EXPECT_TRUE(contains(text, "ÉCONOMIE-GESTION")) << text;
    EXPECT_TRUE(contains(text, "12,33")) << text;
    EXPECT_TRUE(contains(text, "12,50")) << text; // MATHÉMATIQUES
    EXPECT_TRUE(contains(text, "Bon trimestre en relation client.")) << text;
    EXPECT_TRUE(contains(text, "CITE SCOLAIRE ANDRE CHAMSON (UAI 0300027A)")) << text;
    EXPECT_TRUE(contains(text, "Fait au Vigan")) << text;
    EXPECT_TRUE(contains(text, "Page 1/1")) << text;
    EXPECT_FALSE(contains(text, "Version de travail")) << text;
    // Corrected after publication: the PDF is made from the data.
    sign_in(driver, "samuel.beaumont");
    ASSERT_EQ(
        post_appraisal(driver, seeded, "matiere", seeded.eco, seeded.louis, "Appréciation corrigée.").status, 303);
    sign_in(driver, "louis.chamson");
    EXPECT_TRUE(contains(pdf_text(driver.get(seeded.louis_url + "/bulletin.pdf").body), "Appréciation corrigée."));
    EXPECT_EQ(driver.get("/evaluations/bulletins?eleve=" + str(seeded.emma)).status, 404);
}

// Every route of the bulletins by every kind of person, with ids of other
// classes, periods and students: 404 (403 for a write refused), never data,
// nothing written.
TEST(AssessmentsReports, EveryRouteByEveryPerson)
{
    AppDriver driver;
    auto const seeded = seed(driver);
    access::CapabilityRegistry registry;
    auto router = app::build_router(registry);
    ASSERT_FALSE(router.is_error());
    std::vector<http::Route const*> routes;
    for (auto const& route : router->routes())
        if (route.pattern.starts_with("/evaluations/bulletins/"))
            routes.push_back(&route);
    ASSERT_EQ(routes.size(), 6U);
    struct Target {
        char const* what;
        long long class_id;
        long long period_id;
        long long student_id;
    };
    long long elsewhere = 0; // a period of another school
    {
        auto lease = driver.services().database->lease();
        identity::Structure structure;
        structure.uai = "0340001B";
        structure.name = "Collège Jean Moulin";
        structure.city = "Montpellier";
        auto const id = identity::store::create_structure(lease.session(), structure);
        elsewhere = school::periods_of(lease.session(), id, seeded.period.first_day).front().id;
    }
    // Not to be reached by anyone: a class or period that does not exist or
    // is of another school, a group; for a student's bulletin, a student
    // not of the class.
    std::vector<Target> const foreign {
        { "unknown period", seeded.tpro, 999999, seeded.louis },
        { "a period of another school", seeded.tpro, elsewhere, seeded.louis },
        { "unknown class", 999999, seeded.period.id, seeded.louis },
        { "a group", query_value(driver, "SELECT id FROM identity_class WHERE kind = 'group'"), seeded.period.id,
            seeded.louis },
    };
    std::vector<Target> const foreign_student {
        { "T STMG with Louis", seeded.stmg, seeded.period.id, seeded.louis },
        { "TPRO with Pauline", seeded.tpro, seeded.period.id, seeded.pauline },
        { "TPRO with an unknown student", seeded.tpro, seeded.period.id, 999999 },
    };
    auto path_of = [](std::string pattern, Target const& target) {
        auto replace = [&](std::string const& name, long long value) {
            auto const at = pattern.find(name);
            if (at != std::string::npos)
                pattern.replace(at, name.size(), std::to_string(value));
        };
        replace("{class}", target.class_id);
        replace("{period}", target.period_id);
        replace("{student}", target.student_id);
        return pattern;
    };
    auto send = [&](http::Route const& route, Target const& target) {
        auto const path = path_of(route.pattern, target);
        if (route.method == http::Method::Get)
            return driver.get(path);
        return driver.post(path,
            { { "csrf", driver.csrf_token() }, { "type", "matiere" }, { "matiere", str(seeded.eco) },
                { "appreciation-" + str(seeded.louis), "Essai" } });
    };
    auto const before = rows_of_tables(driver, "assessments%");
    auto const notices = rows_of_tables(driver, "notifications%");
    Target const own { "TPRO", seeded.tpro, seeded.period.id, seeded.louis };
    for (auto const* login : { "louis.chamson", "andre.chamson", "pauline.chamson", "sophie.roux", "karim.benali",
             "samuel.beaumont", "achamson", "nathalie.vidal", "philippe.garnier", "admin.ent" }) {
        sign_in(driver, login);
        for (auto const* route : routes) {
            auto targets = foreign;
            if (contains(route->pattern, "{student}"))
                targets.insert(targets.end(), foreign_student.begin(), foreign_student.end());
            for (auto const& target : targets) {
                auto const response = send(*route, target);
                bool const refused
                    = response.status == 404 || (route->method == http::Method::Post && response.status == 403);
                EXPECT_TRUE(refused) << login << " " << route->pattern << " " << target.what << " " << response.status;
                EXPECT_FALSE(contains(response.body, "Moyenne générale")) << login << " " << route->pattern;
            }
        }
        // Families and a teacher of no class: nothing of TPRO before publication.
        std::string const who = login;
        if (who == "louis.chamson" || who == "andre.chamson" || who == "pauline.chamson" || who == "sophie.roux"
            || who == "karim.benali" || who == "achamson") {
            for (auto const* route : routes) {
                auto const response = send(*route, own);
                bool const refused
                    = response.status == 404 || (route->method == http::Method::Post && response.status == 403);
                EXPECT_TRUE(refused) << login << " " << route->pattern << " " << response.status;
            }
        }
    }
    EXPECT_EQ(rows_of_tables(driver, "assessments%"), before);
    EXPECT_EQ(rows_of_tables(driver, "notifications%"), notices);
    // The list itself: a guardian asking for a child not his, a student for another.
    sign_in(driver, "karim.benali");
    EXPECT_EQ(driver.get("/evaluations/bulletins?eleve=" + str(seeded.louis)).status, 404);
    sign_in(driver, "pauline.chamson");
    EXPECT_EQ(driver.get("/evaluations/bulletins?eleve=" + str(seeded.louis)).status, 404);
    sign_in(driver, "achamson");
    auto const list = driver.get("/evaluations/bulletins");
    EXPECT_EQ(list.status, 200);
    EXPECT_FALSE(contains(list.body, "TPRO"));
    sign_in(driver, "marie.delmas");
    EXPECT_TRUE(contains(driver.get("/evaluations/bulletins").body, "TPRO"));
}

// Payloads in appraisals: escaped on every page, plain text in the PDF.
TEST(AssessmentsReports, XssInAppraisals)
{
    AppDriver driver;
    auto const seeded = seed(driver);
    make_head_teacher(driver, seeded);
    std::vector<std::string> const payloads { "<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
        "\"><svg onload=alert(1)>", "<a href=\"javascript:alert(1)\">lien</a> javascript:alert(1)" };
    std::string joined;
    for (auto const& payload : payloads)
        joined += payload + " ";
    sign_in(driver, "samuel.beaumont");
    ASSERT_EQ(post_appraisal(driver, seeded, "matiere", seeded.eco, seeded.louis, joined).status, 303);
    ASSERT_EQ(post_appraisal(driver, seeded, "professeur_principal", 0, seeded.louis, joined).status, 303);
    sign_in(driver, "philippe.garnier");
    ASSERT_EQ(post_appraisal(driver, seeded, "chef_etablissement", 0, seeded.louis, joined).status, 303);
    auto const bulletin = driver.get(seeded.louis_url);
    ASSERT_EQ(bulletin.status, 200);
    EXPECT_TRUE(page_is_safe(bulletin.body));
    EXPECT_TRUE(contains(bulletin.body, "&lt;script&gt;alert(1)&lt;/script&gt;"));
    auto const forms = driver.get(seeded.class_url);
    EXPECT_TRUE(page_is_safe(forms.body));
    EXPECT_TRUE(contains(forms.body, "&lt;script&gt;alert(1)&lt;/script&gt;"));
    auto const text = pdf_text(driver.get(seeded.louis_url + "/bulletin.pdf").body);
    EXPECT_TRUE(contains(text, "alert(1)")) << text; // drawn as text, never run
}

// A bulletin that runs onto a second page repeats the table's header and
// numbers its pages « Page 1/2 ».
TEST(AssessmentsReports, LongBulletinRunsOntoPages)
{
    assessments::reports::Bulletin bulletin;
    bulletin.structure_name = "Cité scolaire André Chamson";
    bulletin.period_label = "Trimestre 1";
    bulletin.student_name = "Louis CHAMSON";
    for (int index = 0; index < 14; ++index)
        bulletin.lines.push_back(
            { "MATIÈRE " + std::to_string(index), "Samuel BEAUMONT", "12,50", "11", "7", "16", std::string(500, 'x') });
    auto const text = pdf_text(assessments::reports::bulletin_pdf(bulletin));
    EXPECT_TRUE(contains(text, "Page 1/")) << text;
    EXPECT_FALSE(contains(text, "Page 1/1")) << text;
    EXPECT_TRUE(contains(text, "MATIÈRE 13")) << text;
    std::size_t headers = 0;
    for (auto at = text.find("Matière"); at != std::string::npos; at = text.find("Matière", at + 1))
        ++headers;
    EXPECT_GE(headers, 2U);
}

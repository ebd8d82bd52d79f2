// SPDX-License-Identifier: AGPL-3.0-or-later
// The vie scolaire's desk through its routes: today's absences and the
// thresholds, an absence entered at the desk, the decision on an event, a
// student's file, incidents and punishments, « Paramètres »; bad input and
// XSS payloads through every text field; another structure's objects.
// Both engines.
#include "services/attendance/attendance_store.h"
#include "tests/store/attendance_fixture.h"
#include <gtest/gtest.h>

using namespace cartable;
using namespace cartable::testing::attendance_fixture;
using cartable::testing::AppDriver;
using cartable::testing::contains;
using cartable::testing::query_value;
using cartable::testing::rows_of_tables;
using cartable::testing::user_id;

namespace {

http::Response post_form(AppDriver& driver, std::string const& page, std::string const& path,
    std::vector<std::pair<std::string, std::string>> fields)
{
    driver.get(page);
    fields.emplace_back("csrf", driver.csrf_token());
    return driver.post(path, fields);
}

char const* const PAYLOADS[] = { "<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
    "\"><svg onload=alert(1)>", "javascript:alert(1)" };

// The page shows the payload escaped, never as markup or a link.
void expect_escaped(std::string const& html, std::string const& where)
{
    EXPECT_FALSE(contains(html, "<script>alert(1)")) << where;
    EXPECT_FALSE(contains(html, "<img src=x")) << where;
    EXPECT_FALSE(contains(html, "<svg onload")) << where;
    EXPECT_FALSE(contains(html, "href=\"javascript:")) << where;
}

} // namespace

TEST(AttendanceDesk, TodaysAbsencesCountsAndThresholds)
{
    AppDriver driver;
    auto const lucas = std::to_string(user_id(driver, "lucas.martin"));
    ASSERT_EQ(sign_in_as(driver, "nathalie.vidal"), 303);
    auto desk = driver.get("/vie-scolaire/bureau");
    ASSERT_EQ(desk.status, 200);
    EXPECT_TRUE(contains(desk.body, "Appels non faits"));
    EXPECT_TRUE(contains(desk.body, "Actualiser"));
    EXPECT_TRUE(contains(desk.body, "data-desk-refresh"));
    EXPECT_FALSE(contains(desk.body, "Lucas MARTIN</a></th>")) << "no absence of Lucas today yet";
    // Thresholds lowered to 2 half-days.
    auto saved = post_form(driver, "/vie-scolaire/parametres", "/vie-scolaire/parametres",
        { { "seuil_demi_journees", "2" }, { "seuil_retards", "5" } });
    ASSERT_EQ(saved.status, 303) << saved.body;
    EXPECT_EQ(query_value(driver, "SELECT alert_half_days FROM attendance_setting"), 2);
    // Lucas absent the whole day, entered at the desk: two half-days.
    auto const before = query_value(driver, "SELECT COUNT(*) FROM attendance_event");
    auto entered = post_form(driver, "/vie-scolaire/bureau/absences", "/vie-scolaire/bureau/absences",
        { { "eleve", lucas }, { "date", school_time::iso_day(today()) }, { "type", "absence" },
            { "moment", "journee" } });
    ASSERT_EQ(entered.status, 303) << entered.body;
    EXPECT_EQ(query_value(driver, "SELECT COUNT(*) FROM attendance_event"), before + 2);
    desk = driver.get("/vie-scolaire/bureau?fait=absence");
    EXPECT_TRUE(contains(desk.body, html("L'absence est enregistrée.")));
    EXPECT_TRUE(contains(desk.body, "Lucas MARTIN</a></th>"));
    EXPECT_TRUE(contains(desk.body, "08:00 – 12:30"));
    EXPECT_TRUE(contains(desk.body, "12:30 – 17:30"));
    EXPECT_TRUE(contains(desk.body, "non justifiée"));
    EXPECT_TRUE(contains(desk.body, html("2 demi-journées d'absence (seuil : 2)"))) << desk.body;
    // Lateness at the desk, with its minutes.
    entered = post_form(driver, "/vie-scolaire/bureau/absences", "/vie-scolaire/bureau/absences",
        { { "eleve", lucas }, { "date", school_time::iso_day(today()) }, { "type", "retard" }, { "debut", "08:00" },
            { "minutes", "12" } });
    ASSERT_EQ(entered.status, 303) << entered.body;
    EXPECT_TRUE(contains(driver.get("/vie-scolaire/bureau").body, "08:00 (12 min)"));
    // Bad input: a message on the form, nothing written.
    auto const rows = rows_of_tables(driver, "attendance%");
    for (auto const& fields : std::vector<std::vector<std::pair<std::string, std::string>>> {
             { { "eleve", "" }, { "date", "2026-11-30" }, { "type", "absence" }, { "moment", "matin" } },
             { { "eleve", lucas }, { "date", "30 février" }, { "type", "absence" }, { "moment", "matin" } },
             { { "eleve", lucas }, { "date", "2026-11-30" }, { "type", "fugue" }, { "moment", "matin" } },
             { { "eleve", lucas }, { "date", "2026-11-30" }, { "type", "retard" }, { "debut", "08:00" },
                 { "minutes", "0" } },
             { { "eleve", lucas }, { "date", "2026-11-30" }, { "type", "absence" }, { "moment", "heures" },
                 { "debut", "10:00" }, { "fin", "09:00" } } }) {
        auto refused = post_form(driver, "/vie-scolaire/bureau/absences", "/vie-scolaire/bureau/absences", fields);
        EXPECT_EQ(refused.status, 400);
        EXPECT_TRUE(contains(refused.body, "form-error"));
    }
    EXPECT_EQ(rows_of_tables(driver, "attendance%"), rows);
    // Settings: bad thresholds are refused, nothing changes.
    auto refused = post_form(driver, "/vie-scolaire/parametres", "/vie-scolaire/parametres",
        { { "seuil_demi_journees", "beaucoup" }, { "seuil_retards", "5" } });
    EXPECT_EQ(refused.status, 400);
    EXPECT_TRUE(contains(refused.body, html("Les seuils d'alerte sont des nombres entiers de 1 à 100.")));
    EXPECT_EQ(query_value(driver, "SELECT alert_half_days FROM attendance_setting"), 2);
    // The desk is not the teachers'.
    ASSERT_EQ(sign_in_as(driver, "samuel.beaumont"), 303);
    EXPECT_EQ(driver.get("/vie-scolaire/bureau").status, 403);
    // The principal reads it.
    ASSERT_EQ(sign_in_as(driver, "philippe.garnier"), 303);
    desk = driver.get("/vie-scolaire/bureau");
    EXPECT_EQ(desk.status, 200);
    EXPECT_FALSE(contains(desk.body, "Saisir une absence")) << "the direction reads, the vie scolaire enters";
}

TEST(AttendanceDesk, DecisionOnAnEventAndTheStudentFile)
{
    AppDriver driver;
    auto const louis = user_id(driver, "louis.chamson");
    ASSERT_EQ(sign_in_as(driver, "nathalie.vidal"), 303);
    ASSERT_EQ(post_form(driver, "/vie-scolaire/bureau/absences", "/vie-scolaire/bureau/absences",
                  { { "eleve", std::to_string(louis) }, { "date", school_time::iso_day(today()) },
                      { "type", "absence" }, { "moment", "matin" } })
                  .status,
        303);
    auto const event
        = query_value(driver, "SELECT MAX(id) FROM attendance_event WHERE student_id = " + std::to_string(louis));
    auto const motive = query_value(driver, "SELECT id FROM attendance_motive WHERE label = 'Maladie'");
    auto const path = "/vie-scolaire/evenements/" + std::to_string(event);
    auto page = driver.get(path);
    ASSERT_EQ(page.status, 200);
    EXPECT_TRUE(contains(page.body, "Absence – Louis CHAMSON"));
    // Bad input.
    auto refused = post_form(driver, path, path, { { "etat", "pardonnee" }, { "motif", "" }, { "commentaire", "" } });
    EXPECT_EQ(refused.status, 400);
    refused = post_form(driver, path, path, { { "etat", "justifiee" }, { "motif", "999999" }, { "commentaire", "" } });
    EXPECT_EQ(refused.status, 400);
    EXPECT_TRUE(contains(refused.body, "Choisissez un motif de la liste."));
    EXPECT_EQ(query_value(driver,
                  "SELECT COUNT(*) FROM attendance_event WHERE id = " + std::to_string(event)
                      + " AND state = 'non_justifiee'"),
        1);
    // The decision, with an XSS payload in the comment.
    for (auto const* payload : PAYLOADS) {
        auto decided = post_form(driver, path, path,
            { { "etat", "justifiee" }, { "motif", std::to_string(motive) }, { "commentaire", payload } });
        ASSERT_EQ(decided.status, 303);
        auto shown = driver.get(path);
        expect_escaped(shown.body, payload);
        expect_escaped(driver.get("/vie-scolaire/bureau").body, payload);
    }
    EXPECT_EQ(query_value(driver,
                  "SELECT COUNT(*) FROM attendance_event WHERE id = " + std::to_string(event)
                      + " AND state = 'justifiee' AND motive_id = " + std::to_string(motive)),
        1);
    // The student file: his teacher and the CPE, not a teacher of no class, not his father here.
    auto file = driver.get("/vie-scolaire/eleves/" + std::to_string(louis));
    ASSERT_EQ(file.status, 200);
    EXPECT_TRUE(contains(file.body, "Demi-journées d'absence"));
    EXPECT_TRUE(contains(file.body, "justifiée"));
    EXPECT_TRUE(contains(file.body, "Trimestre"));
    ASSERT_EQ(sign_in_as(driver, "samuel.beaumont"), 303);
    EXPECT_EQ(driver.get("/vie-scolaire/eleves/" + std::to_string(louis)).status, 200);
    ASSERT_EQ(sign_in_as(driver, "achamson"), 303);
    EXPECT_EQ(driver.get("/vie-scolaire/eleves/" + std::to_string(louis)).status, 404);
    ASSERT_EQ(sign_in_as(driver, "andre.chamson"), 303);
    EXPECT_EQ(driver.get("/vie-scolaire/eleves/" + std::to_string(louis)).status, 404);
}

TEST(AttendanceDesk, AnotherStructuresObjectsAreNotFound)
{
    AppDriver driver;
    long long other_student = 0;
    long long other_event = 0;
    {
        auto lease = driver.services().database->lease();
        auto& session = lease.session();
        long long structure = 0;
        auto const day = today();
        session << "INSERT INTO identity_structure (uai, name, created_at) VALUES ('0300099Z', 'Collège de "
                   "l''Aigoual', 0) RETURNING id",
            soci::into(structure);
        session << "INSERT INTO identity_user (login, first_name, last_name, profile, structure_id, created_at) VALUES "
                   "('jeanne.autre', 'Jeanne', 'AUTRE', 'student', :structure, 0) RETURNING id",
            soci::use(structure), soci::into(other_student);
        session << "INSERT INTO attendance_event (structure_id, student_id, kind, day, start_minute, end_minute, "
                   "recorded_at) VALUES (:structure, :student, 'absence', :day, 480, 600, 0) RETURNING id",
            soci::use(structure), soci::use(other_student), soci::use(day), soci::into(other_event);
    }
    ASSERT_EQ(sign_in_as(driver, "nathalie.vidal"), 303);
    auto const rows = rows_of_tables(driver, "attendance%");
    auto const path = "/vie-scolaire/evenements/" + std::to_string(other_event);
    EXPECT_EQ(driver.get(path).status, 404);
    EXPECT_EQ(
        post_form(driver, "/vie-scolaire/bureau", path, { { "etat", "justifiee" }, { "commentaire", "x" } }).status,
        404);
    EXPECT_EQ(driver.get("/vie-scolaire/eleves/" + std::to_string(other_student)).status, 404);
    auto desk = driver.get("/vie-scolaire/bureau");
    EXPECT_FALSE(contains(desk.body, "AUTRE"));
    EXPECT_EQ(post_form(driver, "/vie-scolaire/bureau/absences", "/vie-scolaire/bureau/absences",
                  { { "eleve", std::to_string(other_student) }, { "date", school_time::iso_day(today()) },
                      { "type", "absence" }, { "moment", "matin" } })
                  .status,
        400);
    EXPECT_EQ(post_form(driver, "/vie-scolaire/punitions/nouvelle", "/vie-scolaire/punitions/nouvelle",
                  { { "eleve", std::to_string(other_student) }, { "type", "devoir_supplementaire" }, { "motif", "x" },
                      { "date", school_time::iso_day(today()) } })
                  .status,
        403);
    EXPECT_EQ(rows_of_tables(driver, "attendance%"), rows);
}

TEST(AttendanceDesk, IncidentsAndPunishments)
{
    AppDriver driver;
    auto const louis = std::to_string(user_id(driver, "louis.chamson"));
    auto const hugo = std::to_string(user_id(driver, "hugo.fabre"));
    auto const day = school_time::iso_day(today());
    // A teacher reports an incident about his students; XSS through the place and the description.
    ASSERT_EQ(sign_in_as(driver, "samuel.beaumont"), 303);
    for (auto const* payload : PAYLOADS) {
        auto reported = post_form(driver, "/vie-scolaire/incidents/nouveau", "/vie-scolaire/incidents/nouveau",
            { { "date", day }, { "heure", "10:05" }, { "lieu", payload }, { "description", payload },
                { "eleves", louis }, { "eleves", hugo } });
        ASSERT_EQ(reported.status, 303) << reported.body;
        auto list = driver.get("/vie-scolaire/incidents?fait=incident");
        EXPECT_TRUE(contains(list.body, html("L'incident est enregistré.")));
        EXPECT_TRUE(contains(list.body, "Hugo FABRE"));
        expect_escaped(list.body, payload);
    }
    // Bad input: no description, no student.
    auto const rows = rows_of_tables(driver, "attendance%");
    auto refused = post_form(driver, "/vie-scolaire/incidents/nouveau", "/vie-scolaire/incidents/nouveau",
        { { "date", day }, { "heure", "10:05" }, { "lieu", "Cour" }, { "description", "" }, { "eleves", louis } });
    EXPECT_EQ(refused.status, 400);
    EXPECT_TRUE(contains(refused.body, html("Décrivez ce qui s'est passé.")));
    refused = post_form(driver, "/vie-scolaire/incidents/nouveau", "/vie-scolaire/incidents/nouveau",
        { { "date", day }, { "heure", "25:99" }, { "description", "Chahut" }, { "eleves", louis } });
    EXPECT_EQ(refused.status, 400);
    refused = post_form(driver, "/vie-scolaire/incidents/nouveau", "/vie-scolaire/incidents/nouveau",
        { { "date", day }, { "heure", "10:00" }, { "description", "Chahut" } });
    EXPECT_EQ(refused.status, 400);
    // A punishment: a retenue needs its hour and duration; XSS in the reason.
    refused = post_form(driver, "/vie-scolaire/punitions/nouvelle", "/vie-scolaire/punitions/nouvelle",
        { { "eleve", hugo }, { "type", "retenue" }, { "motif", "Bavardages" }, { "date", day } });
    EXPECT_EQ(refused.status, 400);
    EXPECT_TRUE(contains(refused.body, html("Indiquez l'heure et la durée de la retenue")));
    refused = post_form(driver, "/vie-scolaire/punitions/nouvelle", "/vie-scolaire/punitions/nouvelle",
        { { "eleve", hugo }, { "type", "fessee" }, { "motif", "Bavardages" }, { "date", day } });
    EXPECT_EQ(refused.status, 400);
    EXPECT_EQ(rows_of_tables(driver, "attendance%"), rows);
    for (auto const* payload : PAYLOADS) {
        auto given
            = post_form(driver, "/vie-scolaire/punitions/nouvelle?eleve=" + hugo, "/vie-scolaire/punitions/nouvelle",
                { { "eleve", hugo }, { "type", "retenue" }, { "motif", payload }, { "date", day }, { "heure", "13:30" },
                    { "duree", "120" } });
        ASSERT_EQ(given.status, 303) << given.body;
        EXPECT_EQ(given.header("Location"), "/vie-scolaire/eleves/" + hugo + "?fait=punition");
        auto file = driver.get("/vie-scolaire/eleves/" + hugo);
        EXPECT_TRUE(contains(file.body, "Retenue"));
        EXPECT_TRUE(contains(file.body, "13:30 (120 min)"));
        EXPECT_TRUE(contains(file.body, "donnée par Samuel BEAUMONT"));
        expect_escaped(file.body, payload);
    }
    // A teacher of no class punishes nobody: 403, nothing written.
    ASSERT_EQ(sign_in_as(driver, "achamson"), 303);
    auto const after = rows_of_tables(driver, "attendance%");
    EXPECT_EQ(post_form(driver, "/vie-scolaire/punitions/nouvelle", "/vie-scolaire/punitions/nouvelle",
                  { { "eleve", louis }, { "type", "devoir_supplementaire" }, { "motif", "x" }, { "date", day } })
                  .status,
        403);
    EXPECT_EQ(post_form(driver, "/vie-scolaire/incidents/nouveau", "/vie-scolaire/incidents/nouveau",
                  { { "date", day }, { "heure", "10:00" }, { "description", "Chahut" }, { "eleves", louis } })
                  .status,
        403);
    EXPECT_EQ(rows_of_tables(driver, "attendance%"), after);
    // The desk sees every incident of the day, the teacher's too.
    ASSERT_EQ(sign_in_as(driver, "nathalie.vidal"), 303);
    auto desk = driver.get("/vie-scolaire/bureau");
    EXPECT_TRUE(contains(desk.body, "Incidents du jour"));
    EXPECT_TRUE(contains(desk.body, "signalé par Samuel BEAUMONT"));
    expect_escaped(desk.body, "desk");
}

TEST(AttendanceDesk, MotivesInTheSettings)
{
    AppDriver driver;
    ASSERT_EQ(sign_in_as(driver, "nathalie.vidal"), 303);
    auto page = driver.get("/vie-scolaire/parametres");
    ASSERT_EQ(page.status, 200);
    EXPECT_TRUE(contains(page.body, "Utilisable par les familles"));
    EXPECT_TRUE(contains(page.body, "Justifie automatiquement une déclaration des familles"));
    auto const motives = query_value(driver, "SELECT COUNT(*) FROM attendance_motive");
    // A new motive with an XSS payload as its label: stored, shown escaped.
    for (auto const* payload : PAYLOADS) {
        auto saved = post_form(driver, "/vie-scolaire/parametres", "/vie-scolaire/parametres",
            { { "seuil_demi_journees", "4" }, { "seuil_retards", "5" }, { "libelle-nouveau", payload },
                { "familles-nouveau", "1" }, { "ordre-nouveau", "20" } });
        ASSERT_EQ(saved.status, 303) << saved.body;
        expect_escaped(driver.get("/vie-scolaire/parametres").body, payload);
    }
    EXPECT_EQ(query_value(driver, "SELECT COUNT(*) FROM attendance_motive"), motives + 4);
    // Renaming and deactivating one: the form sends every motive back.
    auto const maladie
        = std::to_string(query_value(driver, "SELECT id FROM attendance_motive WHERE label = 'Maladie'"));
    auto saved = post_form(driver, "/vie-scolaire/parametres", "/vie-scolaire/parametres",
        { { "seuil_demi_journees", "4" }, { "seuil_retards", "5" }, { "libelle-" + maladie, "Maladie (certificat)" },
            { "familles-" + maladie, "1" }, { "ordre-" + maladie, "1" } });
    ASSERT_EQ(saved.status, 303) << saved.body;
    EXPECT_EQ(query_value(driver,
                  "SELECT COUNT(*) FROM attendance_motive WHERE label = 'Maladie (certificat)' AND "
                  "active = 0 AND accepted = 0"),
        1);
    // A label twice, an empty label, a bad order: refused, nothing changed.
    auto const rows = rows_of_tables(driver, "attendance%");
    auto refused = post_form(driver, "/vie-scolaire/parametres", "/vie-scolaire/parametres",
        { { "seuil_demi_journees", "4" }, { "seuil_retards", "5" }, { "libelle-nouveau", "Rendez-vous médical" },
            { "ordre-nouveau", "3" } });
    EXPECT_EQ(refused.status, 400);
    EXPECT_TRUE(contains(refused.body, html("s'appelle déjà « Rendez-vous médical »")));
    refused = post_form(driver, "/vie-scolaire/parametres", "/vie-scolaire/parametres",
        { { "seuil_demi_journees", "4" }, { "seuil_retards", "5" }, { "libelle-" + maladie, "" },
            { "ordre-" + maladie, "1" } });
    EXPECT_EQ(refused.status, 400);
    refused = post_form(driver, "/vie-scolaire/parametres", "/vie-scolaire/parametres",
        { { "seuil_demi_journees", "4" }, { "seuil_retards", "5" }, { "libelle-" + maladie, "Maladie" },
            { "ordre-" + maladie, "premier" } });
    EXPECT_EQ(refused.status, 400);
    EXPECT_EQ(rows_of_tables(driver, "attendance%"), rows);
    EXPECT_EQ(query_value(driver, "SELECT COUNT(*) FROM attendance_motive WHERE label = 'Maladie (certificat)'"), 1);
    // A teacher may not.
    ASSERT_EQ(sign_in_as(driver, "samuel.beaumont"), 303);
    EXPECT_EQ(driver.get("/vie-scolaire/parametres").status, 403);
}

// SPDX-License-Identifier: AGPL-3.0-or-later
// The vie scolaire's families' side (issue #8): who sees and justifies a
// student's absences, « Justifier » with a motive and a file, declarations in
// advance, the CPE's decisions, after_recording's matching and its one
// notification per half-day, uploads, bad dates, XSS, every route by every
// kind of person (both engines). Events are written by SQL, as the roll call
// will, then handed to after_recording.
#include "app/application.h"
#include "app/demo_school.h"
#include "core/identity/identity_store.h"
#include "core/school_time.h"
#include "services/attendance/attendance_family_store.h"
#include "services/attendance/attendance_internal.h"
#include "services/preferences/preferences.h"
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

namespace {

using Form = std::vector<std::pair<std::string, std::string>>;

constexpr char const* PDF = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

long long now_seconds()
{
    return static_cast<long long>(std::time(nullptr));
}
long long today()
{
    return school_time::day_of_unix(now_seconds());
}

void sign_in(AppDriver& driver, std::string const& login)
{
    driver.forget_cookies();
    ASSERT_EQ(driver.sign_in(login, app::DEMO_PASSWORD).status, 303) << login;
    driver.get("/accueil");
}

identity::User account(AppDriver& driver, std::string const& login)
{
    auto const id = user_id(driver, login);
    auto lease = driver.services().database->lease();
    return *identity::store::find_user(lease.session(), id);
}

// An event as the roll call writes it (no call: entered by the vie scolaire).
long long add_event(AppDriver& driver, std::string const& student_login, long long day, long long start, long long end,
    std::string const& kind = "absence")
{
    auto const student = user_id(driver, student_login);
    auto lease = driver.services().database->lease();
    long long structure = 0;
    lease.session() << "SELECT structure_id FROM identity_user WHERE id = :id", soci::use(student),
        soci::into(structure);
    long long id = 0;
    auto const now = now_seconds();
    lease.session() << "INSERT INTO attendance_event (structure_id, student_id, kind, day, start_minute, end_minute, "
                       "minutes, recorded_at) VALUES (:structure, :student, :kind, :day, :start, :end, 0, :now) "
                       "RETURNING id",
        soci::use(structure), soci::use(student), soci::use(kind), soci::use(day), soci::use(start), soci::use(end),
        soci::use(now), soci::into(id);
    return id;
}

attendance::Notified record(AppDriver& driver, std::vector<long long> const& ids)
{
    attendance::Notified notified;
    auto done = driver.services().database->write([&](soci::session& session) -> ErrorOr<void> {
        attendance::after_recording(session, ids, "https://ent.example.fr", now_seconds(), notified);
        return {};
    });
    EXPECT_FALSE(done.is_error());
    return notified;
}

std::string state_of(AppDriver& driver, long long event)
{
    auto lease = driver.services().database->lease();
    std::string state;
    lease.session() << "SELECT state FROM attendance_event WHERE id = :id", soci::use(event), soci::into(state);
    return state;
}

std::string declaration_state(AppDriver& driver, long long declaration)
{
    auto lease = driver.services().database->lease();
    std::string state;
    lease.session() << "SELECT state FROM attendance_declaration WHERE id = :id", soci::use(declaration),
        soci::into(state);
    return state;
}

long long motive(AppDriver& driver, std::string const& label)
{
    auto lease = driver.services().database->lease();
    auto const structure = account(driver, "louis.chamson").structure_id;
    for (auto const& each : attendance::motives_of(lease.session(), structure))
        if (each.label == label)
            return each.id;
    return 0;
}

long long absence_notices(AppDriver& driver, std::string const& login, std::string const& title_like = "%")
{
    auto lease = driver.services().database->lease();
    auto const person = user_id(driver, login);
    long long count = 0;
    lease.session() << "SELECT COUNT(*) FROM notifications_item WHERE recipient_id = :person AND event = 'absence' "
                       "AND title LIKE :title",
        soci::use(person), soci::use(title_like), soci::into(count);
    return count;
}

std::string justify_path(long long event)
{
    return "/vie-scolaire/absences/" + std::to_string(event) + "/justifier";
}

// « Justifier » as André's browser sends it; the response.
http::Response justify(AppDriver& driver, long long event, long long motive_id, std::string const& comment,
    std::vector<AppDriver::File> const& files = {})
{
    driver.get(justify_path(event));
    return driver.post_files(justify_path(event),
        { { "csrf", driver.csrf_token() }, { "motif", std::to_string(motive_id) }, { "commentaire", comment } }, files);
}

long long last_declaration(AppDriver& driver)
{
    return query_value(driver, "SELECT COALESCE(MAX(id), 0) FROM attendance_declaration");
}

std::size_t stored_files(AppDriver& driver)
{
    auto const directory = driver.services().config.data_directory / "attendance" / "justificatifs";
    std::error_code ignored;
    if (!std::filesystem::exists(directory, ignored))
        return 0;
    std::size_t count = 0;
    for (auto const& entry : std::filesystem::directory_iterator(directory, ignored)) {
        (void)entry;
        ++count;
    }
    return count;
}

// A non-legal guardian of Louis: Sophie ROUX (Emma's mother) for these tests.
void add_non_legal_link(AppDriver& driver)
{
    auto const sophie = user_id(driver, "sophie.roux");
    auto const louis = user_id(driver, "louis.chamson");
    auto lease = driver.services().database->lease();
    lease.session() << "INSERT INTO identity_guardian_link (guardian_id, student_id, relationship, legal) VALUES "
                       "(:guardian, :student, 'autre', 0)",
        soci::use(sophie), soci::use(louis);
}

} // namespace

// Who sees, justifies and decides, for Louis CHAMSON (TPRO), as a table.
TEST(AttendanceFamily, PolicyTableTowardLouis)
{
    AppDriver driver;
    add_non_legal_link(driver);
    struct Case {
        char const* login;
        bool sees;
        bool justifies;
        bool decides;
    };
    std::vector<Case> const cases {
        { "andre.chamson", true, true, false }, // legal guardian
        { "sophie.roux", true, false, false }, // guardian, not legal
        { "karim.benali", false, false, false }, // another family
        { "louis.chamson", true, false, false }, // himself
        { "pauline.chamson", false, false, false }, // his sister
        { "samuel.beaumont", true, false, false }, // teaches TPRO
        { "achamson", false, false, false }, // teaches no class
        { "nathalie.vidal", true, false, true }, // CPE
        { "philippe.garnier", true, false, false }, // proviseur
    };
    auto const louis = user_id(driver, "louis.chamson");
    std::vector<identity::User> people;
    people.reserve(cases.size());
    for (auto const& each : cases)
        people.push_back(account(driver, each.login));
    auto lease = driver.services().database->lease();
    for (std::size_t index = 0; index < cases.size(); ++index) {
        auto const rights = attendance::rights_toward(lease.session(), people[index], louis);
        EXPECT_EQ(rights.sees, cases[index].sees) << cases[index].login;
        EXPECT_EQ(rights.justifies, cases[index].justifies) << cases[index].login;
        EXPECT_EQ(rights.decides, cases[index].decides) << cases[index].login;
    }
}

// The landing page sends each person where they work; a guardian sees only
// his own children, switching with ?eleve=.
TEST(AttendanceFamily, LandingAndGuardianSeesOnlyHisChildren)
{
    AppDriver driver;
    auto const event = add_event(driver, "louis.chamson", today() - 1, 8 * 60LL, 9 * 60LL);
    for (auto const& [login, target] :
        std::vector<std::pair<std::string, std::string>> { { "samuel.beaumont", "/vie-scolaire/appel" },
            { "nathalie.vidal", "/vie-scolaire/bureau" }, { "philippe.garnier", "/vie-scolaire/bureau" } }) {
        sign_in(driver, login);
        auto response = driver.get("/vie-scolaire");
        EXPECT_EQ(response.status, 303) << login;
        EXPECT_EQ(response.header("Location"), target) << login;
    }
    sign_in(driver, "andre.chamson");
    auto page = driver.get("/vie-scolaire");
    ASSERT_EQ(page.status, 200);
    EXPECT_TRUE(contains(page.body, "Absences et retards – Louis CHAMSON"));
    EXPECT_TRUE(contains(page.body, "non justifiée"));
    EXPECT_TRUE(contains(page.body, justify_path(event)));
    EXPECT_TRUE(contains(page.body, "Trimestre 1"));
    EXPECT_TRUE(contains(page.body, "Pauline CHAMSON")); // the link to switch
    auto const pauline = user_id(driver, "pauline.chamson");
    auto sister = driver.get("/vie-scolaire?eleve=" + std::to_string(pauline));
    ASSERT_EQ(sister.status, 200);
    EXPECT_TRUE(contains(sister.body, "Absences et retards – Pauline CHAMSON"));
    EXPECT_FALSE(contains(sister.body, justify_path(event)));
    auto const emma = user_id(driver, "emma.roux");
    EXPECT_EQ(driver.get("/vie-scolaire?eleve=" + std::to_string(emma)).status, 404);
    EXPECT_EQ(driver.get("/vie-scolaire?eleve=abc").status, 404);
    // Another guardian reaches nothing of Louis.
    sign_in(driver, "sophie.roux");
    auto const louis = user_id(driver, "louis.chamson");
    EXPECT_EQ(driver.get("/vie-scolaire?eleve=" + std::to_string(louis)).status, 404);
    EXPECT_EQ(driver.get(justify_path(event)).status, 404);
    auto own = driver.get("/vie-scolaire");
    ASSERT_EQ(own.status, 200);
    EXPECT_TRUE(contains(own.body, "Emma ROUX"));
    EXPECT_FALSE(contains(own.body, justify_path(event)));
}

// The student reads his own list without buttons; a non-legal guardian
// reads only; their POSTs are refused (403) and change nothing.
TEST(AttendanceFamily, StudentAndNonLegalGuardianReadOnly)
{
    AppDriver driver;
    add_non_legal_link(driver);
    auto const event = add_event(driver, "louis.chamson", today() - 1, 8 * 60LL, 9 * 60LL);
    auto const illness = motive(driver, "Maladie");
    auto const louis = user_id(driver, "louis.chamson");
    auto const before = rows_of_tables(driver, "attendance%");
    for (auto const* login : { "louis.chamson", "sophie.roux" }) {
        sign_in(driver, login);
        auto page
            = driver.get(std::string("/vie-scolaire") + (login[0] == 's' ? "?eleve=" + std::to_string(louis) : ""));
        ASSERT_EQ(page.status, 200) << login;
        EXPECT_TRUE(contains(page.body, "Absences et retards – Louis CHAMSON")) << login;
        EXPECT_FALSE(contains(page.body, justify_path(event))) << login;
        EXPECT_FALSE(contains(page.body, "Déclarer une absence")) << login;
        EXPECT_EQ(driver.get(justify_path(event)).status, 403) << login;
        driver.get("/vie-scolaire");
        auto posted = driver.post(justify_path(event),
            { { "csrf", driver.csrf_token() }, { "motif", std::to_string(illness) }, { "commentaire", "Malade" } });
        EXPECT_EQ(posted.status, 403) << login;
        EXPECT_TRUE(contains(posted.body, "Seuls les responsables légaux")) << login;
        auto declared = driver.post("/vie-scolaire/declarer",
            { { "csrf", driver.csrf_token() }, { "eleve", std::to_string(louis) },
                { "du", school_time::iso_day(today() + 1) }, { "au", school_time::iso_day(today() + 1) },
                { "motif", std::to_string(illness) } });
        EXPECT_EQ(declared.status, 403) << login;
    }
    EXPECT_EQ(rows_of_tables(driver, "attendance%"), before);
    EXPECT_EQ(state_of(driver, event), "non_justifiee");
}

// A motive the structure accepts justifies at once; the acknowledgement
// page and its file are the family's and the vie scolaire's only.
TEST(AttendanceFamily, JustifyWithAcceptedMotiveIsJustifiedAtOnce)
{
    AppDriver driver;
    auto const event = add_event(driver, "louis.chamson", today() - 1, 8 * 60LL, 9 * 60LL);
    sign_in(driver, "andre.chamson");
    auto sent = justify(driver, event, motive(driver, "Maladie"), "Fièvre depuis dimanche soir.",
        { { "justificatif", "certificat médical.pdf", PDF } });
    ASSERT_EQ(sent.status, 303) << sent.body;
    auto const declaration = last_declaration(driver);
    EXPECT_EQ(sent.header("Location"), "/vie-scolaire/declarations/" + std::to_string(declaration));
    EXPECT_EQ(state_of(driver, event), "justifiee");
    EXPECT_EQ(declaration_state(driver, declaration), "acceptee");
    auto page = driver.get(sent.header("Location"));
    ASSERT_EQ(page.status, 200);
    EXPECT_TRUE(contains(page.body, "Votre justificatif a bien été reçu le"));
    EXPECT_TRUE(contains(page.body, "acceptée"));
    EXPECT_TRUE(contains(page.body, "certificat médical.pdf"));
    auto file = driver.get(sent.header("Location") + "/justificatif");
    ASSERT_EQ(file.status, 200);
    EXPECT_TRUE(contains(file.header("Content-Disposition"), "attachment"));
    EXPECT_EQ(file.header("X-Content-Type-Options"), "nosniff");
    EXPECT_EQ(file.header("Content-Type"), "application/pdf");
    auto list = driver.get("/vie-scolaire");
    EXPECT_TRUE(contains(list.body, "justifiée"));
    EXPECT_FALSE(contains(list.body, justify_path(event)));
    // Justified already: no second time.
    EXPECT_EQ(justify(driver, event, motive(driver, "Maladie"), "Encore").status, 409);
    // The CPE reads it; a teacher of the class and another family do not.
    sign_in(driver, "nathalie.vidal");
    EXPECT_EQ(driver.get(sent.header("Location")).status, 200);
    EXPECT_EQ(driver.get(sent.header("Location") + "/justificatif").status, 200);
    for (auto const* login : { "samuel.beaumont", "sophie.roux", "karim.benali", "pauline.chamson" }) {
        sign_in(driver, login);
        EXPECT_EQ(driver.get(sent.header("Location")).status, 404) << login;
        EXPECT_EQ(driver.get(sent.header("Location") + "/justificatif").status, 404) << login;
    }
}

// Another motive waits for the CPE, who accepts one and refuses another;
// the guardian is told both times and sees the final states.
TEST(AttendanceFamily, PendingThenCpeAcceptsOrRefuses)
{
    AppDriver driver;
    auto const first = add_event(driver, "louis.chamson", today() - 2, 8 * 60LL, 9 * 60LL);
    auto const second = add_event(driver, "louis.chamson", today() - 1, 14 * 60LL, 15 * 60LL);
    auto const family = motive(driver, "Raison familiale");
    sign_in(driver, "andre.chamson");
    ASSERT_EQ(justify(driver, first, family, "Obsèques de son grand-père à Alès.").status, 303);
    auto const accepted = last_declaration(driver);
    ASSERT_EQ(justify(driver, second, family, "Panne de voiture.").status, 303);
    auto const refused = last_declaration(driver);
    EXPECT_EQ(state_of(driver, first), "en_attente");
    EXPECT_EQ(declaration_state(driver, accepted), "en_attente");
    EXPECT_TRUE(contains(driver.get("/vie-scolaire").body, "en attente"));
    // The proviseur reads the list but does not decide.
    sign_in(driver, "philippe.garnier");
    auto read_only = driver.get("/vie-scolaire/justificatifs");
    ASSERT_EQ(read_only.status, 200);
    EXPECT_TRUE(contains(read_only.body, "Louis CHAMSON"));
    driver.get("/vie-scolaire/declarations/" + std::to_string(accepted));
    EXPECT_EQ(driver
                  .post("/vie-scolaire/declarations/" + std::to_string(accepted) + "/decision",
                      { { "csrf", driver.csrf_token() }, { "decision", "accepter" } })
                  .status,
        403);
    EXPECT_EQ(declaration_state(driver, accepted), "en_attente");
    sign_in(driver, "nathalie.vidal");
    auto list = driver.get("/vie-scolaire/justificatifs");
    ASSERT_EQ(list.status, 200);
    EXPECT_TRUE(contains(list.body, "Justificatifs à traiter"));
    EXPECT_TRUE(contains(list.body, "Obsèques de son grand-père à Alès."));
    EXPECT_TRUE(contains(list.body, "TPRO"));
    auto bad = driver.post("/vie-scolaire/declarations/" + std::to_string(accepted) + "/decision",
        { { "csrf", driver.csrf_token() }, { "decision", "peut-etre" } });
    EXPECT_EQ(bad.status, 400);
    EXPECT_EQ(declaration_state(driver, accepted), "en_attente");
    auto yes = driver.post("/vie-scolaire/declarations/" + std::to_string(accepted) + "/decision",
        { { "csrf", driver.csrf_token() }, { "decision", "accepter" },
            { "commentaire", "Bon courage à la famille." } });
    EXPECT_EQ(yes.status, 303);
    auto no = driver.post("/vie-scolaire/declarations/" + std::to_string(refused) + "/decision",
        { { "csrf", driver.csrf_token() }, { "decision", "refuser" }, { "commentaire", "Motif non recevable." } });
    EXPECT_EQ(no.status, 303);
    EXPECT_EQ(state_of(driver, first), "justifiee");
    EXPECT_EQ(state_of(driver, second), "non_valable");
    EXPECT_EQ(declaration_state(driver, accepted), "acceptee");
    EXPECT_EQ(declaration_state(driver, refused), "refusee");
    // Decided once only.
    EXPECT_EQ(driver
                  .post("/vie-scolaire/declarations/" + std::to_string(refused) + "/decision",
                      { { "csrf", driver.csrf_token() }, { "decision", "accepter" } })
                  .status,
        409);
    EXPECT_EQ(state_of(driver, second), "non_valable");
    EXPECT_FALSE(contains(driver.get("/vie-scolaire/justificatifs").body, "Obsèques"));
    EXPECT_EQ(absence_notices(driver, "andre.chamson", "Justificatif accepté pour Louis CHAMSON"), 1);
    EXPECT_EQ(absence_notices(driver, "andre.chamson", "Justificatif refusé pour Louis CHAMSON"), 1);
    sign_in(driver, "andre.chamson");
    auto page = driver.get("/vie-scolaire");
    EXPECT_TRUE(contains(page.body, "non valable"));
    auto refused_page = driver.get("/vie-scolaire/declarations/" + std::to_string(refused));
    EXPECT_TRUE(contains(refused_page.body, "refusée"));
    EXPECT_TRUE(contains(refused_page.body, "Motif non recevable."));
}

// A declaration in advance regularises the absences recorded in its range,
// at once for those already there, through after_recording for later ones:
// « justifiée » with an accepted motive, « en attente » otherwise.
TEST(AttendanceFamily, DeclarationInAdvanceMeetsRecordedAbsences)
{
    AppDriver driver;
    auto const before_declaring = add_event(driver, "louis.chamson", today(), 8 * 60LL, 9 * 60LL);
    auto const louis = user_id(driver, "louis.chamson");
    sign_in(driver, "andre.chamson");
    ASSERT_EQ(driver.get("/vie-scolaire/declarer").status, 200);
    auto sent = driver.post_files("/vie-scolaire/declarer",
        { { "csrf", driver.csrf_token() }, { "eleve", std::to_string(louis) }, { "du", school_time::iso_day(today()) },
            { "au", school_time::iso_day(today() + 1) },
            { "motif", std::to_string(motive(driver, "Rendez-vous médical")) },
            { "commentaire", "Opération des dents de sagesse à Nîmes." } },
        { { "justificatif", "convocation.png", std::string("\x89PNG\r\n\x1A\n", 8) + "image" } });
    ASSERT_EQ(sent.status, 303) << sent.body;
    auto const declaration = last_declaration(driver);
    EXPECT_EQ(declaration_state(driver, declaration), "acceptee");
    EXPECT_EQ(state_of(driver, before_declaring), "justifiee");
    auto page = driver.get(sent.header("Location"));
    EXPECT_TRUE(contains(page.body, "a bien été reçue le"));
    // Recorded later in the range: justified, the declarant told, no
    // « absent » notice to the guardians.
    auto const later = add_event(driver, "louis.chamson", today() + 1, 10 * 60LL, 11 * 60LL);
    auto const outside = add_event(driver, "louis.chamson", today() + 2, 10 * 60LL, 11 * 60LL);
    record(driver, { later, outside });
    EXPECT_EQ(state_of(driver, later), "justifiee");
    EXPECT_EQ(state_of(driver, outside), "non_justifiee");
    EXPECT_EQ(query_value(driver,
                  "SELECT COUNT(*) FROM attendance_justified WHERE declaration_id = " + std::to_string(declaration)),
        2);
    // A motive the CPE decides: the absence waits for him.
    ASSERT_EQ(driver.get("/vie-scolaire/declarer").status, 200);
    auto pending = driver.post("/vie-scolaire/declarer",
        { { "csrf", driver.csrf_token() }, { "eleve", std::to_string(louis) },
            { "du", school_time::iso_day(today() + 5) }, { "du_heure", "13:30" },
            { "au", school_time::iso_day(today() + 5) },
            { "motif", std::to_string(motive(driver, "Raison familiale")) } });
    ASSERT_EQ(pending.status, 303) << pending.body;
    auto const waiting = last_declaration(driver);
    EXPECT_EQ(declaration_state(driver, waiting), "en_attente");
    auto const morning = add_event(driver, "louis.chamson", today() + 5, 8 * 60LL, 9 * 60LL);
    auto const afternoon = add_event(driver, "louis.chamson", today() + 5, 14 * 60LL, 15 * 60LL);
    record(driver, { morning, afternoon });
    EXPECT_EQ(state_of(driver, morning), "non_justifiee"); // before 13:30
    EXPECT_EQ(state_of(driver, afternoon), "en_attente");
    sign_in(driver, "nathalie.vidal");
    ASSERT_EQ(driver.get("/vie-scolaire/justificatifs").status, 200);
    ASSERT_EQ(driver
                  .post("/vie-scolaire/declarations/" + std::to_string(waiting) + "/decision",
                      { { "csrf", driver.csrf_token() }, { "decision", "accepter" } })
                  .status,
        303);
    EXPECT_EQ(state_of(driver, afternoon), "justifiee");
    EXPECT_EQ(state_of(driver, morning), "non_justifiee");
}

// An unjustified absence is told to each guardian once per half-day; a
// lateness is not; the guardian's choices are followed.
TEST(AttendanceFamily, AfterRecordingNotifiesOncePerHalfDay)
{
    AppDriver driver;
    auto const day = today() - 1;
    auto const first = add_event(driver, "louis.chamson", day, 8 * 60LL, 9 * 60LL);
    auto notified = record(driver, { first });
    EXPECT_EQ(absence_notices(driver, "andre.chamson", "Absence de Louis CHAMSON"), 1);
    EXPECT_NE(std::find(notified.people.begin(), notified.people.end(), user_id(driver, "andre.chamson")),
        notified.people.end());
    {
        auto lease = driver.services().database->lease();
        std::string link;
        lease.session() << "SELECT link FROM notifications_item WHERE event = 'absence' ORDER BY id DESC LIMIT 1",
            soci::into(link);
        EXPECT_EQ(link, "/vie-scolaire?eleve=" + std::to_string(user_id(driver, "louis.chamson")));
    }
    EXPECT_GT(query_value(driver, "SELECT notified_at FROM attendance_event WHERE id = " + std::to_string(first)), 0);
    // The same morning, again, or the call corrected: nothing more.
    auto const second = add_event(driver, "louis.chamson", day, 10 * 60LL, 11 * 60LL);
    record(driver, { second });
    record(driver, { first });
    EXPECT_EQ(absence_notices(driver, "andre.chamson"), 1);
    // A lateness: shown, not told.
    auto const late = add_event(driver, "louis.chamson", day, 13 * 60LL, 14 * 60LL, "retard");
    record(driver, { late });
    EXPECT_EQ(absence_notices(driver, "andre.chamson"), 1);
    // The afternoon: told again.
    auto const afternoon = add_event(driver, "louis.chamson", day, 15 * 60LL, 16 * 60LL);
    record(driver, { afternoon });
    EXPECT_EQ(absence_notices(driver, "andre.chamson"), 2);
    // Karim BENALI turned off absences for Inès in the ENT: nothing there.
    auto const karim = user_id(driver, "karim.benali");
    auto const ines = user_id(driver, "ines.benali");
    {
        auto lease = driver.services().database->lease();
        lease.session() << "INSERT INTO notifications_choice (user_id, event, child_id, channel, enabled) VALUES "
                           "(:user, 'absence', :child, 'ent', 0)",
            soci::use(karim), soci::use(ines);
    }
    record(driver, { add_event(driver, "ines.benali", day, 8 * 60LL, 9 * 60LL) });
    EXPECT_EQ(absence_notices(driver, "karim.benali"), 0);
    // Without that choice, the default tells him.
    record(driver, { add_event(driver, "hugo.fabre", day, 8 * 60LL, 9 * 60LL) });
    EXPECT_EQ(query_value(driver,
                  "SELECT COUNT(*) FROM notifications_item WHERE event = 'absence' AND child_id = "
                      + std::to_string(user_id(driver, "hugo.fabre"))),
        query_value(driver,
            "SELECT COUNT(*) FROM identity_guardian_link WHERE student_id = "
                + std::to_string(user_id(driver, "hugo.fabre"))));
}

// The e-mail of a guardian who chose e-mails names the student, the day
// and the hours.
TEST(AttendanceFamily, AbsenceEmailSaysWhen)
{
    AppDriver driver;
    auto const andre = user_id(driver, "andre.chamson");
    {
        auto lease = driver.services().database->lease();
        auto choices = preferences::choices_of(lease.session(), andre);
        choices.notification_email = "andre.chamson@example.fr";
        choices.notify_structure = true;
        preferences::save_choices(lease.session(), andre, choices, 1000);
    }
    auto const day = today() - 1;
    auto const notified = record(driver, { add_event(driver, "louis.chamson", day, 8 * 60LL, 9 * 60LL) });
    EXPECT_GE(notified.outbox_rows, 1U);
    auto lease = driver.services().database->lease();
    std::string body;
    lease.session() << "SELECT text_body FROM notify_outbox WHERE recipient = 'andre.chamson@example.fr' ORDER BY id "
                       "DESC LIMIT 1",
        soci::into(body);
    auto const long_day = school_time::long_day(day);
    EXPECT_TRUE(contains(
        body, "Louis CHAMSON a été noté absent le " + long_day.substr(0, long_day.rfind(' ')) + " de 08:00 à 09:00."))
        << body;
}

// Uploads: a PDF and a PNG are taken; a program renamed .pdf and a file over
// 5 Mo are refused in French, with nothing written.
TEST(AttendanceFamily, UploadsCheckedByContentAndSize)
{
    AppDriver driver;
    auto const one = add_event(driver, "louis.chamson", today() - 3, 8 * 60LL, 9 * 60LL);
    auto const two = add_event(driver, "louis.chamson", today() - 2, 8 * 60LL, 9 * 60LL);
    auto const illness = motive(driver, "Maladie");
    sign_in(driver, "andre.chamson");
    auto const before = rows_of_tables(driver, "attendance%");
    auto const files_before = stored_files(driver);
    auto exe = justify(driver, one, illness, "Certificat", { { "justificatif", "certificat.pdf", "MZ\x90 program" } });
    EXPECT_EQ(exe.status, 400);
    EXPECT_TRUE(contains(exe.body, "ni une photo (JPEG ou PNG) ni un document PDF"));
    auto large = justify(driver, one, illness, "Certificat",
        { { "justificatif", "scan.pdf", std::string(PDF) + std::string((5U << 20U), 'x') } });
    EXPECT_EQ(large.status, 400);
    EXPECT_TRUE(contains(large.body, "dépasse 5 Mo"));
    auto empty = justify(driver, one, illness, "Certificat", { { "justificatif", "vide.pdf", "" } });
    EXPECT_EQ(empty.status, 400);
    EXPECT_TRUE(contains(empty.body, "est vide"));
    auto no_motive = justify(driver, one, 0, "Certificat");
    EXPECT_EQ(no_motive.status, 400);
    EXPECT_TRUE(contains(no_motive.body, "Choisissez le motif"));
    auto long_comment = justify(driver, one, illness, std::string(1001, 'a'));
    EXPECT_EQ(long_comment.status, 400);
    EXPECT_TRUE(contains(long_comment.body, "1 000 caractères"));
    // A motive kept for the school's own use is not offered to families.
    auto school_only = justify(driver, one, motive(driver, "Activité scolaire (sortie, compétition UNSS)"), "");
    EXPECT_EQ(school_only.status, 400);
    EXPECT_EQ(rows_of_tables(driver, "attendance%"), before);
    EXPECT_EQ(stored_files(driver), files_before);
    EXPECT_EQ(state_of(driver, one), "non_justifiee");
    EXPECT_EQ(justify(driver, one, illness, "", { { "justificatif", "ordonnance.pdf", PDF } }).status, 303);
    EXPECT_EQ(justify(driver, two, illness, "",
                  { { "justificatif", "photo.png", std::string("\x89PNG\r\n\x1A\n", 8) + "pixels" } })
                  .status,
        303);
    EXPECT_EQ(stored_files(driver), files_before + 2);
    auto png = driver.get("/vie-scolaire/declarations/" + std::to_string(last_declaration(driver)) + "/justificatif");
    EXPECT_EQ(png.status, 200);
    EXPECT_EQ(png.header("Content-Type"), "image/png");
}

// Bad ranges are refused in French on the form, and nothing is written.
TEST(AttendanceFamily, BadDatesRefusedInFrench)
{
    AppDriver driver;
    auto const louis = std::to_string(user_id(driver, "louis.chamson"));
    auto const illness = std::to_string(motive(driver, "Maladie"));
    sign_in(driver, "andre.chamson");
    auto const before = rows_of_tables(driver, "attendance%");
    struct Case {
        std::string from;
        std::string from_time;
        std::string to;
        std::string to_time;
        char const* message;
    };
    auto const day = [](long long offset) { return school_time::iso_day(today() + offset); };
    std::vector<Case> const cases {
        { "demain", "", day(1), "", "La date « Du »" },
        { day(1), "", "", "", "La date « Au »" },
        { day(1), "25:00", day(1), "", "heure « à partir de »" },
        { day(3), "", day(1), "", "doit venir après son début" },
        { day(1), "10:00", day(1), "09:00", "doit venir après son début" },
        { day(-31), "", day(-31), "", "plus de 30 jours" },
        { day(1), "", day(61), "", "60 jours au plus" },
        { day(400), "", day(401), "", "au plus un an" },
    };
    for (auto const& each : cases) {
        driver.get("/vie-scolaire/declarer");
        auto response = driver.post("/vie-scolaire/declarer",
            { { "csrf", driver.csrf_token() }, { "eleve", louis }, { "du", each.from }, { "du_heure", each.from_time },
                { "au", each.to }, { "au_heure", each.to_time }, { "motif", illness } });
        EXPECT_EQ(response.status, 400) << each.message;
        EXPECT_TRUE(contains(response.body, each.message)) << each.message;
    }
    EXPECT_EQ(rows_of_tables(driver, "attendance%"), before);
    // The longest allowed range and 30 days back are taken.
    driver.get("/vie-scolaire/declarer");
    EXPECT_EQ(driver
                  .post("/vie-scolaire/declarer",
                      { { "csrf", driver.csrf_token() }, { "eleve", louis }, { "du", day(-30) }, { "au", day(29) },
                          { "motif", illness } })
                  .status,
        303);
}

// Scripts typed in comments and file names come back escaped on every page.
TEST(AttendanceFamily, XssInCommentsIsEscaped)
{
    AppDriver driver;
    auto const family = motive(driver, "Raison familiale");
    auto const louis = std::to_string(user_id(driver, "louis.chamson"));
    std::vector<std::string> const payloads { "<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
        "\"><svg onload=alert(1)>", "javascript:alert(1)" };
    long long offset = 1;
    for (auto const& payload : payloads) {
        auto const event = add_event(driver, "louis.chamson", today() - offset, 8 * 60LL, 9 * 60LL);
        sign_in(driver, "andre.chamson");
        ASSERT_EQ(justify(driver, event, family, "Commentaire " + payload,
                      { { "justificatif", "piece " + payload + ".pdf", PDF } })
                      .status,
            303)
            << payload;
        auto const justified = last_declaration(driver);
        driver.get("/vie-scolaire/declarer");
        ASSERT_EQ(driver
                      .post("/vie-scolaire/declarer",
                          { { "csrf", driver.csrf_token() }, { "eleve", louis },
                              { "du", school_time::iso_day(today() + offset) },
                              { "au", school_time::iso_day(today() + offset) }, { "motif", std::to_string(family) },
                              { "commentaire", "Déclaration " + payload } })
                      .status,
            303)
            << payload;
        auto const declared = last_declaration(driver);
        std::vector<std::string> pages { "/vie-scolaire/declarations/" + std::to_string(justified),
            "/vie-scolaire/declarations/" + std::to_string(declared), "/vie-scolaire" };
        for (auto const& path : pages) {
            auto page = driver.get(path);
            EXPECT_EQ(page.status, 200) << path;
            EXPECT_FALSE(contains(page.body, "<script>alert")) << path;
            EXPECT_FALSE(contains(page.body, "<img src=x")) << path;
            EXPECT_FALSE(contains(page.body, "<svg onload")) << path;
            EXPECT_FALSE(contains(page.body, "href=\"javascript:")) << path;
        }
        if (payload == payloads.front()) {
            EXPECT_TRUE(contains(driver.get(pages.front()).body, "Commentaire &lt;script&gt;alert(1)&lt;/script&gt;"));
        }
        sign_in(driver, "nathalie.vidal");
        auto list = driver.get("/vie-scolaire/justificatifs");
        EXPECT_FALSE(contains(list.body, "<script>alert")) << payload;
        EXPECT_FALSE(contains(list.body, "<img src=x")) << payload;
        EXPECT_FALSE(contains(list.body, "<svg onload")) << payload;
        ASSERT_EQ(driver
                      .post("/vie-scolaire/declarations/" + std::to_string(justified) + "/decision",
                          { { "csrf", driver.csrf_token() }, { "decision", "refuser" },
                              { "commentaire", "Réponse " + payload } })
                      .status,
            303);
        sign_in(driver, "andre.chamson");
        auto decided = driver.get("/vie-scolaire/declarations/" + std::to_string(justified));
        EXPECT_FALSE(contains(decided.body, "<script>alert")) << payload;
        EXPECT_FALSE(contains(decided.body, "<img src=x")) << payload;
        EXPECT_FALSE(contains(decided.body, "<svg onload")) << payload;
        ++offset;
    }
}

// Every route of this part, by every kind of person, with ids of another
// family's objects: 404 (never data), 403 for a forbidden write; nothing
// written.
TEST(AttendanceFamily, EveryRouteByEveryKindOfPerson)
{
    AppDriver driver;
    auto const event = add_event(driver, "louis.chamson", today() - 1, 8 * 60LL, 9 * 60LL);
    sign_in(driver, "andre.chamson");
    ASSERT_EQ(justify(driver, event, motive(driver, "Raison familiale"), "Rendez-vous administratif",
                  { { "justificatif", "convocation.pdf", PDF } })
                  .status,
        303);
    auto const declaration = last_declaration(driver);
    auto const louis = user_id(driver, "louis.chamson");
    std::vector<std::string> const mine { "/vie-scolaire", "/vie-scolaire/absences/{event}/justifier",
        "/vie-scolaire/declarer", "/vie-scolaire/declarations/{id}", "/vie-scolaire/declarations/{id}/justificatif",
        "/vie-scolaire/declarations/{id}/decision", "/vie-scolaire/justificatifs" };
    access::CapabilityRegistry registry;
    auto router = app::build_router(registry);
    ASSERT_FALSE(router.is_error());
    std::vector<http::Route const*> routes;
    for (auto const& route : router->routes())
        if (std::find(mine.begin(), mine.end(), route.pattern) != mine.end())
            routes.push_back(&route);
    ASSERT_EQ(routes.size(), 9U);
    auto path_of = [&](std::string const& pattern) {
        std::string path = pattern;
        for (auto const& [name, value] :
            std::vector<std::pair<std::string, long long>> { { "{event}", event }, { "{id}", declaration } }) {
            auto const at = path.find(name);
            if (at != std::string::npos)
                path.replace(at, name.size(), std::to_string(value));
        }
        if (pattern == "/vie-scolaire")
            path += "?eleve=" + std::to_string(louis);
        return path;
    };
    Form const form { { "motif", std::to_string(motive(driver, "Maladie")) }, { "commentaire", "Essai" },
        { "eleve", std::to_string(louis) }, { "du", school_time::iso_day(today() + 1) },
        { "au", school_time::iso_day(today() + 1) }, { "decision", "accepter" } };
    auto const before = rows_of_tables(driver, "attendance%");
    auto const notices = rows_of_tables(driver, "notifications%");
    // Other families and a teacher of no class: nothing of Louis exists.
    for (auto const* login : { "sophie.roux", "karim.benali", "pauline.chamson", "emma.roux", "achamson" }) {
        sign_in(driver, login);
        for (auto const* route : routes) {
            auto const path = path_of(route->pattern);
            if (route->method == http::Method::Get) {
                auto const query = route->pattern == "/vie-scolaire/declarer" ? "?eleve=" + std::to_string(louis) : "";
                auto const status = driver.get(path + query).status;
                bool const desk = route->capability == attendance::DESK;
                EXPECT_TRUE(status == 404 || (desk && status == 403)) << login << " " << path << " " << status;
                continue;
            }
            driver.get("/accueil");
            auto fields = form;
            fields.emplace_back("csrf", driver.csrf_token());
            auto const status = driver.post(path, fields).status;
            bool const desk = route->capability == attendance::DESK;
            EXPECT_TRUE(status == 404 || (desk && status == 403)) << login << " " << path << " " << status;
        }
    }
    // A teacher of TPRO sees Louis's absences, not the family's justificatifs,
    // and justifies or decides nothing.
    sign_in(driver, "samuel.beaumont");
    EXPECT_EQ(driver.get(path_of("/vie-scolaire")).status, 200);
    EXPECT_EQ(driver.get(path_of("/vie-scolaire/declarations/{id}")).status, 404);
    EXPECT_EQ(driver.get(path_of("/vie-scolaire/declarations/{id}/justificatif")).status, 404);
    EXPECT_EQ(driver.get(path_of("/vie-scolaire/absences/{event}/justifier")).status, 403);
    driver.get("/accueil");
    auto fields = form;
    fields.emplace_back("csrf", driver.csrf_token());
    EXPECT_EQ(driver.post(path_of("/vie-scolaire/absences/{event}/justifier"), fields).status, 403);
    EXPECT_EQ(driver.post(path_of("/vie-scolaire/declarer"), fields).status, 403);
    EXPECT_EQ(driver.post(path_of("/vie-scolaire/declarations/{id}/decision"), fields).status, 403);
    // The student himself: reads, sends nothing, decides nothing.
    sign_in(driver, "louis.chamson");
    EXPECT_EQ(driver.get(path_of("/vie-scolaire")).status, 200);
    EXPECT_EQ(driver.get(path_of("/vie-scolaire/declarations/{id}")).status, 200);
    driver.get("/accueil");
    fields = form;
    fields.emplace_back("csrf", driver.csrf_token());
    EXPECT_EQ(driver.post(path_of("/vie-scolaire/absences/{event}/justifier"), fields).status, 403);
    EXPECT_EQ(driver.post(path_of("/vie-scolaire/declarations/{id}/decision"), fields).status, 403);
    // The administrator (direction) reads, decides nothing.
    sign_in(driver, "admin.ent");
    driver.get("/accueil");
    fields = form;
    fields.emplace_back("csrf", driver.csrf_token());
    EXPECT_EQ(driver.post(path_of("/vie-scolaire/declarations/{id}/decision"), fields).status, 403);
    EXPECT_EQ(driver.post(path_of("/vie-scolaire/absences/{event}/justifier"), fields).status, 403);
    EXPECT_EQ(rows_of_tables(driver, "attendance%"), before);
    EXPECT_EQ(rows_of_tables(driver, "notifications%"), notices);
    EXPECT_EQ(declaration_state(driver, declaration), "en_attente");
}

// « Mes données »: the student's absences and the guardian's justificatifs.
TEST(AttendanceFamily, PersonalDataAndDeparture)
{
    AppDriver driver;
    auto const event = add_event(driver, "louis.chamson", today() - 1, 8 * 60LL, 9 * 60LL);
    sign_in(driver, "andre.chamson");
    ASSERT_EQ(justify(driver, event, motive(driver, "Maladie"), "Grippe", { { "justificatif", "certificat.pdf", PDF } })
                  .status,
        303);
    auto louis = account(driver, "louis.chamson");
    auto andre = account(driver, "andre.chamson");
    auto lease = driver.services().database->lease();
    auto const student_json = attendance::family::personal_data_json(lease.session(), louis);
    EXPECT_TRUE(contains(student_json, "absences_et_retards"));
    EXPECT_TRUE(contains(student_json, "Grippe"));
    auto const guardian_json = attendance::family::personal_data_json(lease.session(), andre);
    EXPECT_TRUE(contains(guardian_json, "justificatifs_envoyes"));
    EXPECT_TRUE(contains(guardian_json, "certificat.pdf"));
    auto const files = attendance::family::forget_student(lease.session(), louis.id);
    EXPECT_EQ(files.size(), 1U);
    long long left = 0;
    lease.session() << "SELECT COUNT(*) FROM attendance_declaration WHERE student_id = :id", soci::use(louis.id),
        soci::into(left);
    EXPECT_EQ(left, 0);
}

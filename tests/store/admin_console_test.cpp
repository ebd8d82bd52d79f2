// SPDX-License-Identifier: AGPL-3.0-or-later
// The administration console: who reaches it, people, classes and groups,
// communication rules, quotas, the platform's structures and académies, and
// the journal where every administrator's action lands. Route tests on
// SQLite and PostgreSQL.
#include "app/demo_school.h"
#include "core/identity/identity_store.h"
#include "services/admin/admin.h"
#include "tests/support/app_driver.h"
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <regex>

using namespace cartable;
using access::Profile;
using cartable::testing::AppDriver;
using cartable::testing::contains;
using cartable::testing::user_id;

namespace {

long long demo_structure(AppDriver& driver)
{
    auto lease = driver.services().database->lease();
    return identity::store::find_structure_by_uai(lease.session(), "0300027A")->id;
}

identity::User person(long long id, Profile profile, long long structure, bool active = true)
{
    identity::User user;
    user.id = id;
    user.profile = profile;
    user.structure_id = structure;
    user.active = active;
    return user;
}

long long audit_count(AppDriver& driver, std::string const& action)
{
    auto lease = driver.services().database->lease();
    long long count = 0;
    lease.session() << "SELECT COUNT(*) FROM identity_audit WHERE action = :action", soci::use(action),
        soci::into(count);
    return count;
}

// Another structure and its administrator (password « Garrigue-2027 »).
long long other_structure_with_admin(AppDriver& driver)
{
    auto lease = driver.services().database->lease();
    identity::Structure structure;
    structure.uai = "0340001B";
    structure.name = "Collège Jean Moulin";
    structure.academy = "Montpellier";
    structure.region = "Occitanie";
    auto id = identity::store::create_structure(lease.session(), structure);
    identity::User admin;
    admin.login = "admin.moulin";
    admin.first_name = "Paul";
    admin.last_name = "ROCHE";
    admin.profile = Profile::Admin;
    admin.structure_id = id;
    identity::store::create_user(
        lease.session(), admin, driver.services().password_hasher->hash("Garrigue-2027").release_value());
    return id;
}

// Back to a session kept aside (its page gives the CSRF token).
void resume(AppDriver& driver, std::string const& session)
{
    driver.forget_cookies();
    driver.set_cookie("cartable_session", session);
    driver.get("/admin");
}

} // namespace

TEST(CommunicationPolicy, DefaultsAsATable)
{
    struct Row {
        Profile from;
        Profile to;
        bool allowed;
    };
    Row const rows[] = {
        { Profile::Student, Profile::Student, true },
        { Profile::Student, Profile::Guardian, false },
        { Profile::Student, Profile::Teacher, true },
        { Profile::Student, Profile::Staff, true },
        { Profile::Student, Profile::Admin, false },
        { Profile::Guardian, Profile::Student, false },
        { Profile::Guardian, Profile::Guardian, false },
        { Profile::Guardian, Profile::Teacher, true },
        { Profile::Guardian, Profile::Staff, true },
        { Profile::Guardian, Profile::Admin, false },
        { Profile::Teacher, Profile::Student, true },
        { Profile::Teacher, Profile::Guardian, true },
        { Profile::Teacher, Profile::Teacher, true },
        { Profile::Staff, Profile::Guardian, true },
        { Profile::Admin, Profile::Student, true },
    };
    auto rules = admin::CommunicationRules::defaults();
    for (auto const& row : rows) {
        EXPECT_EQ(rules.allows(row.from, row.to), row.allowed)
            << access::profile_code(row.from) << " → " << access::profile_code(row.to);
    }
}

TEST(CommunicationPolicy, MayWriteKeepsToTheStructureAndItsRules)
{
    auto rules = admin::CommunicationRules::defaults();
    struct Row {
        char const* what;
        identity::User from;
        identity::User to;
        bool allowed;
    };
    auto platform = person(9, Profile::Admin, 30);
    platform.platform_admin = true;
    Row const rows[] = {
        { "a guardian to a teacher of the structure", person(1, Profile::Guardian, 10), person(2, Profile::Teacher, 10),
            true },
        { "a guardian to a teacher of another structure", person(1, Profile::Guardian, 10),
            person(3, Profile::Teacher, 20), false },
        { "a teacher to a deactivated student", person(2, Profile::Teacher, 10), person(4, Profile::Student, 10, false),
            false },
        { "a deactivated teacher to a student", person(2, Profile::Teacher, 10, false), person(4, Profile::Student, 10),
            false },
        { "a student to a guardian", person(4, Profile::Student, 10), person(1, Profile::Guardian, 10), false },
        { "oneself", person(2, Profile::Teacher, 10), person(2, Profile::Teacher, 10), false },
        { "the platform's administrator to anyone", platform, person(4, Profile::Student, 10), true },
    };
    for (auto const& row : rows)
        EXPECT_EQ(admin::may_write(rules, row.from, row.to), row.allowed) << row.what;
    // A structure that lets guardians write to each other.
    rules.set(Profile::Guardian, Profile::Guardian, true);
    EXPECT_TRUE(admin::may_write(rules, person(1, Profile::Guardian, 10), person(5, Profile::Guardian, 10)));
}

TEST(AdminConsole, OnlyAdministratorsReachItAndThePlatformOnlyItsAdministrators)
{
    AppDriver driver;
    ASSERT_EQ(driver.sign_in("samuel.beaumont", app::DEMO_PASSWORD).status, 303);
    for (auto const* target : { "/admin", "/admin/personnes", "/admin/classes", "/admin/communication", "/admin/quotas",
             "/admin/journal", "/admin/plateforme/etablissements" })
        EXPECT_EQ(driver.get(target).status, 403) << target;

    driver.forget_cookies();
    ASSERT_EQ(driver.sign_in("olivier.pradel", app::DEMO_PASSWORD).status, 303);
    auto home = driver.get("/admin");
    ASSERT_EQ(home.status, 200);
    EXPECT_TRUE(contains(home.body, "Règles de communication"));
    EXPECT_FALSE(contains(home.body, "/admin/plateforme/etablissements"));
    EXPECT_TRUE(contains(driver.get("/accueil").body, "href=\"/admin\""));
    EXPECT_EQ(driver.get("/admin/plateforme/etablissements").status, 403);
    EXPECT_EQ(driver.get("/admin/plateforme/academies").status, 403);
    EXPECT_EQ(driver.get("/admin/charte").status, 403);

    driver.forget_cookies();
    ASSERT_EQ(driver.sign_in("admin.ent", app::DEMO_PASSWORD).status, 303);
    auto platform_home = driver.get("/admin");
    ASSERT_EQ(platform_home.status, 200);
    EXPECT_TRUE(contains(platform_home.body, "/admin/plateforme/etablissements"));
    EXPECT_EQ(driver.get("/admin/plateforme/etablissements").status, 200);
}

TEST(AdminConsole, PeopleAreFoundAndTheirSheetReadIsLogged)
{
    AppDriver driver;
    ASSERT_EQ(driver.sign_in("olivier.pradel", app::DEMO_PASSWORD).status, 303);
    auto found = driver.get("/admin/personnes?q=chamson");
    ASSERT_EQ(found.status, 200);
    EXPECT_TRUE(contains(found.body, "andre.chamson"));
    EXPECT_TRUE(contains(found.body, "louis.chamson"));
    EXPECT_FALSE(contains(found.body, "emma.roux"));
    auto guardians = driver.get("/admin/personnes?profil=guardian");
    EXPECT_TRUE(contains(guardians.body, "sophie.roux"));
    EXPECT_FALSE(contains(guardians.body, "louis.chamson"));

    auto andre = user_id(driver, "andre.chamson");
    auto sheet = driver.get("/admin/personnes/" + std::to_string(andre));
    ASSERT_EQ(sheet.status, 200);
    EXPECT_TRUE(contains(sheet.body, "andre.chamson@outlook.fr"));
    EXPECT_TRUE(contains(sheet.body, "Louis CHAMSON"));
    auto lease = driver.services().database->lease();
    long long logged = 0;
    lease.session() << "SELECT COUNT(*) FROM directory_access_log WHERE person_id = :person AND viewer_id = :viewer",
        soci::use(andre), soci::use(user_id(driver, "olivier.pradel")), soci::into(logged);
    EXPECT_EQ(logged, 1);
}

TEST(AdminConsole, AnotherStructuresAdministratorReachesNothingOfThisOne)
{
    AppDriver driver;
    other_structure_with_admin(driver);
    ASSERT_EQ(driver.sign_in("admin.moulin", "Garrigue-2027").status, 303);
    auto louis = std::to_string(user_id(driver, "louis.chamson"));
    EXPECT_EQ(driver.get("/admin/personnes/" + louis).status, 404);
    EXPECT_EQ(
        driver.post("/admin/personnes/" + louis + "/desactiver", { { "csrf", driver.csrf_token() } }).status, 404);
    EXPECT_EQ(driver.post("/admin/personnes/" + louis + "/code", { { "csrf", driver.csrf_token() } }).status, 404);
    EXPECT_EQ(driver.get("/admin/personnes?uai=0300027A").status, 403);
    EXPECT_EQ(driver.get("/admin/communication?uai=0300027A").status, 403);
    EXPECT_FALSE(contains(driver.get("/admin/personnes?q=chamson").body, "louis.chamson"));
    long long tpro = 0;
    {
        auto lease = driver.services().database->lease();
        lease.session() << "SELECT id FROM identity_class WHERE name = 'TPRO'", soci::into(tpro);
    }
    EXPECT_EQ(driver.get("/admin/classes/" + std::to_string(tpro)).status, 404);
    EXPECT_EQ(driver
                  .post("/admin/classes/" + std::to_string(tpro) + "/eleves",
                      { { "csrf", driver.csrf_token() }, { "identifiant", "louis.chamson" } })
                  .status,
        404);
    // A structure's administrator cannot act on the platform's.
    driver.forget_cookies();
    ASSERT_EQ(driver.sign_in("olivier.pradel", app::DEMO_PASSWORD).status, 303);
    auto claire = std::to_string(user_id(driver, "admin.ent"));
    EXPECT_EQ(
        driver.post("/admin/personnes/" + claire + "/desactiver", { { "csrf", driver.csrf_token() } }).status, 403);
}

TEST(AdminConsole, DeactivationEndsSessionsAndReactivationRestores)
{
    AppDriver driver;
    ASSERT_EQ(driver.sign_in("sophie.roux", app::DEMO_PASSWORD).status, 303);
    auto family_session = driver.cookie("cartable_session");
    driver.forget_cookies();
    ASSERT_EQ(driver.sign_in("olivier.pradel", app::DEMO_PASSWORD).status, 303);
    auto admin_session = driver.cookie("cartable_session");
    auto sophie = std::to_string(user_id(driver, "sophie.roux"));
    EXPECT_EQ(driver.post("/admin/personnes/" + sophie + "/desactiver", {}).status, 403); // no CSRF token
    auto done = driver.post("/admin/personnes/" + sophie + "/desactiver", { { "csrf", driver.csrf_token() } });
    EXPECT_EQ(done.status, 303);
    EXPECT_TRUE(contains(driver.get("/admin/personnes/" + sophie).body, "Désactivé"));
    driver.forget_cookies();
    driver.set_cookie("cartable_session", family_session);
    EXPECT_NE(driver.get("/accueil").status, 200);
    driver.forget_cookies();
    EXPECT_NE(driver.sign_in("sophie.roux", app::DEMO_PASSWORD).status, 303);
    EXPECT_EQ(audit_count(driver, "user_deactivated"), 1);

    resume(driver, admin_session);
    ASSERT_EQ(
        driver.post("/admin/personnes/" + sophie + "/reactiver", { { "csrf", driver.csrf_token() } }).status, 303);
    EXPECT_EQ(audit_count(driver, "user_reactivated"), 1);
    driver.forget_cookies();
    EXPECT_EQ(driver.sign_in("sophie.roux", app::DEMO_PASSWORD).status, 303);
    resume(driver, admin_session);
    // Not oneself.
    auto self = std::to_string(user_id(driver, "olivier.pradel"));
    EXPECT_EQ(driver.post("/admin/personnes/" + self + "/desactiver", { { "csrf", driver.csrf_token() } }).status, 400);
}

TEST(AdminConsole, ANewActivationCodeReplacesThePassword)
{
    AppDriver driver;
    ASSERT_EQ(driver.sign_in("olivier.pradel", app::DEMO_PASSWORD).status, 303);
    auto karim = std::to_string(user_id(driver, "karim.benali"));
    auto letter = driver.post("/admin/personnes/" + karim + "/code", { { "csrf", driver.csrf_token() } });
    ASSERT_EQ(letter.status, 200);
    EXPECT_EQ(letter.header("Cache-Control"), "no-store");
    EXPECT_TRUE(contains(letter.body, "karim.benali"));
    std::smatch code;
    ASSERT_TRUE(std::regex_search(letter.body, code, std::regex("[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}")));
    EXPECT_EQ(audit_count(driver, "activation_code_reset"), 1);

    driver.forget_cookies();
    EXPECT_NE(driver.sign_in("karim.benali", app::DEMO_PASSWORD).status, 303);
    driver.get("/connexion/activation");
    auto activated = driver.post("/connexion/activation",
        { { "csrf", driver.csrf_token() }, { "identifiant", "karim.benali" }, { "code", code.str() },
            { "mot_de_passe", "Cévennes-2027" }, { "confirmation", "Cévennes-2027" } });
    EXPECT_EQ(activated.status, 303);
}

TEST(AdminConsole, ClassesAndGroupsMembersAndTeachers)
{
    AppDriver driver;
    ASSERT_EQ(driver.sign_in("olivier.pradel", app::DEMO_PASSWORD).status, 303);
    auto list = driver.get("/admin/classes");
    ASSERT_EQ(list.status, 200);
    EXPECT_TRUE(contains(list.body, "TPRO"));
    EXPECT_TRUE(contains(list.body, "T STMG"));

    auto created = driver.post("/admin/classes", { { "csrf", driver.csrf_token() }, { "nom", "Atelier théâtre" } });
    ASSERT_EQ(created.status, 303);
    auto group_url = created.header("Location");
    EXPECT_EQ(driver.post("/admin/classes", { { "csrf", driver.csrf_token() }, { "nom", "Atelier théâtre" } })
                  .header("Location"),
        "/admin/classes?erreur=nom");

    auto refused
        = driver.post(group_url + "/eleves", { { "csrf", driver.csrf_token() }, { "identifiant", "inconnu" } });
    EXPECT_EQ(refused.status, 400);
    EXPECT_TRUE(contains(refused.body, "« inconnu »"));
    auto guardian
        = driver.post(group_url + "/eleves", { { "csrf", driver.csrf_token() }, { "identifiant", "andre.chamson" } });
    EXPECT_EQ(guardian.status, 400);
    EXPECT_EQ(
        driver.post(group_url + "/eleves", { { "csrf", driver.csrf_token() }, { "identifiant", "emma.roux" } }).status,
        303);

    long long subject = 0;
    {
        auto lease = driver.services().database->lease();
        auto structure = demo_structure(driver);
        lease.session() << "SELECT MIN(id) FROM identity_subject WHERE structure_id = :structure", soci::use(structure),
            soci::into(subject);
    }
    EXPECT_EQ(driver
                  .post(group_url + "/enseignants",
                      { { "csrf", driver.csrf_token() }, { "identifiant", "marie.delmas" },
                          { "matiere", std::to_string(subject) } })
                  .status,
        303);
    auto page = driver.get(group_url);
    EXPECT_TRUE(contains(page.body, "Emma ROUX"));
    EXPECT_TRUE(contains(page.body, "Marie DELMAS"));
    // Emma now reaches the group's space from her menu.
    auto admin_session = driver.cookie("cartable_session");
    driver.forget_cookies();
    ASSERT_EQ(driver.sign_in("emma.roux", app::DEMO_PASSWORD).status, 303);
    EXPECT_TRUE(contains(driver.get("/accueil").body, "Groupe Atelier théâtre"));
    resume(driver, admin_session);

    auto emma_id = std::to_string(user_id(driver, "emma.roux"));
    EXPECT_EQ(
        driver.post(group_url + "/eleves/retirer", { { "csrf", driver.csrf_token() }, { "personne", emma_id } }).status,
        303);
    EXPECT_FALSE(contains(driver.get(group_url).body, "Emma ROUX"));
    for (auto const* action : { "group_created", "class_member_added", "class_teacher_added", "class_member_removed" })
        EXPECT_EQ(audit_count(driver, action), 1) << action;
}

TEST(AdminConsole, CommunicationRulesAreSavedAndRestored)
{
    AppDriver driver;
    ASSERT_EQ(driver.sign_in("olivier.pradel", app::DEMO_PASSWORD).status, 303);
    auto page = driver.get("/admin/communication");
    ASSERT_EQ(page.status, 200);
    EXPECT_TRUE(contains(page.body, "name=\"r_guardian_teacher\" value=\"1\" checked"));
    // Every default, plus guardians to guardians; students no longer to students.
    std::vector<std::pair<std::string, std::string>> form { { "csrf", driver.csrf_token() } };
    auto defaults = admin::CommunicationRules::defaults();
    for (auto from : admin::PROFILES) {
        for (auto to : admin::PROFILES) {
            bool allowed = defaults.allows(from, to);
            if (from == Profile::Guardian && to == Profile::Guardian)
                allowed = true;
            if (from == Profile::Student && to == Profile::Student)
                allowed = false;
            if (allowed)
                form.emplace_back(
                    "r_" + std::string(access::profile_code(from)) + "_" + std::string(access::profile_code(to)), "1");
        }
    }
    auto saved = driver.post("/admin/communication", form);
    ASSERT_EQ(saved.status, 200);
    EXPECT_TRUE(contains(saved.body, "Les règles de communication sont enregistrées."));
    auto structure = demo_structure(driver);
    {
        auto lease = driver.services().database->lease();
        auto rules = admin::communication_rules(lease.session(), structure);
        EXPECT_TRUE(rules.allows(Profile::Guardian, Profile::Guardian));
        EXPECT_FALSE(rules.allows(Profile::Student, Profile::Student));
        EXPECT_TRUE(rules.allows(Profile::Teacher, Profile::Guardian));
    }
    EXPECT_EQ(audit_count(driver, "communication_rules_changed"), 1);
    ASSERT_EQ(driver.post("/admin/communication", { { "csrf", driver.csrf_token() }, { "defaut", "1" } }).status, 200);
    auto lease = driver.services().database->lease();
    EXPECT_TRUE(admin::communication_rules(lease.session(), structure) == admin::CommunicationRules::defaults());
}

TEST(AdminConsole, QuotasAreCheckedThenSaved)
{
    AppDriver driver;
    ASSERT_EQ(driver.sign_in("olivier.pradel", app::DEMO_PASSWORD).status, 303);
    auto page = driver.get("/admin/quotas");
    ASSERT_EQ(page.status, 200);
    EXPECT_TRUE(contains(page.body, "value=\"100\""));
    auto bad = driver.post("/admin/quotas",
        { { "csrf", driver.csrf_token() }, { "q_student", "deux cents" }, { "q_guardian", "50" },
            { "q_teacher", "1024" }, { "q_staff", "500" }, { "q_admin", "1024" } });
    EXPECT_EQ(bad.status, 400);
    EXPECT_TRUE(contains(bad.body, "Indiquez un nombre entier de Mo"));
    auto structure = demo_structure(driver);
    {
        auto lease = driver.services().database->lease();
        EXPECT_EQ(admin::quota_bytes(lease.session(), structure, Profile::Student), 100ULL * 1024 * 1024);
    }
    auto good = driver.post("/admin/quotas",
        { { "csrf", driver.csrf_token() }, { "q_student", "200" }, { "q_guardian", "50" }, { "q_teacher", "1024" },
            { "q_staff", "500" }, { "q_admin", "1024" } });
    EXPECT_EQ(good.status, 200);
    auto lease = driver.services().database->lease();
    EXPECT_EQ(admin::quota_bytes(lease.session(), structure, Profile::Student), 200ULL * 1024 * 1024);
    EXPECT_EQ(admin::quota_bytes(lease.session(), structure, Profile::Guardian), 50ULL * 1024 * 1024);
    EXPECT_EQ(audit_count(driver, "quotas_changed"), 1);
}

TEST(AdminConsole, PlatformStructuresAndAcademies)
{
    AppDriver driver;
    ASSERT_EQ(driver.sign_in("admin.ent", app::DEMO_PASSWORD).status, 303);
    ASSERT_EQ(driver
                  .post("/admin/plateforme/academies",
                      { { "csrf", driver.csrf_token() }, { "nom", "Toulouse" }, { "region", "Occitanie" } })
                  .status,
        303);
    auto academies = driver.get("/admin/plateforme/academies");
    EXPECT_TRUE(contains(academies.body, "Académie de Toulouse"));
    EXPECT_TRUE(contains(academies.body, "Académie de Montpellier"));

    auto bad = driver.post("/admin/plateforme/etablissements",
        { { "csrf", driver.csrf_token() }, { "uai", "31-ABC" }, { "nom", "" }, { "type", "Collège" },
            { "academie", "Toulouse" } });
    EXPECT_EQ(bad.status, 400);
    EXPECT_TRUE(contains(bad.body, "avec sept chiffres et une lettre"));
    EXPECT_TRUE(contains(bad.body, "Indiquez le nom de l"));
    auto created = driver.post("/admin/plateforme/etablissements",
        { { "csrf", driver.csrf_token() }, { "uai", "0310001a" }, { "nom", "Collège Pierre de Fermat" },
            { "type", "Collège" }, { "commune", "Toulouse" }, { "academie", "Toulouse" } });
    EXPECT_EQ(created.status, 303);
    {
        auto lease = driver.services().database->lease();
        auto structure = identity::store::find_structure_by_uai(lease.session(), "0310001A");
        ASSERT_TRUE(structure.has_value());
        EXPECT_EQ(structure->region, "Occitanie");
        EXPECT_EQ(structure->kind, "Collège");
    }
    auto duplicate = driver.post("/admin/plateforme/etablissements",
        { { "csrf", driver.csrf_token() }, { "uai", "0310001A" }, { "nom", "Autre" }, { "type", "Collège" },
            { "academie", "Toulouse" } });
    EXPECT_EQ(duplicate.status, 400);
    EXPECT_TRUE(contains(duplicate.body, "Un établissement a déjà cet UAI."));
    // The platform's administrator works on the new structure's console.
    EXPECT_EQ(driver.get("/admin/personnes?uai=0310001A").status, 200);
    EXPECT_EQ(audit_count(driver, "structure_created"), 1);
    EXPECT_EQ(audit_count(driver, "academy_saved"), 1);
}

TEST(AdminConsole, EveryAdministratorsActionReachesTheJournal)
{
    AppDriver driver;
    ASSERT_EQ(driver.sign_in("olivier.pradel", app::DEMO_PASSWORD).status, 303);
    auto hugo = std::to_string(user_id(driver, "hugo.fabre"));
    driver.post("/admin/personnes/" + hugo + "/desactiver", { { "csrf", driver.csrf_token() } });
    driver.post("/admin/personnes/" + hugo + "/reactiver", { { "csrf", driver.csrf_token() } });
    driver.post(
        "/admin/personnes/" + hugo + "/opposition", { { "csrf", driver.csrf_token() }, { "opposition", "oui" } });
    driver.post("/admin/classes", { { "csrf", driver.csrf_token() }, { "nom", "Chorale" } });
    auto journal = driver.get("/admin/journal");
    ASSERT_EQ(journal.status, 200);
    for (auto const* label : { "Compte désactivé", "Compte réactivé",
             "Opposition à la conservation des contributions enregistrée", "Groupe créé" })
        EXPECT_TRUE(contains(journal.body, label)) << label;
    EXPECT_TRUE(contains(journal.body, "Olivier PRADEL"));
    EXPECT_TRUE(contains(journal.body, "Hugo FABRE (hugo.fabre)"));
    // Another structure's journal does not show them.
    other_structure_with_admin(driver);
    driver.forget_cookies();
    ASSERT_EQ(driver.sign_in("admin.moulin", "Garrigue-2027").status, 303);
    EXPECT_FALSE(contains(driver.get("/admin/journal").body, "Hugo FABRE"));
}

TEST(AdminConsole, AStructuresAdministratorImportsItsCsvFilesAndReadsTheReport)
{
    AppDriver driver;
    other_structure_with_admin(driver);
    auto inbox = driver.services().config.data_directory / "import" / "inbox" / "0300027A";
    std::filesystem::create_directories(inbox);
    {
        std::ofstream students(inbox / "eleves.csv");
        students << "identifiant;nom;prenom;civilite;date_naissance;classe;groupes\n"
                    "V1;ESPAZE;Margot;Mme;14/05/2008;TPRO;THEATRE\n"
                    "V2;;Sans;M.;;TPRO;\n";
    }
    ASSERT_EQ(driver.sign_in("olivier.pradel", app::DEMO_PASSWORD).status, 303);
    auto depot = driver.get("/admin/depot");
    ASSERT_EQ(depot.status, 200);
    EXPECT_TRUE(contains(depot.body, "eleves.csv"));
    EXPECT_TRUE(contains(depot.body, "Lancer l"));
    EXPECT_FALSE(contains(depot.body, "Export AAF de l")); // the académie's inbox is the platform's

    // The simulation changes nothing and keeps the files.
    auto simulated
        = driver.post("/admin/imports", { { "csrf", driver.csrf_token() }, { "type", "csv" }, { "simulation", "1" } });
    ASSERT_EQ(simulated.status, 303);
    EXPECT_EQ(user_id(driver, "v1"), 0);
    EXPECT_TRUE(std::filesystem::exists(inbox / "eleves.csv"));

    auto imported = driver.post("/admin/imports", { { "csrf", driver.csrf_token() }, { "type", "csv" } });
    ASSERT_EQ(imported.status, 303);
    auto report = driver.get(imported.header("Location"));
    ASSERT_EQ(report.status, 200);
    EXPECT_TRUE(contains(report.body, "eleves.csv"));
    EXPECT_FALSE(std::filesystem::exists(inbox / "eleves.csv")); // archived
    auto history = driver.get("/admin/imports");
    EXPECT_TRUE(contains(history.body, "terminé"));
    EXPECT_TRUE(contains(driver.get("/admin/personnes?q=espaze").body, "Margot ESPAZE"));
    {
        // The group the files brought has its class space.
        auto lease = driver.services().database->lease();
        long long spaces = 0;
        lease.session() << "SELECT COUNT(*) FROM class_space s JOIN identity_class c ON c.id = s.class_id WHERE "
                           "c.name = 'THEATRE'",
            soci::into(spaces);
        EXPECT_EQ(spaces, 1);
    }
    // Nothing more to import.
    EXPECT_EQ(driver.post("/admin/imports", { { "csrf", driver.csrf_token() }, { "type", "csv" } }).status, 400);
    // A structure's administrator does not run the académie's feed.
    EXPECT_EQ(driver.post("/admin/imports", { { "csrf", driver.csrf_token() }, { "type", "aaf" } }).status, 403);

    // Another structure's administrator sees neither the import nor its report.
    auto report_url = imported.header("Location");
    driver.forget_cookies();
    ASSERT_EQ(driver.sign_in("admin.moulin", "Garrigue-2027").status, 303);
    EXPECT_EQ(driver.get(report_url).status, 404);
    EXPECT_FALSE(contains(driver.get("/admin/imports").body, report_url));
}

TEST(AdminConsole, ALocalAccountGetsItsLetterAndActivates)
{
    AppDriver driver;
    ASSERT_EQ(driver.sign_in("olivier.pradel", app::DEMO_PASSWORD).status, 303);
    ASSERT_EQ(driver.get("/admin/personnes/nouvelle").status, 200);
    auto bad = driver.post("/admin/personnes",
        { { "csrf", driver.csrf_token() }, { "civilite", "Mme" }, { "prenom", "Anne" }, { "nom", "" },
            { "profil", "admin" }, { "email", "pas-une-adresse" } });
    EXPECT_EQ(bad.status, 400);
    EXPECT_TRUE(contains(bad.body, "Indiquez le nom"));
    EXPECT_TRUE(contains(bad.body, "personnel ou enseignant"));
    EXPECT_TRUE(contains(bad.body, "adresse électronique n"));
    EXPECT_EQ(user_id(driver, "anne.serre"), 0);

    auto letter = driver.post("/admin/personnes",
        { { "csrf", driver.csrf_token() }, { "civilite", "Mme" }, { "prenom", "Anne" }, { "nom", "Serre" },
            { "profil", "staff" }, { "fonction", "Intervenante théâtre" }, { "email", "anne.serre@example.fr" } });
    ASSERT_EQ(letter.status, 200);
    EXPECT_TRUE(contains(letter.body, "anne.serre"));
    std::smatch code;
    ASSERT_TRUE(std::regex_search(letter.body, code, std::regex("[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}")));
    // A second Anne SERRE gets another login.
    driver.get("/admin/personnes/nouvelle");
    auto second = driver.post("/admin/personnes",
        { { "csrf", driver.csrf_token() }, { "prenom", "Anne" }, { "nom", "Serre" }, { "profil", "teacher" } });
    EXPECT_TRUE(contains(second.body, "anne.serre2"));
    EXPECT_EQ(audit_count(driver, "user_added"), 2);

    driver.forget_cookies();
    driver.get("/connexion/activation");
    auto activated = driver.post("/connexion/activation",
        { { "csrf", driver.csrf_token() }, { "identifiant", "anne.serre" }, { "code", code.str() },
            { "mot_de_passe", "Cévennes-2027" }, { "confirmation", "Cévennes-2027" } });
    EXPECT_EQ(activated.status, 303);
}

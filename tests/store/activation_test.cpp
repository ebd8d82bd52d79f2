// SPDX-License-Identifier: AGPL-3.0-or-later
// Activation codes of accounts without a password: the first sign-in with
// the code sets the password; the secretariat's page prints the letters.
// Route tests on SQLite and PostgreSQL.
#include "app/demo_school.h"
#include "core/identity/identity_store.h"
#include "services/account/activation.h"
#include "tests/support/app_driver.h"
#include <ctime>
#include <gtest/gtest.h>
#include <regex>

using namespace cartable;
using cartable::testing::AppDriver;
using cartable::testing::contains;
using cartable::testing::user_id;

namespace {

constexpr char const* NEW_PASSWORD = "Cévennes-2027";

long long now()
{
    return static_cast<long long>(std::time(nullptr));
}

long long demo_structure(AppDriver& driver)
{
    auto lease = driver.services().database->lease();
    return identity::store::find_structure_by_uai(lease.session(), "0300027A")->id;
}

// A person as the feed brings them: no password.
long long create_person(AppDriver& driver, std::string const& login, access::Profile profile,
    std::string const& class_name = {}, std::string const& first_name = "Léa")
{
    auto structure_id = demo_structure(driver);
    auto lease = driver.services().database->lease();
    auto& session = lease.session();
    identity::User user;
    user.login = login;
    user.civility = "Mme";
    user.first_name = first_name;
    user.last_name = "MOREL";
    user.profile = profile;
    user.structure_id = structure_id;
    auto id = identity::store::create_user(session, user, "");
    if (!class_name.empty()) {
        long long class_id = 0;
        session << "SELECT id FROM identity_class WHERE structure_id = :structure AND name = :name",
            soci::use(structure_id), soci::use(class_name), soci::into(class_id);
        identity::store::add_class_member(session, class_id, id);
    }
    return id;
}

std::string issue_code(AppDriver& driver, long long user_id, long long when)
{
    auto lease = driver.services().database->lease();
    return account::activation::issue(lease.session(), user_id, when);
}

std::string password_hash(AppDriver& driver, long long user_id)
{
    std::string hash;
    auto lease = driver.services().database->lease();
    lease.session() << "SELECT password_hash FROM identity_user WHERE id = :id", soci::use(user_id), soci::into(hash);
    return hash;
}

long long used_at(AppDriver& driver, long long user_id)
{
    long long used = 0;
    auto lease = driver.services().database->lease();
    lease.session() << "SELECT used_at FROM account_activation WHERE user_id = :id", soci::use(user_id),
        soci::into(used);
    return used;
}

http::Response activate(AppDriver& driver, std::string const& login, std::string const& code,
    std::string const& password = NEW_PASSWORD, std::string const& confirmation = NEW_PASSWORD)
{
    auto form = driver.get("/connexion/activation");
    EXPECT_EQ(form.status, 200);
    return driver.post("/connexion/activation",
        { { "csrf", driver.csrf_token() }, { "identifiant", login }, { "code", code }, { "mot_de_passe", password },
            { "confirmation", confirmation } });
}

std::string lower_without_dashes(std::string code)
{
    std::string result;
    for (char c : code) {
        if (c != '-')
            result += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return result;
}

} // namespace

TEST(ActivationCode, TwelveUnambiguousCharactersGroupedByFour)
{
    for (int round = 0; round < 50; ++round) {
        auto code = account::activation::new_code();
        ASSERT_EQ(code.size(), 12U);
        EXPECT_EQ(code.find_first_of("01OIL"), std::string::npos) << code;
        EXPECT_EQ(code.find_first_not_of("23456789ABCDEFGHJKMNPQRSTUVWXYZ"), std::string::npos) << code;
    }
    EXPECT_EQ(account::activation::grouped("K7QM4XPT9HRW"), "K7QM-4XPT-9HRW");
    EXPECT_EQ(account::activation::normalized("k7qm-4xpt 9hrw"), "K7QM4XPT9HRW");
    EXPECT_EQ(account::activation::normalized("K7QM-4XPT-9HRW"), "K7QM4XPT9HRW");
}

TEST(Activation, TheCredentialsFormLinksToIt)
{
    AppDriver driver;
    auto page = driver.get("/connexion/identifiants?profil=eleve-parent");
    EXPECT_TRUE(contains(page.body, "href=\"/connexion/activation\""));
    EXPECT_TRUE(contains(page.body, "Première connexion avec un code d'activation"));
    auto form = driver.get("/connexion/activation");
    ASSERT_EQ(form.status, 200);
    for (auto const* label : { "Identifiant", "Code d'activation", "Nouveau mot de passe", "Confirmer le mot de passe",
             "Activer mon compte" })
        EXPECT_TRUE(contains(form.body, label)) << label;
}

TEST(Activation, AWrongCodeOrLoginIsRefusedWithOneMessageAndChangesNothing)
{
    AppDriver driver;
    auto id = create_person(driver, "lea.morel", access::Profile::Student, "TPRO");
    auto code = issue_code(driver, id, now());

    auto wrong_code = activate(driver, "lea.morel", "AAAA-BBBB-CCCC");
    EXPECT_EQ(wrong_code.status, 401);
    auto wrong_login = activate(driver, "lea.morelle", code);
    EXPECT_EQ(wrong_login.status, 401);
    std::string message = "incorrect, ou code expiré ou déjà utilisé";
    EXPECT_TRUE(contains(wrong_code.body, message));
    EXPECT_TRUE(contains(wrong_login.body, message));
    EXPECT_EQ(driver.cookie("cartable_session"), "");
    EXPECT_EQ(password_hash(driver, id), "");
    EXPECT_EQ(used_at(driver, id), 0);

    // A person who has a password has no use for a code.
    auto demo = activate(driver, "louis.chamson", code);
    EXPECT_EQ(demo.status, 401);
}

TEST(Activation, TheRightCodeInAnyCaseSetsThePasswordOnce)
{
    AppDriver driver;
    auto id = create_person(driver, "lea.morel", access::Profile::Student, "TPRO");
    auto code = account::activation::grouped(issue_code(driver, id, now()));

    // Password rules first: nothing is used by a refused form.
    auto short_password = activate(driver, "lea.morel", code, "court", "court");
    EXPECT_EQ(short_password.status, 400);
    EXPECT_TRUE(contains(short_password.body, "8 caractères"));
    auto different = activate(driver, "lea.morel", code, NEW_PASSWORD, "Cévennes-2028");
    EXPECT_EQ(different.status, 400);
    EXPECT_TRUE(contains(different.body, "différents"));
    EXPECT_EQ(used_at(driver, id), 0);

    auto activated = activate(driver, " Lea.Morel", lower_without_dashes(code));
    ASSERT_EQ(activated.status, 303);
    EXPECT_EQ(activated.header("Location"), "/premiere-connexion");
    EXPECT_NE(driver.cookie("cartable_session"), "");
    EXPECT_NE(password_hash(driver, id), "");
    EXPECT_GT(used_at(driver, id), 0);
    EXPECT_EQ(driver.get("/premiere-connexion").status, 200);
    {
        long long audits = 0;
        auto lease = driver.services().database->lease();
        lease.session() << "SELECT COUNT(*) FROM identity_audit WHERE actor_id = :id AND action = 'account_activated'",
            soci::use(id), soci::into(audits);
        EXPECT_EQ(audits, 1);
    }

    // The password works for a normal sign-in; the code does not work twice.
    driver.forget_cookies();
    auto signed_in = driver.sign_in_only("lea.morel", NEW_PASSWORD);
    EXPECT_EQ(signed_in.status, 303);
    driver.forget_cookies();
    auto again = activate(driver, "lea.morel", code, "Autre-mot-2027", "Autre-mot-2027");
    EXPECT_EQ(again.status, 401);
    EXPECT_EQ(driver.sign_in_only("lea.morel", NEW_PASSWORD).status, 303);
}

TEST(Activation, AnExpiredCodeIsRefused)
{
    AppDriver driver;
    auto id = create_person(driver, "lea.morel", access::Profile::Student, "TPRO");
    auto code = issue_code(driver, id, now() - account::activation::VALIDITY_SECONDS - 60);
    auto expired = activate(driver, "lea.morel", code);
    EXPECT_EQ(expired.status, 401);
    EXPECT_EQ(password_hash(driver, id), "");

    // Still valid a minute before the end of its 90 days.
    auto fresh = issue_code(driver, id, now() - account::activation::VALIDITY_SECONDS + 60);
    EXPECT_EQ(activate(driver, "lea.morel", fresh).status, 303);
}

TEST(Activation, FailuresAreThrottledLikeSignIn)
{
    AppDriver driver([](Config& config) { config.sign_in_max_failures_per_account = 3; });
    auto id = create_person(driver, "lea.morel", access::Profile::Student, "TPRO");
    auto code = issue_code(driver, id, now());
    for (int attempt = 0; attempt < 3; ++attempt)
        EXPECT_EQ(activate(driver, "lea.morel", "AAAA-BBBB-CCCC").status, 401);
    auto throttled = activate(driver, "lea.morel", code);
    EXPECT_EQ(throttled.status, 429);
    EXPECT_TRUE(contains(throttled.body, "Trop de tentatives"));
    EXPECT_EQ(password_hash(driver, id), "");
    // Sign-in shares the count of the identifier.
    EXPECT_EQ(driver.sign_in_only("lea.morel", "n'importe").status, 429);
}

TEST(ActivationAdmin, RefusedToATeacherAndToAnAdministratorOfAnotherStructure)
{
    AppDriver driver;
    ASSERT_EQ(driver.sign_in("samuel.beaumont", app::DEMO_PASSWORD).status, 303);
    EXPECT_EQ(driver.get("/admin/activation").status, 403);
    EXPECT_EQ(
        driver.post("/admin/activation/lettres", { { "csrf", driver.csrf_token() }, { "classe", "TPRO" } }).status,
        403);

    long long other = 0;
    {
        auto lease = driver.services().database->lease();
        identity::Structure structure;
        structure.uai = "0340001B";
        structure.name = "Collège Jean Moulin";
        structure.city = "Montpellier";
        structure.academy = "Montpellier";
        other = identity::store::create_structure(lease.session(), structure);
        identity::User admin;
        admin.login = "admin.moulin";
        admin.first_name = "Paul";
        admin.last_name = "ROCHE";
        admin.profile = access::Profile::Admin;
        admin.structure_id = other;
        identity::store::create_user(
            lease.session(), admin, driver.services().password_hasher->hash(NEW_PASSWORD).release_value());
    }
    driver.forget_cookies();
    ASSERT_EQ(driver.sign_in("admin.moulin", NEW_PASSWORD).status, 303);
    EXPECT_EQ(driver.get("/admin/activation?etablissement=0300027A").status, 403);
    auto own = driver.get("/admin/activation");
    ASSERT_EQ(own.status, 200);
    EXPECT_TRUE(contains(own.body, "Collège Jean Moulin"));
    EXPECT_FALSE(contains(own.body, "TPRO"));
    auto letters = driver.post("/admin/activation/lettres",
        { { "csrf", driver.csrf_token() }, { "etablissement", "0300027A" }, { "classe", "TPRO" } });
    EXPECT_EQ(letters.status, 403);
    // Without naming the structure: the own one, where TPRO does not exist.
    auto unknown = driver.post("/admin/activation/lettres", { { "csrf", driver.csrf_token() }, { "classe", "TPRO" } });
    EXPECT_EQ(unknown.status, 400);
}

TEST(ActivationAdmin, LettersCarryTheLoginAndACodeAndTheLogsNeither)
{
    AppDriver driver;
    auto student = create_person(driver, "lea.morel", access::Profile::Student, "TPRO");
    auto guardian = create_person(driver, "claire.morel", access::Profile::Guardian, {}, "Claire");
    create_person(driver, "paul.morel", access::Profile::Student, "T STMG", "Paul");
    {
        auto lease = driver.services().database->lease();
        identity::store::link_guardian(lease.session(), guardian, student, "Mère");
    }
    ASSERT_EQ(driver.sign_in("admin.ent", app::DEMO_PASSWORD).status, 303);
    auto page = driver.get("/admin/activation");
    ASSERT_EQ(page.status, 200);
    EXPECT_TRUE(contains(page.body, "TPRO"));
    EXPECT_TRUE(contains(page.body, "T STMG"));
    EXPECT_TRUE(contains(page.body, "Personnels"));

    ::testing::internal::CaptureStderr();
    auto letters = driver.post("/admin/activation/lettres",
        { { "csrf", driver.csrf_token() }, { "etablissement", "0300027A" }, { "classe", "TPRO" }, { "profil", "" } });
    auto logs = ::testing::internal::GetCapturedStderr();
    ASSERT_EQ(letters.status, 200);
    EXPECT_EQ(letters.header("Cache-Control"), "no-store");
    EXPECT_TRUE(contains(letters.body, "<!doctype html>"));
    EXPECT_TRUE(contains(letters.body, "lettres.css"));
    EXPECT_TRUE(contains(letters.body, "Madame, Monsieur,"));
    EXPECT_TRUE(contains(letters.body, "lea.morel"));
    EXPECT_TRUE(contains(letters.body, "claire.morel"));
    EXPECT_TRUE(contains(letters.body, "responsable de Léa MOREL, classe TPRO"));
    EXPECT_FALSE(contains(letters.body, "paul.morel")); // another class
    EXPECT_FALSE(contains(letters.body, "louis.chamson")); // has a password
    EXPECT_TRUE(contains(letters.body, "Rendez-vous sur"));
    EXPECT_TRUE(contains(letters.body, "Première connexion avec un code d'activation"));
    std::regex code_pattern("[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}");
    std::vector<std::string> codes;
    for (std::sregex_iterator found(letters.body.begin(), letters.body.end(), code_pattern), end; found != end; ++found)
        codes.push_back(found->str());
    ASSERT_EQ(codes.size(), 2U);
    for (auto const& code : codes) {
        EXPECT_FALSE(contains(logs, code)) << logs;
        EXPECT_FALSE(contains(logs, lower_without_dashes(code))) << logs;
    }

    // The page counts the codes given; a second run gives none again.
    auto counted = driver.get("/admin/activation");
    EXPECT_TRUE(contains(counted.body, "<td>TPRO</td>"));
    auto second = driver.post("/admin/activation/lettres",
        { { "csrf", driver.csrf_token() }, { "etablissement", "0300027A" }, { "classe", "TPRO" } });
    ASSERT_EQ(second.status, 200);
    EXPECT_FALSE(contains(second.body, "lea.morel"));

    // The student's letter activates the account. Letters are by name:
    // Claire's before Léa's, and their codes in that order.
    ASSERT_LT(letters.body.find("claire.morel"), letters.body.find("lea.morel"));
    auto lea_code = codes.back();
    driver.forget_cookies();
    ::testing::internal::CaptureStderr();
    auto activated = activate(driver, "lea.morel", lea_code);
    logs = ::testing::internal::GetCapturedStderr();
    EXPECT_EQ(activated.status, 303);
    EXPECT_FALSE(contains(logs, lea_code));
}

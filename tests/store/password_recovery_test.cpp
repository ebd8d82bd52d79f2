// SPDX-License-Identifier: AGPL-3.0-or-later
// « Mot de passe oublié ? »: the same answer whether an account exists or
// not, a link by e-mail through the outbox, valid one hour and once, that
// ends every session. And the administrators' page of e-mail delivery.
// Route tests on SQLite and PostgreSQL.
#include "app/demo_school.h"
#include "core/identity/identity_store.h"
#include "services/account/password_recovery.h"
#include "services/preferences/preferences.h"
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
constexpr char const* SENT = "Si un compte correspond, un message vient d'être envoyé";

long long now()
{
    return static_cast<long long>(std::time(nullptr));
}

struct Outgoing {
    std::string recipient;
    std::string subject;
    std::string text;
    std::string html;
};

std::vector<Outgoing> outbox(AppDriver& driver)
{
    std::vector<Outgoing> messages;
    Outgoing row;
    auto lease = driver.services().database->lease();
    soci::statement statement = (lease.session().prepare << "SELECT recipient, subject, text_body, html_body "
                                                            "FROM notify_outbox ORDER BY id",
        soci::into(row.recipient), soci::into(row.subject), soci::into(row.text), soci::into(row.html));
    statement.execute();
    while (statement.fetch())
        messages.push_back(row);
    return messages;
}

http::Response ask(AppDriver& driver, std::string const& identifier)
{
    auto form = driver.get("/connexion/mot-de-passe-oublie");
    EXPECT_EQ(form.status, 200);
    return driver.post(
        "/connexion/mot-de-passe-oublie", { { "csrf", driver.csrf_token() }, { "identifiant", identifier } });
}

// The link's path, from the message's text.
std::string link_path(std::string const& text)
{
    std::smatch match;
    std::regex link("https?://[^/\\s]+(/connexion/nouveau-mot-de-passe/[A-Za-z0-9_-]{43})");
    return std::regex_search(text, match, link) ? match[1].str() : std::string();
}

http::Response choose(AppDriver& driver, std::string const& path, std::string const& password = NEW_PASSWORD,
    std::string const& confirmation = NEW_PASSWORD)
{
    return driver.post(
        path, { { "csrf", driver.csrf_token() }, { "mot_de_passe", password }, { "confirmation", confirmation } });
}

void set_reception_email(AppDriver& driver, std::string const& login, std::string const& email)
{
    auto id = user_id(driver, login);
    auto lease = driver.services().database->lease();
    auto choices = preferences::choices_of(lease.session(), id);
    choices.notification_email = email;
    preferences::save_choices(lease.session(), id, choices, now());
}

} // namespace

TEST(PasswordRecovery, TheCredentialsFormLinksToIt)
{
    AppDriver driver;
    auto page = driver.get("/connexion/identifiants?profil=eleve-parent");
    EXPECT_TRUE(contains(page.body, "href=\"/connexion/mot-de-passe-oublie\""));
    EXPECT_TRUE(contains(page.body, "Mot de passe oublié ?"));
    auto form = driver.get("/connexion/mot-de-passe-oublie");
    ASSERT_EQ(form.status, 200);
    EXPECT_TRUE(contains(form.body, "Identifiant ou adresse électronique"));
    EXPECT_TRUE(contains(form.body, "le secrétariat de votre établissement vous remettra un nouveau code"));
}

TEST(PasswordRecovery, TheAnswerIsTheSameWhetherAnAccountMatchesOrNot)
{
    AppDriver driver;
    auto unknown = ask(driver, "personne.inconnue");
    auto without_address = ask(driver, "louis.chamson"); // no e-mail in the directory nor in his preferences
    EXPECT_TRUE(outbox(driver).empty());
    auto known = ask(driver, "andre.chamson");
    for (auto const* response : { &unknown, &without_address, &known }) {
        EXPECT_EQ(response->status, 200);
        EXPECT_TRUE(contains(response->body, SENT)) << response->body;
    }
    EXPECT_EQ(unknown.body, known.body);
    EXPECT_EQ(without_address.body, known.body);

    auto messages = outbox(driver);
    ASSERT_EQ(messages.size(), 1U);
    EXPECT_EQ(messages[0].recipient, "andre.chamson@outlook.fr"); // the directory's, until he chooses one
    EXPECT_TRUE(contains(messages[0].subject, "Nouveau mot de passe"));
    EXPECT_TRUE(contains(messages[0].text, "« andre.chamson »"));
    EXPECT_TRUE(contains(messages[0].text, "valable une heure"));
    EXPECT_FALSE(link_path(messages[0].text).empty());
    EXPECT_TRUE(contains(messages[0].html, "href=\"http"));
    // Only the link's SHA-256 is kept.
    auto token = link_path(messages[0].text).substr(std::string(account::recovery::LINK_PATH).size());
    long long stored = 0;
    auto lease = driver.services().database->lease();
    lease.session() << "SELECT COUNT(*) FROM account_password_reset WHERE token_digest = :token", soci::use(token),
        soci::into(stored);
    EXPECT_EQ(stored, 0);
}

TEST(PasswordRecovery, TheChosenReceptionAddressIsUsedAndAnAddressFindsTheAccount)
{
    AppDriver driver;
    set_reception_email(driver, "sophie.roux", "sophie.roux@exemple.fr");
    EXPECT_EQ(ask(driver, "Sophie.Roux@Exemple.fr").status, 200);
    EXPECT_EQ(ask(driver, "sophie.roux@orange.fr").status, 200); // the directory's, not in force any more
    auto messages = outbox(driver);
    ASSERT_EQ(messages.size(), 1U);
    EXPECT_EQ(messages[0].recipient, "sophie.roux@exemple.fr");
    EXPECT_TRUE(contains(messages[0].text, "« sophie.roux »"));
}

TEST(PasswordRecovery, InactiveAccountsAndAccountsWithoutPasswordGetNothing)
{
    AppDriver driver;
    {
        auto lease = driver.services().database->lease();
        lease.session() << "UPDATE identity_user SET active = 0 WHERE login = 'andre.chamson'";
        lease.session() << "UPDATE identity_user SET password_hash = '' WHERE login = 'sophie.roux'";
    }
    EXPECT_TRUE(contains(ask(driver, "andre.chamson").body, SENT));
    EXPECT_TRUE(contains(ask(driver, "sophie.roux").body, SENT));
    EXPECT_TRUE(outbox(driver).empty());
}

TEST(PasswordRecovery, TheLinkSetsThePasswordOnceAndEndsEverySession)
{
    AppDriver elsewhere; // the person signed in on another computer
    ASSERT_EQ(elsewhere.sign_in("andre.chamson", app::DEMO_PASSWORD).status, 303);
    ASSERT_EQ(elsewhere.get("/accueil").status, 200);

    // The same driver then plays the computer at home; the first session's
    // cookie is kept aside.
    AppDriver& driver = elsewhere;
    auto session_cookie = driver.cookie("cartable_session");
    driver.forget_cookies();
    ask(driver, "andre.chamson");
    auto messages = outbox(driver);
    ASSERT_EQ(messages.size(), 1U);
    auto path = link_path(messages[0].text);

    auto form = driver.get(path);
    ASSERT_EQ(form.status, 200);
    for (auto const* label : { "Nouveau mot de passe", "Confirmer le mot de passe", "8 caractères", "andre.chamson" })
        EXPECT_TRUE(contains(form.body, label)) << label;
    EXPECT_EQ(form.header("Cache-Control"), "no-store");

    // The password rules first: nothing is used by a refused form.
    auto short_password = choose(driver, path, "court", "court");
    EXPECT_EQ(short_password.status, 400);
    EXPECT_TRUE(contains(short_password.body, "8 caractères"));
    auto different = choose(driver, path, NEW_PASSWORD, "Cévennes-2028");
    EXPECT_EQ(different.status, 400);
    EXPECT_TRUE(contains(different.body, "différents"));

    auto changed = choose(driver, path);
    ASSERT_EQ(changed.status, 303);
    EXPECT_EQ(changed.header("Location"), "/connexion/identifiants?mot_de_passe=change");
    auto confirmation = driver.get("/connexion/identifiants?mot_de_passe=change");
    EXPECT_TRUE(contains(confirmation.body, "Votre mot de passe a été changé"));

    // The other computer's session is over.
    driver.set_cookie("cartable_session", session_cookie);
    auto after = driver.get("/accueil");
    EXPECT_EQ(after.status, 303) << after.body.substr(after.body.find("<main"), 600);
    EXPECT_EQ(after.header("Location"), "/connexion");
    driver.forget_cookies();

    EXPECT_EQ(driver.sign_in_only("andre.chamson", app::DEMO_PASSWORD).status, 401);
    driver.forget_cookies();
    EXPECT_EQ(driver.sign_in_only("andre.chamson", NEW_PASSWORD).status, 303);
    driver.forget_cookies();

    // Used once: the link is worth nothing now.
    auto again = driver.get(path);
    EXPECT_EQ(again.status, 410);
    EXPECT_TRUE(contains(again.body, "Ce lien n'est plus valable"));
    EXPECT_TRUE(contains(again.body, "href=\"/connexion/mot-de-passe-oublie\""));
    driver.get("/connexion/mot-de-passe-oublie"); // a form's token for the next post
    EXPECT_EQ(choose(driver, path, "Autre-mot-2027", "Autre-mot-2027").status, 410);
    EXPECT_EQ(driver.sign_in_only("andre.chamson", NEW_PASSWORD).status, 303);

    long long audits = 0;
    auto lease = driver.services().database->lease();
    lease.session() << "SELECT COUNT(*) FROM identity_audit WHERE actor_id = :id AND action = 'password_reset'",
        soci::use(user_id(driver, "andre.chamson")), soci::into(audits);
    EXPECT_EQ(audits, 1);
}

TEST(PasswordRecovery, ALinkExpiresAfterAnHourAndAnUnknownOneIsRefused)
{
    AppDriver driver;
    auto id = user_id(driver, "andre.chamson");
    std::string expired;
    std::string fresh;
    {
        auto lease = driver.services().database->lease();
        expired = account::recovery::issue(lease.session(), id, now() - account::recovery::VALIDITY_SECONDS - 1);
        fresh = account::recovery::issue(lease.session(), id, now() - account::recovery::VALIDITY_SECONDS + 60);
    }
    std::string base = account::recovery::LINK_PATH;
    EXPECT_EQ(driver.get(base + expired).status, 410);
    EXPECT_EQ(choose(driver, base + expired).status, 410);
    EXPECT_EQ(driver.get(base + std::string(43, 'A')).status, 410);
    EXPECT_EQ(driver.get(base + "court").status, 410);
    EXPECT_EQ(driver.sign_in_only("andre.chamson", NEW_PASSWORD).status, 401);
    driver.forget_cookies();
    EXPECT_EQ(driver.get(base + fresh).status, 200);
    EXPECT_EQ(choose(driver, base + fresh).status, 303);
}

TEST(PasswordRecovery, FormsWithoutTheCsrfTokenAreRefused)
{
    AppDriver driver;
    driver.get("/connexion/mot-de-passe-oublie");
    auto refused = driver.post("/connexion/mot-de-passe-oublie", { { "identifiant", "andre.chamson" } });
    EXPECT_EQ(refused.status, 403);
    EXPECT_TRUE(outbox(driver).empty());

    std::string token;
    {
        auto lease = driver.services().database->lease();
        token = account::recovery::issue(lease.session(), user_id(driver, "andre.chamson"), now());
    }
    auto path = std::string(account::recovery::LINK_PATH) + token;
    driver.get(path);
    auto without = driver.post(path, { { "mot_de_passe", NEW_PASSWORD }, { "confirmation", NEW_PASSWORD } });
    EXPECT_EQ(without.status, 403);
    EXPECT_EQ(driver.get(path).status, 200); // still unused
}

TEST(PasswordRecovery, RequestsAreThrottledPerIdentifierAndPerAddress)
{
    AppDriver driver([](Config& config) {
        config.sign_in_max_failures_per_account = 3;
        config.sign_in_max_failures_per_address = 5;
    });
    for (int attempt = 0; attempt < 3; ++attempt)
        EXPECT_EQ(ask(driver, "andre.chamson").status, 200);
    auto throttled = ask(driver, "andre.chamson");
    EXPECT_EQ(throttled.status, 429);
    EXPECT_TRUE(contains(throttled.body, "Trop de demandes"));
    EXPECT_EQ(outbox(driver).size(), 3U);
    // Asking for links does not lock the person out of signing in.
    EXPECT_EQ(driver.sign_in_only("andre.chamson", app::DEMO_PASSWORD).status, 303);
    driver.forget_cookies();

    // The same address asking about other people is stopped too.
    EXPECT_EQ(ask(driver, "sophie.roux").status, 200);
    EXPECT_EQ(ask(driver, "karim.benali").status, 200);
    EXPECT_EQ(ask(driver, "personne.inconnue").status, 429);
    driver.remote_address = "192.0.2.77";
    EXPECT_EQ(ask(driver, "personne.inconnue").status, 200);
}

TEST(MailDelivery, AdministratorsSeeWaitingAndFailedMessagesAndRetryThem)
{
    AppDriver driver;
    ask(driver, "andre.chamson");
    ask(driver, "sophie.roux");
    {
        auto lease = driver.services().database->lease();
        lease.session()
            << "UPDATE notify_outbox SET status = 'failed', attempts = 8, "
               "last_error = 'Login denied (réponse du serveur 535)' WHERE recipient = 'sophie.roux@orange.fr'";
    }
    driver.forget_cookies();
    ASSERT_EQ(driver.sign_in("samuel.beaumont", app::DEMO_PASSWORD).status, 303);
    EXPECT_EQ(driver.get("/admin/envois").status, 403);
    driver.forget_cookies();

    ASSERT_EQ(driver.sign_in("admin.ent", app::DEMO_PASSWORD).status, 303);
    auto page = driver.get("/admin/envois");
    ASSERT_EQ(page.status, 200);
    EXPECT_TRUE(contains(page.body, "n'est pas configuré"));
    EXPECT_TRUE(contains(page.body, "an•••@outlook.fr"));
    EXPECT_TRUE(contains(page.body, "so•••@orange.fr"));
    EXPECT_FALSE(contains(page.body, "andre.chamson@outlook.fr"));
    EXPECT_TRUE(contains(page.body, "Login denied"));
    EXPECT_TRUE(contains(page.body, "Réessayer maintenant"));

    long long failed_id = 0;
    {
        auto lease = driver.services().database->lease();
        lease.session() << "SELECT id FROM notify_outbox WHERE status = 'failed'", soci::into(failed_id);
    }
    auto path = "/admin/envois/" + std::to_string(failed_id) + "/reessayer";
    EXPECT_EQ(driver.post(path, {}).status, 403); // CSRF
    auto retried = driver.post(path, { { "csrf", driver.csrf_token() } });
    ASSERT_EQ(retried.status, 303);
    EXPECT_EQ(retried.header("Location"), "/admin/envois?relance=1");
    std::string status;
    {
        auto lease = driver.services().database->lease();
        lease.session() << "SELECT status FROM notify_outbox WHERE id = :id", soci::use(failed_id), soci::into(status);
    }
    EXPECT_EQ(status, "pending");
    EXPECT_EQ(driver.post(path, { { "csrf", driver.csrf_token() } }).header("Location"), "/admin/envois?relance=0");
}

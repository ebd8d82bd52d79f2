// SPDX-License-Identifier: AGPL-3.0-or-later
// Abuse containment of the messagerie (issue #5) through its pages: the cap
// of recipients per hour and its approval queue, the structure's and one
// account's suspension, recall, « Signaler », and the caps' page in the
// console. Route tests on SQLite and PostgreSQL.
#include "app/demo_school.h"
#include "core/identity/identity_store.h"
#include "services/admin/admin.h"
#include "services/mail/mail.h"
#include "services/mail/mail_moderation.h"
#include "tests/support/app_driver.h"
#include <gtest/gtest.h>

using namespace cartable;
using access::Profile;
using cartable::testing::AppDriver;
using cartable::testing::contains;
using cartable::testing::user_id;

namespace {

using Form = std::vector<std::pair<std::string, std::string>>;

constexpr char const* HELD_NOTICE = "Votre message attend la validation d";

void sign_in_as(AppDriver& driver, std::string const& login)
{
    driver.forget_cookies();
    ASSERT_EQ(driver.sign_in(login, app::DEMO_PASSWORD).status, 303) << login;
    driver.get("/messagerie");
}

http::Response send_message(
    AppDriver& driver, std::vector<std::string> const& recipients, std::string const& subject, std::string const& body)
{
    driver.get("/messagerie/nouveau");
    Form form { { "csrf", driver.csrf_token() } };
    for (auto const& login : recipients)
        form.emplace_back("destinataire", std::to_string(user_id(driver, login)));
    form.emplace_back("objet", subject);
    form.emplace_back("corps", body);
    form.emplace_back("action", "envoyer");
    return driver.post("/messagerie/nouveau", form);
}

http::Response post_action(AppDriver& driver, std::string const& path, Form extra = {})
{
    Form form { { "csrf", driver.csrf_token() } };
    form.insert(form.end(), extra.begin(), extra.end());
    return driver.post(path, form);
}

long long scalar(AppDriver& driver, std::string const& sql, long long key = 0)
{
    auto lease = driver.services().database->lease();
    long long value = 0;
    if (sql.find(":key") != std::string::npos)
        lease.session() << sql, soci::use(key), soci::into(value);
    else
        lease.session() << sql, soci::into(value);
    return value;
}

long long message_id(AppDriver& driver, std::string const& subject)
{
    auto lease = driver.services().database->lease();
    long long id = 0;
    lease.session() << "SELECT id FROM mail_message WHERE subject = :subject", soci::use(subject), soci::into(id);
    return id;
}

long long message_count(AppDriver& driver)
{
    return scalar(driver, "SELECT COUNT(*) FROM mail_message");
}

long long entries_of(AppDriver& driver, long long message)
{
    return scalar(driver, "SELECT COUNT(*) FROM mail_entry WHERE message_id = :key", message);
}

long long audit_count(AppDriver& driver, std::string const& action)
{
    auto lease = driver.services().database->lease();
    long long count = 0;
    lease.session() << "SELECT COUNT(*) FROM identity_audit WHERE action = :action", soci::use(action),
        soci::into(count);
    return count;
}

long long demo_structure(AppDriver& driver)
{
    auto lease = driver.services().database->lease();
    return identity::store::find_structure_by_uai(lease.session(), "0300027A")->id;
}

void set_cap(AppDriver& driver, Profile profile, long long per_hour)
{
    auto structure = demo_structure(driver);
    auto lease = driver.services().database->lease();
    admin::save_recipient_cap(lease.session(), structure, profile, per_hour);
}

// Moves the sender's sent messages one hour and a second into the past.
void an_hour_later(AppDriver& driver, std::string const& login)
{
    auto sender = user_id(driver, login);
    auto lease = driver.services().database->lease();
    lease.session() << "UPDATE mail_message SET sent_at = sent_at - 3601 WHERE sender_id = :sender AND sent_at IS "
                       "NOT NULL",
        soci::use(sender);
}

std::string inbox_of(AppDriver& driver, std::string const& login)
{
    sign_in_as(driver, login);
    return driver.get("/messagerie").body;
}

} // namespace

TEST(MailModeration, BeyondTheCapAMessageWaitsThenIsDeliveredOnceApproved)
{
    AppDriver driver;
    set_cap(driver, Profile::Student, 2);
    sign_in_as(driver, "louis.chamson");
    auto first = send_message(driver, { "emma.roux", "lucas.martin" }, "Exposé de lundi", "On se retrouve au CDI.");
    ASSERT_EQ(first.status, 303);
    EXPECT_EQ(first.header("Location"), "/messagerie/envoyes?fait=envoye");

    // A third recipient within the hour: held.
    auto held = send_message(driver, { "samuel.beaumont" }, "Question sur le devoir", "Bonjour Monsieur,");
    ASSERT_EQ(held.status, 303);
    EXPECT_EQ(held.header("Location"), "/messagerie/envoyes?fait=attente");
    EXPECT_TRUE(contains(driver.get("/messagerie/envoyes?fait=attente").body, HELD_NOTICE));
    auto held_id = message_id(driver, "Question sur le devoir");
    ASSERT_NE(held_id, 0);
    EXPECT_EQ(entries_of(driver, held_id), 1); // the sender's copy only
    auto own_copy = driver.get("/messagerie/messages/" + std::to_string(held_id));
    ASSERT_EQ(own_copy.status, 200);
    EXPECT_TRUE(contains(own_copy.body, "En attente"));
    EXPECT_FALSE(contains(inbox_of(driver, "samuel.beaumont"), "Question sur le devoir"));
    EXPECT_EQ(driver.get("/messagerie/messages/" + std::to_string(held_id)).status, 404);

    // An hour later the cap is free again.
    an_hour_later(driver, "louis.chamson");
    sign_in_as(driver, "louis.chamson");
    auto later = send_message(driver, { "emma.roux" }, "Exposé, suite", "Finalement mardi.");
    EXPECT_EQ(later.header("Location"), "/messagerie/envoyes?fait=envoye");

    // The CPE sees the queue and approves.
    sign_in_as(driver, "nathalie.vidal");
    auto queue = driver.get("/messagerie/moderation");
    ASSERT_EQ(queue.status, 200);
    EXPECT_TRUE(contains(queue.body, "Question sur le devoir"));
    EXPECT_TRUE(contains(queue.body, "Louis CHAMSON"));
    EXPECT_TRUE(contains(queue.body, "Bonjour Monsieur,"));
    EXPECT_TRUE(contains(queue.body, "Valider l"));
    EXPECT_TRUE(contains(driver.get("/messagerie").body, "/messagerie/moderation"));
    auto approved = post_action(driver, "/messagerie/moderation/attente/" + std::to_string(held_id) + "/valider");
    ASSERT_EQ(approved.status, 303);
    EXPECT_EQ(audit_count(driver, "mail_held_approved"), 1);
    EXPECT_EQ(entries_of(driver, held_id), 2);
    // Twice: nothing more to approve.
    driver.get("/messagerie/moderation");
    EXPECT_EQ(
        post_action(driver, "/messagerie/moderation/attente/" + std::to_string(held_id) + "/valider").status, 404);
    EXPECT_FALSE(contains(driver.get("/messagerie/moderation").body, "Bonjour Monsieur,"));

    auto inbox = inbox_of(driver, "samuel.beaumont");
    EXPECT_TRUE(contains(inbox, "Question sur le devoir"));
    EXPECT_TRUE(contains(inbox, "class=\"unread-count\">"));
}

TEST(MailModeration, TheCapFollowsTheProfileAndARefusedMessageGoesBackToTheDrafts)
{
    AppDriver driver;
    set_cap(driver, Profile::Teacher, 1);
    // A student's cap is untouched (50).
    sign_in_as(driver, "louis.chamson");
    EXPECT_EQ(
        send_message(driver, { "emma.roux", "lucas.martin", "samuel.beaumont" }, "Trois", "Texte").header("Location"),
        "/messagerie/envoyes?fait=envoye");

    sign_in_as(driver, "samuel.beaumont");
    auto held = send_message(driver, { "andre.chamson", "sophie.roux" }, "Réunion parents", "Mardi 18 h.");
    EXPECT_EQ(held.header("Location"), "/messagerie/envoyes?fait=attente");
    auto held_id = message_id(driver, "Réunion parents");

    sign_in_as(driver, "philippe.garnier");
    auto queue = driver.get("/messagerie/moderation");
    EXPECT_TRUE(contains(queue.body, "Réunion parents"));
    EXPECT_TRUE(contains(queue.body, "Samuel BEAUMONT"));
    auto refused = post_action(driver, "/messagerie/moderation/attente/" + std::to_string(held_id) + "/refuser");
    ASSERT_EQ(refused.status, 303);
    EXPECT_EQ(audit_count(driver, "mail_held_refused"), 1);
    EXPECT_EQ(entries_of(driver, held_id), 1);
    EXPECT_FALSE(contains(inbox_of(driver, "andre.chamson"), "Réunion parents"));

    // The teacher is told, and finds it among the drafts.
    auto inbox = inbox_of(driver, "samuel.beaumont");
    EXPECT_TRUE(contains(inbox, "Message non envoyé : Réunion parents"));
    auto drafts = driver.get("/messagerie/brouillons");
    EXPECT_TRUE(contains(drafts.body, "Réunion parents"));
    EXPECT_EQ(driver.get("/messagerie/messages/" + std::to_string(held_id)).status, 303);
}

TEST(MailModeration, OnlyTheStaffOfTheStructureReachTheQueue)
{
    AppDriver driver;
    for (auto const* login : { "louis.chamson", "andre.chamson", "samuel.beaumont" }) {
        sign_in_as(driver, login);
        EXPECT_EQ(driver.get("/messagerie/moderation").status, 403) << login;
        EXPECT_EQ(
            driver.get("/messagerie/moderation/personnes/" + std::to_string(user_id(driver, "emma.roux"))).status, 403)
            << login;
        EXPECT_EQ(post_action(driver, "/messagerie/moderation/suspension", { { "action", "suspendre" } }).status, 403)
            << login;
        EXPECT_FALSE(contains(driver.get("/messagerie").body, "/messagerie/moderation"));
    }
    for (auto const* login : { "nathalie.vidal", "philippe.garnier", "olivier.pradel" }) {
        sign_in_as(driver, login);
        EXPECT_EQ(driver.get("/messagerie/moderation").status, 200) << login;
    }
    // Nothing of another structure: a person, a held message.
    auto other = [&] {
        auto lease = driver.services().database->lease();
        identity::Structure structure;
        structure.uai = "0340001B";
        structure.name = "Collège Jean Moulin";
        structure.academy = "Montpellier";
        structure.region = "Occitanie";
        auto id = identity::store::create_structure(lease.session(), structure);
        identity::User pupil;
        pupil.login = "eleve.moulin";
        pupil.first_name = "Jeanne";
        pupil.last_name = "MOULIN";
        pupil.profile = Profile::Student;
        pupil.structure_id = id;
        return identity::store::create_user(lease.session(), pupil, "x");
    }();
    sign_in_as(driver, "nathalie.vidal");
    EXPECT_EQ(driver.get("/messagerie/moderation/personnes/" + std::to_string(other)).status, 404);
    EXPECT_EQ(
        post_action(driver, "/messagerie/moderation/personnes/" + std::to_string(other) + "/suspendre").status, 404);
    EXPECT_EQ(post_action(driver, "/messagerie/moderation/attente/999999/valider").status, 404);
    EXPECT_EQ(post_action(driver, "/messagerie/moderation/messages/999999/rappeler").status, 404);
}

TEST(MailModeration, TheStructuresSuspensionStopsEveryoneButTheStaffUntilLifted)
{
    AppDriver driver;
    sign_in_as(driver, "philippe.garnier");
    driver.get("/messagerie/moderation");
    auto suspended = post_action(driver, "/messagerie/moderation/suspension", { { "action", "suspendre" } });
    ASSERT_EQ(suspended.status, 303);
    EXPECT_TRUE(contains(driver.get(suspended.header("Location")).body, "Rétablir la messagerie"));
    EXPECT_EQ(audit_count(driver, "mail_suspended"), 1);

    auto before = message_count(driver);
    for (auto const* login : { "louis.chamson", "samuel.beaumont" }) {
        sign_in_as(driver, login);
        auto refused = send_message(driver, { "nathalie.vidal" }, "Bonjour", "Texte");
        EXPECT_EQ(refused.status, 403) << login;
        EXPECT_TRUE(contains(refused.body, "La messagerie de l")) << login;
        EXPECT_TRUE(contains(refused.body, "est suspendue")) << login;
        EXPECT_EQ(message_count(driver), before) << login;
    }
    sign_in_as(driver, "nathalie.vidal");
    EXPECT_EQ(send_message(driver, { "louis.chamson" }, "Consigne", "Restez en classe.").status, 303);
    EXPECT_EQ(message_count(driver), before + 1);

    sign_in_as(driver, "philippe.garnier");
    driver.get("/messagerie/moderation");
    ASSERT_EQ(post_action(driver, "/messagerie/moderation/suspension", { { "action", "lever" } }).status, 303);
    EXPECT_EQ(audit_count(driver, "mail_suspension_lifted"), 1);
    sign_in_as(driver, "louis.chamson");
    EXPECT_EQ(send_message(driver, { "nathalie.vidal" }, "Bonjour", "Texte").status, 303);
}

TEST(MailModeration, OneAccountsSuspensionFromThePersonsSheet)
{
    AppDriver driver;
    auto emma = std::to_string(user_id(driver, "emma.roux"));
    sign_in_as(driver, "olivier.pradel");
    auto sheet = driver.get("/admin/personnes/" + emma);
    ASSERT_EQ(sheet.status, 200);
    EXPECT_TRUE(contains(sheet.body, "/messagerie/moderation/personnes/" + emma));
    auto page = driver.get("/messagerie/moderation/personnes/" + emma);
    ASSERT_EQ(page.status, 200);
    EXPECT_TRUE(contains(page.body, "Suspendre sa messagerie"));
    ASSERT_EQ(post_action(driver, "/messagerie/moderation/personnes/" + emma + "/suspendre").status, 303);
    EXPECT_EQ(audit_count(driver, "mail_suspended"), 1);
    EXPECT_TRUE(contains(driver.get("/messagerie/moderation").body, "Emma ROUX"));
    // Not oneself.
    auto own = std::to_string(user_id(driver, "olivier.pradel"));
    EXPECT_EQ(post_action(driver, "/messagerie/moderation/personnes/" + own + "/suspendre").status, 403);

    auto before = message_count(driver);
    sign_in_as(driver, "emma.roux");
    auto refused = send_message(driver, { "louis.chamson" }, "Salut", "Texte");
    EXPECT_EQ(refused.status, 403);
    EXPECT_TRUE(contains(refused.body, "Votre messagerie est suspendue"));
    EXPECT_EQ(message_count(driver), before);
    sign_in_as(driver, "louis.chamson");
    EXPECT_EQ(send_message(driver, { "emma.roux" }, "Salut", "Texte").status, 303);

    sign_in_as(driver, "nathalie.vidal");
    driver.get("/messagerie/moderation/personnes/" + emma);
    ASSERT_EQ(post_action(driver, "/messagerie/moderation/personnes/" + emma + "/retablir").status, 303);
    EXPECT_EQ(audit_count(driver, "mail_suspension_lifted"), 1);
    sign_in_as(driver, "emma.roux");
    EXPECT_EQ(send_message(driver, { "louis.chamson" }, "Re : Salut", "Texte").status, 303);
}

TEST(MailModeration, ARecallEmptiesEveryRecipientsMailboxAndLeavesATrace)
{
    AppDriver driver;
    sign_in_as(driver, "samuel.beaumont");
    ASSERT_EQ(
        send_message(driver, { "andre.chamson", "sophie.roux", "karim.benali" }, "Message douteux", "Texte").status,
        303);
    auto id = message_id(driver, "Message douteux");
    EXPECT_EQ(entries_of(driver, id), 4);
    EXPECT_TRUE(contains(inbox_of(driver, "andre.chamson"), "Message douteux"));

    sign_in_as(driver, "nathalie.vidal");
    driver.get("/messagerie/moderation");
    auto recalled = post_action(driver, "/messagerie/moderation/messages/" + std::to_string(id) + "/rappeler");
    ASSERT_EQ(recalled.status, 303);
    EXPECT_TRUE(contains(driver.get(recalled.header("Location")).body, "retiré de 3 boîte"));
    EXPECT_EQ(entries_of(driver, id), 1);
    EXPECT_EQ(scalar(driver, "SELECT mailboxes FROM mail_recall WHERE message_id = :key", id), 3);
    EXPECT_EQ(scalar(driver, "SELECT recalled_by FROM mail_recall WHERE message_id = :key", id),
        user_id(driver, "nathalie.vidal"));
    EXPECT_EQ(audit_count(driver, "mail_recalled"), 1);
    // Twice: nothing more.
    auto again = post_action(driver, "/messagerie/moderation/messages/" + std::to_string(id) + "/rappeler");
    EXPECT_EQ(again.header("Location"), "/messagerie/moderation?fait=deja-rappele");
    EXPECT_EQ(audit_count(driver, "mail_recalled"), 1);

    sign_in_as(driver, "olivier.pradel");
    auto journal = driver.get("/admin/journal");
    EXPECT_TRUE(contains(journal.body, "Message rappelé"));
    EXPECT_TRUE(contains(journal.body, "Message douteux"));
    EXPECT_TRUE(contains(journal.body, "Nathalie VIDAL"));

    auto inbox = inbox_of(driver, "andre.chamson");
    EXPECT_FALSE(contains(inbox, "Message douteux"));
    EXPECT_EQ(driver.get("/messagerie/messages/" + std::to_string(id)).status, 404);
    sign_in_as(driver, "samuel.beaumont");
    auto copy = driver.get("/messagerie/messages/" + std::to_string(id));
    ASSERT_EQ(copy.status, 200);
    EXPECT_TRUE(contains(copy.body, "Rappelé"));
}

TEST(MailModeration, ARecipientReportsAMessageOnceAndTheStaffAct)
{
    AppDriver driver;
    sign_in_as(driver, "samuel.beaumont");
    ASSERT_EQ(send_message(driver, { "andre.chamson", "sophie.roux" }, "Menaces", "Texte menaçant").status, 303);
    auto id = std::to_string(message_id(driver, "Menaces"));

    // Neither the sender nor someone who does not hold it.
    EXPECT_EQ(post_action(driver, "/messagerie/messages/" + id + "/signaler").status, 403);
    sign_in_as(driver, "karim.benali");
    EXPECT_EQ(post_action(driver, "/messagerie/messages/" + id + "/signaler").status, 404);

    sign_in_as(driver, "andre.chamson");
    auto reading = driver.get("/messagerie/messages/" + id);
    ASSERT_EQ(reading.status, 200);
    EXPECT_TRUE(contains(reading.body, "Signaler"));
    auto reported
        = post_action(driver, "/messagerie/messages/" + id + "/signaler", { { "motif", "Propos menaçants" } });
    ASSERT_EQ(reported.status, 303);
    auto after = driver.get(reported.header("Location"));
    EXPECT_TRUE(contains(after.body, "votre signalement est transmis"));
    EXPECT_FALSE(contains(after.body, "Signaler ce message"));
    auto twice = post_action(driver, "/messagerie/messages/" + id + "/signaler");
    EXPECT_EQ(twice.header("Location"), "/messagerie/messages/" + id + "?fait=deja-signale");
    auto message = std::stoll(id);
    EXPECT_EQ(scalar(driver, "SELECT COUNT(*) FROM mail_report WHERE message_id = :key", message), 1);
    EXPECT_EQ(audit_count(driver, "mail_reported"), 1);

    sign_in_as(driver, "nathalie.vidal");
    auto queue = driver.get("/messagerie/moderation");
    EXPECT_TRUE(contains(queue.body, "Menaces"));
    EXPECT_TRUE(contains(queue.body, "André CHAMSON"));
    EXPECT_TRUE(contains(queue.body, "Propos menaçants"));
    EXPECT_TRUE(
        contains(queue.body, "/messagerie/moderation/personnes/" + std::to_string(user_id(driver, "samuel.beaumont"))));
    EXPECT_TRUE(contains(driver.get("/messagerie").body, "(1<span class=\"visually-hidden\"> à traiter"));
    ASSERT_EQ(post_action(driver, "/messagerie/moderation/messages/" + id + "/rappeler").status, 303);
    EXPECT_EQ(entries_of(driver, message), 1);
    // Recalled, still to close.
    queue = driver.get("/messagerie/moderation");
    EXPECT_TRUE(contains(queue.body, "Propos menaçants"));
    EXPECT_TRUE(contains(queue.body, "Rappelé"));
    ASSERT_EQ(post_action(driver, "/messagerie/moderation/signalements/" + id + "/classer").status, 303);
    EXPECT_EQ(audit_count(driver, "mail_reports_closed"), 1);
    queue = driver.get("/messagerie/moderation");
    EXPECT_FALSE(contains(queue.body, "Propos menaçants"));
    EXPECT_FALSE(contains(driver.get("/messagerie").body, "à traiter"));
    EXPECT_EQ(post_action(driver, "/messagerie/moderation/signalements/" + id + "/classer").status, 404);
    EXPECT_FALSE(contains(inbox_of(driver, "sophie.roux"), "Menaces"));
}

TEST(MailModeration, TheCapsPageChecksEveryFieldBeforeSavingAny)
{
    AppDriver driver;
    sign_in_as(driver, "nathalie.vidal");
    EXPECT_EQ(driver.get("/admin/messagerie").status, 403);
    sign_in_as(driver, "olivier.pradel");
    auto page = driver.get("/admin/messagerie");
    ASSERT_EQ(page.status, 200);
    EXPECT_TRUE(contains(page.body, "value=\"50\""));
    EXPECT_TRUE(contains(page.body, "value=\"3000\""));
    auto bad = driver.post("/admin/messagerie",
        { { "csrf", driver.csrf_token() }, { "c_student", "cinquante" }, { "c_guardian", "20" },
            { "c_teacher", "1000" }, { "c_staff", "3000" }, { "c_admin", "3000" } });
    EXPECT_EQ(bad.status, 400);
    EXPECT_TRUE(contains(bad.body, "Indiquez un nombre entier de destinataires par heure"));
    EXPECT_TRUE(contains(bad.body, "Les plafonds n"));
    auto structure = demo_structure(driver);
    {
        auto lease = driver.services().database->lease();
        EXPECT_EQ(admin::recipient_cap(lease.session(), structure, Profile::Guardian), 50);
    }
    EXPECT_EQ(audit_count(driver, "recipient_caps_changed"), 0);
    EXPECT_EQ(driver
                  .post("/admin/messagerie",
                      { { "csrf", driver.csrf_token() }, { "c_student", "0" }, { "c_guardian", "20" },
                          { "c_teacher", "1000" }, { "c_staff", "3000" }, { "c_admin", "3000" } })
                  .status,
        400);
    auto good = driver.post("/admin/messagerie",
        { { "csrf", driver.csrf_token() }, { "c_student", "10" }, { "c_guardian", "20" }, { "c_teacher", "1000" },
            { "c_staff", "3000" }, { "c_admin", "3000" } });
    EXPECT_EQ(good.status, 200);
    EXPECT_TRUE(contains(good.body, "Les plafonds de la messagerie sont enregistrés."));
    {
        auto lease = driver.services().database->lease();
        EXPECT_EQ(admin::recipient_cap(lease.session(), structure, Profile::Student), 10);
        EXPECT_EQ(admin::recipient_cap(lease.session(), structure, Profile::Guardian), 20);
        EXPECT_EQ(admin::recipient_cap(lease.session(), structure, Profile::Teacher), 1000);
    }
    EXPECT_EQ(audit_count(driver, "recipient_caps_changed"), 1);
    EXPECT_TRUE(contains(driver.get("/admin/journal").body, "Plafonds de destinataires"));
}

TEST(MailModeration, AnotherStructuresAdministratorSeesAndTouchesNothingHere)
{
    AppDriver driver;
    set_cap(driver, Profile::Student, 1);
    sign_in_as(driver, "louis.chamson");
    ASSERT_EQ(send_message(driver, { "emma.roux", "lucas.martin" }, "Invitation", "Texte").header("Location"),
        "/messagerie/envoyes?fait=attente");
    auto held = std::to_string(message_id(driver, "Invitation"));
    sign_in_as(driver, "samuel.beaumont");
    ASSERT_EQ(send_message(driver, { "andre.chamson" }, "Sortie", "Texte").status, 303);
    auto sent = std::to_string(message_id(driver, "Sortie"));
    sign_in_as(driver, "andre.chamson");
    driver.get("/messagerie/messages/" + sent);
    ASSERT_EQ(
        post_action(driver, "/messagerie/messages/" + sent + "/signaler", { { "motif", "Hors sujet" } }).status, 303);

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
    }
    driver.forget_cookies();
    ASSERT_EQ(driver.sign_in("admin.moulin", "Garrigue-2027").status, 303);
    auto page = driver.get("/messagerie/moderation");
    ASSERT_EQ(page.status, 200);
    EXPECT_FALSE(contains(page.body, "Invitation"));
    EXPECT_FALSE(contains(page.body, "Sortie"));
    EXPECT_EQ(post_action(driver, "/messagerie/moderation/attente/" + held + "/valider").status, 404);
    EXPECT_EQ(post_action(driver, "/messagerie/moderation/attente/" + held + "/refuser").status, 404);
    EXPECT_EQ(post_action(driver, "/messagerie/moderation/messages/" + sent + "/rappeler").status, 404);
    auto louis = std::to_string(user_id(driver, "louis.chamson"));
    EXPECT_EQ(post_action(driver, "/messagerie/moderation/personnes/" + louis + "/suspendre").status, 404);
    // Their own structure's suspension leaves this one alone.
    ASSERT_EQ(post_action(driver, "/messagerie/moderation/suspension", { { "action", "suspendre" } }).status, 303);
    EXPECT_EQ(scalar(driver, "SELECT COUNT(*) FROM mail_held WHERE state = 'held'"), 1);
    EXPECT_EQ(entries_of(driver, std::stoll(sent)), 2);
    sign_in_as(driver, "samuel.beaumont");
    EXPECT_EQ(send_message(driver, { "andre.chamson" }, "Sortie, suite", "Texte").status, 303);
}

TEST(MailModeration, ReportsAreThePersonsDataAndLeaveWithIt)
{
    AppDriver driver;
    set_cap(driver, Profile::Student, 1);
    sign_in_as(driver, "louis.chamson");
    ASSERT_EQ(send_message(driver, { "emma.roux", "lucas.martin" }, "En attente", "Texte").header("Location"),
        "/messagerie/envoyes?fait=attente");
    sign_in_as(driver, "samuel.beaumont");
    ASSERT_EQ(send_message(driver, { "andre.chamson" }, "Sortie", "Texte").status, 303);
    auto sent = std::to_string(message_id(driver, "Sortie"));
    sign_in_as(driver, "andre.chamson");
    driver.get("/messagerie/messages/" + sent);
    ASSERT_EQ(
        post_action(driver, "/messagerie/messages/" + sent + "/signaler", { { "motif", "Hors sujet" } }).status, 303);

    auto andre = user_id(driver, "andre.chamson");
    auto louis = user_id(driver, "louis.chamson");
    auto lease = driver.services().database->lease();
    auto json = mail::moderation::reports_json(lease.session(), andre);
    EXPECT_TRUE(contains(json, "Sortie"));
    EXPECT_TRUE(contains(json, "Hors sujet"));
    EXPECT_TRUE(contains(json, "Samuel BEAUMONT"));
    EXPECT_EQ(mail::moderation::reports_json(lease.session(), louis), "[]");

    mail::moderation::forget_person(lease.session(), andre);
    mail::moderation::forget_person(lease.session(), louis);
    EXPECT_EQ(mail::moderation::reports_json(lease.session(), andre), "[]");
    long long held = 0;
    lease.session() << "SELECT COUNT(*) FROM mail_held", soci::into(held);
    EXPECT_EQ(held, 0);
    long long messages = 0;
    lease.session() << "SELECT COUNT(*) FROM mail_message WHERE subject = 'En attente'", soci::into(messages);
    EXPECT_EQ(messages, 0);
}

// SPDX-License-Identifier: AGPL-3.0-or-later
// The messagerie through its pages, as its people use it: folders, drafts,
// trash, the communication rules, and nobody reading another's message
// (both engines).
#include "app/demo_school.h"
#include "core/identity/identity_store.h"
#include "services/mail/mail.h"
#include "services/preferences/preferences.h"
#include "tests/support/app_driver.h"
#include <gtest/gtest.h>

using namespace cartable;
using cartable::testing::AppDriver;
using cartable::testing::contains;
using cartable::testing::user_id;

namespace {

using Form = std::vector<std::pair<std::string, std::string>>;

void sign_in_as(AppDriver& driver, std::string const& login)
{
    driver.forget_cookies();
    driver.sign_in(login, app::DEMO_PASSWORD);
    driver.get("/messagerie");
}

http::Response send_message(AppDriver& driver, std::vector<std::string> const& recipients, std::string const& subject,
    std::string const& body, std::string const& action = "envoyer")
{
    driver.get("/messagerie/nouveau");
    Form form { { "csrf", driver.csrf_token() } };
    for (auto const& login : recipients)
        form.emplace_back("destinataire", std::to_string(user_id(driver, login)));
    form.emplace_back("objet", subject);
    form.emplace_back("corps", body);
    form.emplace_back("action", action);
    return driver.post("/messagerie/nouveau", form);
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
    auto lease = driver.services().database->lease();
    long long count = 0;
    lease.session() << "SELECT COUNT(*) FROM mail_message", soci::into(count);
    return count;
}

std::string message_url(AppDriver& driver, std::string const& subject)
{
    return "/messagerie/messages/" + std::to_string(message_id(driver, subject));
}

http::Response post_action(AppDriver& driver, std::string const& path)
{
    return driver.post(path, { { "csrf", driver.csrf_token() } });
}

constexpr char const* TRIP = "Sortie au musée Cévenol jeudi";
constexpr char const* TRIP_BODY = "Bonjour,\nLa classe de TPRO visitera le musée Cévenol jeudi matin.\nS. Beaumont";

} // namespace

TEST(MailRoutes, TeacherWritesToAGuardianWhoReadsItAndTheUnreadCountFollows)
{
    AppDriver driver;
    sign_in_as(driver, "samuel.beaumont");
    auto sent = send_message(driver, { "andre.chamson" }, TRIP, TRIP_BODY);
    ASSERT_EQ(sent.status, 303);
    EXPECT_EQ(sent.header("Location"), "/messagerie/envoyes?fait=envoye");
    auto outbox = driver.get("/messagerie/envoyes");
    EXPECT_TRUE(contains(outbox.body, TRIP));
    EXPECT_TRUE(contains(outbox.body, "André CHAMSON"));

    sign_in_as(driver, "andre.chamson");
    auto inbox = driver.get("/messagerie");
    ASSERT_EQ(inbox.status, 200);
    EXPECT_TRUE(contains(inbox.body, "Boîte de réception"));
    EXPECT_TRUE(contains(inbox.body, TRIP));
    EXPECT_TRUE(contains(inbox.body, "Samuel BEAUMONT"));
    EXPECT_TRUE(contains(inbox.body, "class=\"unread-count\">(1<"));
    auto home = driver.get("/accueil");
    EXPECT_TRUE(contains(home.body, TRIP));
    EXPECT_FALSE(contains(home.body, "Vous n'avez pas de nouveau message."));
    EXPECT_TRUE(contains(home.body, "Accéder à la messagerie"));

    auto message = driver.get(message_url(driver, TRIP));
    ASSERT_EQ(message.status, 200);
    EXPECT_TRUE(contains(message.body, "La classe de TPRO visitera le musée Cévenol jeudi matin.<br>"));
    EXPECT_FALSE(contains(message.body, "unread-count"));
    home = driver.get("/accueil");
    EXPECT_TRUE(contains(home.body, "Vous n'avez pas de nouveau message."));

    ASSERT_EQ(post_action(driver, message_url(driver, TRIP) + "/non-lu").status, 303);
    EXPECT_TRUE(contains(driver.get("/messagerie").body, "class=\"unread-count\">(1<"));
}

TEST(MailRoutes, GuardianWritesToATeacherOfTheirChildsClass)
{
    AppDriver driver;
    sign_in_as(driver, "andre.chamson");
    auto search = driver.get("/messagerie/nouveau?recherche=beau");
    ASSERT_EQ(search.status, 200);
    EXPECT_TRUE(contains(search.body, "Samuel BEAUMONT"));
    EXPECT_TRUE(contains(search.body, "Enseignants de la classe TPRO"));
    EXPECT_FALSE(contains(search.body, "Parents de la classe"));
    // Another family's guardian is not offered by the search.
    EXPECT_FALSE(contains(driver.get("/messagerie/nouveau?recherche=roux").body, "Sophie ROUX"));
    // His own children are.
    EXPECT_TRUE(contains(driver.get("/messagerie/nouveau?recherche=louis").body, "Louis CHAMSON"));

    driver.get("/messagerie/nouveau");
    auto added = driver.post("/messagerie/nouveau",
        { { "csrf", driver.csrf_token() }, { "ajouter", std::to_string(user_id(driver, "samuel.beaumont")) } });
    EXPECT_EQ(added.status, 200);
    EXPECT_TRUE(contains(
        added.body, "name=\"destinataire\" value=\"" + std::to_string(user_id(driver, "samuel.beaumont")) + "\""));

    ASSERT_EQ(
        send_message(driver, { "samuel.beaumont" }, "Absence de Louis vendredi", "Bonjour Monsieur,").status, 303);
    sign_in_as(driver, "samuel.beaumont");
    auto inbox = driver.get("/messagerie");
    EXPECT_TRUE(contains(inbox.body, "Absence de Louis vendredi"));
    EXPECT_TRUE(contains(inbox.body, "André CHAMSON"));
}

TEST(MailRoutes, RecipientsTheRulesRefuseAreRefusedAndNothingIsSent)
{
    AppDriver driver;
    sign_in_as(driver, "louis.chamson");
    auto const before = message_count(driver);
    EXPECT_FALSE(contains(driver.get("/messagerie/nouveau?recherche=roux").body, "Sophie ROUX"));
    auto refused = send_message(driver, { "sophie.roux" }, "Bonjour", "Un message");
    EXPECT_EQ(refused.status, 403);
    EXPECT_TRUE(contains(refused.body, "Vous ne pouvez pas écrire à certains des destinataires choisis"));
    EXPECT_EQ(message_count(driver), before);
    // Even mixed with one he may write to, nothing goes.
    EXPECT_EQ(send_message(driver, { "emma.roux", "sophie.roux" }, "Bonjour", "Un message").status, 403);
    EXPECT_EQ(message_count(driver), before);

    sign_in_as(driver, "andre.chamson");
    driver.get("/messagerie/nouveau");
    auto list = driver.post(
        "/messagerie/nouveau", { { "csrf", driver.csrf_token() }, { "action", "liste" }, { "liste", "parents:1" } });
    EXPECT_EQ(list.status, 403);
    EXPECT_TRUE(contains(list.body, "Vous ne pouvez pas écrire à cette liste."));
}

TEST(MailRoutes, ATeacherAddsTheParentsOfTheClass)
{
    AppDriver driver;
    sign_in_as(driver, "samuel.beaumont");
    auto compose = driver.get("/messagerie/nouveau");
    ASSERT_TRUE(contains(compose.body, "Parents de la classe TPRO"));
    auto marker = std::string("value=\"parents:");
    auto start = compose.body.find(marker);
    ASSERT_NE(start, std::string::npos);
    auto key = compose.body.substr(start + 7, compose.body.find('"', start + 7) - start - 7);
    // The first list offered is TPRO's: André CHAMSON and Sophie ROUX are its parents.
    auto added = driver.post(
        "/messagerie/nouveau", { { "csrf", driver.csrf_token() }, { "action", "liste" }, { "liste", key } });
    EXPECT_EQ(added.status, 200);
    EXPECT_TRUE(contains(added.body, "name=\"destinataire\""));
    EXPECT_TRUE(contains(added.body, "André CHAMSON") || contains(added.body, "Karim BENALI"));
}

TEST(MailRoutes, NobodyReadsAMessageTheyNeitherSentNorReceived)
{
    AppDriver driver;
    sign_in_as(driver, "samuel.beaumont");
    ASSERT_EQ(send_message(driver, { "andre.chamson" }, TRIP, TRIP_BODY).status, 303);
    auto url = message_url(driver, TRIP);
    EXPECT_EQ(driver.get(url).status, 200); // its sender

    sign_in_as(driver, "sophie.roux");
    EXPECT_EQ(driver.get(url).status, 404);
    EXPECT_EQ(driver.get("/messagerie/nouveau?repondre=" + std::to_string(message_id(driver, TRIP))).status, 404);
    EXPECT_EQ(driver.get("/messagerie/nouveau?transferer=" + std::to_string(message_id(driver, TRIP))).status, 404);
    EXPECT_EQ(post_action(driver, url + "/supprimer").status, 404);
    EXPECT_EQ(post_action(driver, url + "/non-lu").status, 404);
    EXPECT_EQ(driver.get("/messagerie/messages/999999").status, 404);
    EXPECT_FALSE(contains(driver.get("/messagerie").body, TRIP));
}

TEST(MailRoutes, DraftsAreKeptThenSent)
{
    AppDriver driver;
    sign_in_as(driver, "nathalie.vidal");
    auto const before = message_count(driver);
    auto saved = send_message(driver, { "andre.chamson" }, "Retards de Louis", "Bonjour,", "brouillon");
    ASSERT_EQ(saved.status, 303);
    auto id = std::to_string(message_id(driver, "Retards de Louis"));
    EXPECT_EQ(saved.header("Location"), "/messagerie/nouveau?brouillon=" + id + "&enregistre=1");
    auto draft = driver.get(saved.header("Location"));
    EXPECT_TRUE(contains(draft.body, "Votre brouillon est enregistré."));
    EXPECT_TRUE(contains(draft.body, "André CHAMSON"));
    EXPECT_TRUE(contains(driver.get("/messagerie/brouillons").body, "Retards de Louis"));
    EXPECT_EQ(driver.get("/messagerie/messages/" + id).status, 303); // a draft opens in the form

    sign_in_as(driver, "andre.chamson");
    EXPECT_FALSE(contains(driver.get("/messagerie").body, "Retards de Louis"));
    EXPECT_EQ(driver.get("/messagerie/messages/" + id).status, 404);
    EXPECT_EQ(driver.get("/messagerie/nouveau?brouillon=" + id).status, 404);

    sign_in_as(driver, "nathalie.vidal");
    driver.get("/messagerie/nouveau?brouillon=" + id);
    auto sent = driver.post("/messagerie/nouveau",
        { { "csrf", driver.csrf_token() }, { "brouillon", id },
            { "destinataire", std::to_string(user_id(driver, "andre.chamson")) }, { "objet", "Retards de Louis" },
            { "corps", "Bonjour, Louis est arrivé en retard trois fois cette semaine." }, { "action", "envoyer" } });
    ASSERT_EQ(sent.status, 303);
    EXPECT_FALSE(contains(driver.get("/messagerie/brouillons").body, "Retards de Louis"));
    EXPECT_TRUE(contains(driver.get("/messagerie/envoyes").body, "Retards de Louis"));
    EXPECT_EQ(message_count(driver), before + 1);

    sign_in_as(driver, "andre.chamson");
    EXPECT_TRUE(contains(driver.get("/messagerie/messages/" + id).body, "trois fois cette semaine"));
}

TEST(MailRoutes, TrashRestoreAndEmptyTrash)
{
    AppDriver driver;
    sign_in_as(driver, "samuel.beaumont");
    ASSERT_EQ(send_message(driver, { "andre.chamson" }, TRIP, TRIP_BODY).status, 303);
    sign_in_as(driver, "andre.chamson");
    auto url = message_url(driver, TRIP);
    auto trashed = post_action(driver, url + "/supprimer");
    ASSERT_EQ(trashed.status, 303);
    EXPECT_FALSE(contains(driver.get("/messagerie").body, TRIP));
    auto trash = driver.get("/messagerie/corbeille");
    EXPECT_TRUE(contains(trash.body, TRIP));
    EXPECT_TRUE(contains(trash.body, "Vider la corbeille"));
    EXPECT_TRUE(contains(driver.get(url).body, "Restaurer"));

    ASSERT_EQ(post_action(driver, url + "/restaurer").status, 303);
    EXPECT_TRUE(contains(driver.get("/messagerie").body, TRIP));
    EXPECT_FALSE(contains(driver.get("/messagerie/corbeille").body, TRIP));

    ASSERT_EQ(post_action(driver, url + "/supprimer").status, 303);
    driver.get("/messagerie/corbeille");
    ASSERT_EQ(post_action(driver, "/messagerie/corbeille/vider").status, 303);
    EXPECT_FALSE(contains(driver.get("/messagerie/corbeille").body, TRIP));
    EXPECT_EQ(driver.get(url).status, 404);
    // The sender keeps their copy.
    sign_in_as(driver, "samuel.beaumont");
    EXPECT_EQ(driver.get(url).status, 200);
}

TEST(MailRoutes, ReplyReplyToAllAndForward)
{
    AppDriver driver;
    sign_in_as(driver, "samuel.beaumont");
    ASSERT_EQ(send_message(driver, { "andre.chamson", "sophie.roux" }, TRIP, TRIP_BODY).status, 303);
    auto id = std::to_string(message_id(driver, TRIP));
    sign_in_as(driver, "andre.chamson");
    auto reply = driver.get("/messagerie/nouveau?repondre=" + id);
    ASSERT_EQ(reply.status, 200);
    EXPECT_TRUE(contains(reply.body, std::string("Re : ") + TRIP));
    auto const recipient = [&](std::string const& login) {
        return "name=\"destinataire\" value=\"" + std::to_string(user_id(driver, login)) + "\"";
    };
    EXPECT_TRUE(contains(reply.body, recipient("samuel.beaumont")));
    EXPECT_FALSE(contains(reply.body, recipient("sophie.roux")));
    EXPECT_TRUE(contains(reply.body, "----- Message d&#39;origine -----")
        || contains(reply.body, "----- Message d'origine -----"));
    // Reply to all offers Sophie ROUX, whom a guardian may not write to: removed, with a word.
    auto all = driver.get("/messagerie/nouveau?repondre-a-tous=" + id);
    EXPECT_TRUE(contains(all.body, recipient("samuel.beaumont")));
    EXPECT_FALSE(contains(all.body, recipient("sophie.roux")));
    EXPECT_TRUE(contains(all.body, "ont été retirés"));
    auto forward = driver.get("/messagerie/nouveau?transferer=" + id);
    EXPECT_TRUE(contains(forward.body, std::string("Tr : ") + TRIP));
    EXPECT_FALSE(contains(forward.body, "name=\"destinataire\""));

    ASSERT_EQ(
        send_message(driver, { "samuel.beaumont" }, std::string("Re : ") + TRIP, "Merci, Louis sera là.").status, 303);
    sign_in_as(driver, "samuel.beaumont");
    EXPECT_TRUE(contains(driver.get("/messagerie").body, std::string("Re : ") + TRIP));
}

TEST(MailRoutes, FoldersArePagedByTwentyFive)
{
    AppDriver driver;
    auto const samuel = user_id(driver, "samuel.beaumont");
    std::vector<long long> const to { user_id(driver, "andre.chamson") };
    {
        auto lease = driver.services().database->lease();
        auto sender = identity::store::find_user(lease.session(), samuel);
        ASSERT_TRUE(sender);
        for (int index = 1; index <= 26; ++index) {
            auto id = mail::save_draft(lease.session(), *sender, std::nullopt, to,
                "Séance " + std::to_string(index) + " de la semaine", "Le programme.", 1000 + index);
            mail::send_draft(lease.session(), sender->id, id, 1000 + index);
        }
    }
    sign_in_as(driver, "andre.chamson");
    auto first = driver.get("/messagerie");
    EXPECT_TRUE(contains(first.body, "Page 1 sur 2"));
    EXPECT_TRUE(contains(first.body, "Séance 26 de la semaine"));
    EXPECT_FALSE(contains(first.body, "Séance 1 de la semaine"));
    EXPECT_TRUE(contains(first.body, "Page suivante"));
    EXPECT_TRUE(contains(first.body, "class=\"unread-count\">(26<"));
    auto second = driver.get("/messagerie?page=2");
    EXPECT_TRUE(contains(second.body, "Page 2 sur 2"));
    EXPECT_TRUE(contains(second.body, "Séance 1 de la semaine"));
    EXPECT_TRUE(contains(second.body, "Page précédente"));
}

TEST(MailRoutes, SearchFindsTheSubjectTheTextAndTheSenderInOnesOwnMessagesOnly)
{
    AppDriver driver;
    sign_in_as(driver, "samuel.beaumont");
    ASSERT_EQ(send_message(driver, { "andre.chamson" }, TRIP, TRIP_BODY).status, 303);
    ASSERT_EQ(send_message(driver, { "andre.chamson" }, "Conseil de classe", "Le conseil se tient mardi.").status, 303);
    sign_in_as(driver, "andre.chamson");
    for (auto const* query : { "C%C3%A9venol", "mus%C3%A9e", "matin", "beaumont", "SAMUEL" }) {
        auto found = driver.get(std::string("/messagerie/recherche?q=") + query);
        ASSERT_EQ(found.status, 200) << query;
        EXPECT_TRUE(contains(found.body, TRIP)) << query;
    }
    auto council = driver.get("/messagerie/recherche?q=mardi");
    EXPECT_TRUE(contains(council.body, "Conseil de classe"));
    EXPECT_FALSE(contains(council.body, TRIP));
    EXPECT_TRUE(contains(driver.get("/messagerie/recherche?q=piscine").body, "Aucun message dans ce dossier."));
    EXPECT_TRUE(contains(driver.get("/messagerie/recherche?q=50%25").body, "Aucun message dans ce dossier."));

    sign_in_as(driver, "sophie.roux");
    EXPECT_FALSE(contains(driver.get("/messagerie/recherche?q=matin").body, TRIP));
}

TEST(MailStore, MesDonneesHoldTheMessagesAndADepartureForgetsTheMailbox)
{
    AppDriver driver;
    sign_in_as(driver, "samuel.beaumont");
    ASSERT_EQ(send_message(driver, { "andre.chamson" }, TRIP, TRIP_BODY).status, 303);
    auto const andre = user_id(driver, "andre.chamson");
    auto const sophie = user_id(driver, "sophie.roux");
    auto const samuel = user_id(driver, "samuel.beaumont");
    auto const trip = message_id(driver, TRIP);
    auto lease = driver.services().database->lease();
    auto json = mail::personal_data_json(lease.session(), andre);
    EXPECT_TRUE(contains(json, TRIP));
    EXPECT_TRUE(contains(json, "Samuel BEAUMONT"));
    EXPECT_FALSE(contains(mail::personal_data_json(lease.session(), sophie), TRIP));
    // A message to several families names only its sender in each one's archive.
    EXPECT_FALSE(contains(mail::personal_data_json(lease.session(), sophie), "CHAMSON"));

    mail::forget_mailbox(lease.session(), andre);
    EXPECT_EQ(mail::personal_data_json(lease.session(), andre), "[]");
    EXPECT_FALSE(mail::find_entry(lease.session(), andre, trip));
    EXPECT_TRUE(mail::find_entry(lease.session(), samuel, trip));
}

TEST(MailRoutes, PersonalFoldersNestedOneLevelAndMovingMessages)
{
    AppDriver driver;
    sign_in_as(driver, "samuel.beaumont");
    ASSERT_EQ(send_message(driver, { "andre.chamson" }, TRIP, TRIP_BODY).status, 303);
    sign_in_as(driver, "andre.chamson");
    auto created = driver.post("/messagerie/dossiers", { { "csrf", driver.csrf_token() }, { "nom", "Sorties" } });
    ASSERT_EQ(created.status, 303);
    auto location = created.header("Location");
    auto folder = location.substr(std::string("/messagerie/dossiers/").size(), location.find('?') - 21);
    EXPECT_TRUE(contains(driver.get(location).body, "Le dossier est créé."));
    auto nested = driver.post(
        "/messagerie/dossiers", { { "csrf", driver.csrf_token() }, { "nom", "Musée" }, { "parent", folder } });
    ASSERT_EQ(nested.status, 303);
    auto nested_location = nested.header("Location");
    auto child = nested_location.substr(21, nested_location.find('?') - 21);
    // Not deeper than one level.
    driver.get("/messagerie");
    EXPECT_EQ(driver
                  .post("/messagerie/dossiers",
                      { { "csrf", driver.csrf_token() }, { "nom", "Trop profond" }, { "parent", child } })
                  .status,
        400);

    auto url = message_url(driver, TRIP);
    EXPECT_TRUE(contains(driver.get(url).body, "Déplacer vers"));
    ASSERT_EQ(driver.post(url + "/deplacer", { { "csrf", driver.csrf_token() }, { "dossier", child } }).status, 303);
    EXPECT_FALSE(contains(driver.get("/messagerie").body, TRIP));
    auto inside = driver.get("/messagerie/dossiers/" + child);
    EXPECT_TRUE(contains(inside.body, TRIP));
    EXPECT_TRUE(contains(inside.body, "Musée"));
    // Trashed from there, restored there.
    ASSERT_EQ(post_action(driver, url + "/supprimer").status, 303);
    EXPECT_FALSE(contains(driver.get("/messagerie/dossiers/" + child).body, TRIP));
    ASSERT_EQ(post_action(driver, url + "/restaurer").status, 303);
    EXPECT_TRUE(contains(driver.get("/messagerie/dossiers/" + child).body, TRIP));
    driver.get(url);
    ASSERT_EQ(driver.post(url + "/deplacer", { { "csrf", driver.csrf_token() }, { "dossier", "inbox" } }).status, 303);
    EXPECT_TRUE(contains(driver.get("/messagerie").body, TRIP));

    // Another person neither sees the folder nor moves into it.
    sign_in_as(driver, "samuel.beaumont");
    EXPECT_EQ(driver.get("/messagerie/dossiers/" + folder).status, 404);
    EXPECT_EQ(driver.post(url + "/deplacer", { { "csrf", driver.csrf_token() }, { "dossier", folder } }).status, 404);
}

TEST(MailRoutes, AnOptedInRecipientIsToldByEmailWithoutTheMessagesContent)
{
    AppDriver driver;
    auto const andre = user_id(driver, "andre.chamson");
    {
        auto lease = driver.services().database->lease();
        auto choices = preferences::choices_of(lease.session(), andre);
        choices.notification_email = "andre.chamson@outlook.fr";
        choices.notify_structure = true;
        preferences::save_choices(lease.session(), andre, choices, 1000);
    }
    sign_in_as(driver, "samuel.beaumont");
    ASSERT_EQ(send_message(driver, { "andre.chamson", "sophie.roux" }, TRIP, TRIP_BODY).status, 303);
    auto lease = driver.services().database->lease();
    long long count = 0;
    lease.session() << "SELECT COUNT(*) FROM notify_outbox", soci::into(count);
    EXPECT_EQ(count, 1); // Sophie ROUX did not opt in
    std::string recipient;
    std::string text;
    lease.session() << "SELECT recipient, text_body FROM notify_outbox", soci::into(recipient), soci::into(text);
    EXPECT_EQ(recipient, "andre.chamson@outlook.fr");
    EXPECT_TRUE(contains(text, "Samuel BEAUMONT vous a écrit"));
    EXPECT_TRUE(contains(text, "/messagerie/messages/"));
    EXPECT_FALSE(contains(text, "Cévenol"));
}

// SPDX-License-Identifier: AGPL-3.0-or-later
// The notifications (services/notifications): `publish` writes the
// notification of the centre and the e-mails and SMS the person chose, in
// the event's transaction; the bell and /notifications through the pages;
// the choices page. Store tests on SQLite and PostgreSQL.
#include "app/demo_school.h"
#include "core/identity/identity_store.h"
#include "services/notifications/notifications.h"
#include "services/notifications/notifications_internal.h"
#include "services/preferences/preferences.h"
#include "services/publishing/publishing_forms.h"
#include "tests/support/app_driver.h"
#include <ctime>
#include <gtest/gtest.h>

using namespace cartable;
using cartable::testing::AppDriver;
using cartable::testing::contains;
using cartable::testing::user_id;

namespace {

using Form = std::vector<std::pair<std::string, std::string>>;

constexpr char const* URL = "https://ent.example.fr";

// A local time, whatever the process's time zone.
long long local_time(int year, int month, int day, int hour, int minute)
{
    std::tm parts {};
    parts.tm_year = year - 1900;
    parts.tm_mon = month - 1;
    parts.tm_mday = day;
    parts.tm_hour = hour;
    parts.tm_min = minute;
    parts.tm_isdst = -1;
    return static_cast<long long>(std::mktime(&parts));
}

void opt_in(AppDriver& driver, long long person, bool structure = true)
{
    auto lease = driver.services().database->lease();
    auto choices = preferences::choices_of(lease.session(), person);
    choices.notification_email = "parent@example.fr";
    choices.notify_structure = structure;
    preferences::save_choices(lease.session(), person, choices, 1000);
}

// The directory's mobile number, chosen (or not) for SMS.
void set_mobile(AppDriver& driver, long long person, std::string const& number, bool for_sms = true)
{
    auto lease = driver.services().database->lease();
    auto contact = identity::store::find_contact(lease.session(), person);
    contact.phone_mobile = number;
    identity::store::save_contact(lease.session(), person, contact);
    auto choices = preferences::choices_of(lease.session(), person);
    choices.sms_phone = for_sms ? preferences::SmsPhone::Mobile : preferences::SmsPhone::None;
    preferences::save_choices(lease.session(), person, choices, 1000);
}

notifications::Published publish(AppDriver& driver, notifications::Notification const& notice, long long now)
{
    auto published
        = driver.services().database->write([&](soci::session& session) -> ErrorOr<notifications::Published> {
              return notifications::publish(session, notice, URL, now);
          });
    return published.release_value();
}

notifications::Notification notice(
    long long recipient, notifications::Event event = notifications::Event::Message, long long child = 0)
{
    notifications::Notification result;
    result.recipient_id = recipient;
    result.event = event;
    result.child_id = child;
    result.title = "Nouveau message de Samuel BEAUMONT";
    result.link = "/messagerie/messages/7";
    result.summary = "Samuel BEAUMONT vous a écrit dans la messagerie de votre ENT.";
    return result;
}

long long count(AppDriver& driver, std::string const& sql, long long person = 0)
{
    auto lease = driver.services().database->lease();
    long long result = 0;
    if (person != 0)
        lease.session() << sql, soci::use(person), soci::into(result);
    else
        lease.session() << sql, soci::into(result);
    return result;
}

long long items_of(AppDriver& driver, long long person)
{
    return count(driver, "SELECT COUNT(*) FROM notifications_item WHERE recipient_id = :p", person);
}

long long outbox(AppDriver& driver, std::string const& channel)
{
    auto lease = driver.services().database->lease();
    long long result = 0;
    lease.session() << "SELECT COUNT(*) FROM notify_outbox WHERE channel = :c", soci::use(channel), soci::into(result);
    return result;
}

void sign_in_as(AppDriver& driver, std::string const& login)
{
    driver.forget_cookies();
    driver.sign_in(login, app::DEMO_PASSWORD);
    driver.get("/accueil");
}

constexpr long long NOON = 1'750'000'000; // any time; quiet hours are set only where tested

} // namespace

TEST(NotificationsStore, PublishWritesTheNotificationAndTheEmailOfAnOptedInGuardian)
{
    AppDriver driver;
    auto andre = user_id(driver, "andre.chamson");
    opt_in(driver, andre);
    auto published = publish(driver, notice(andre), NOON);
    EXPECT_TRUE(published.in_ent);
    EXPECT_TRUE(published.email);
    EXPECT_FALSE(published.sms); // SMS off by default
    EXPECT_EQ(items_of(driver, andre), 1);
    EXPECT_EQ(outbox(driver, "email"), 1);
    auto lease = driver.services().database->lease();
    std::string recipient;
    std::string subject;
    std::string text;
    std::string html;
    long long next = 0;
    lease.session() << "SELECT recipient, subject, text_body, html_body, next_attempt_at FROM notify_outbox",
        soci::into(recipient), soci::into(subject), soci::into(text), soci::into(html), soci::into(next);
    EXPECT_EQ(recipient, "parent@example.fr");
    EXPECT_EQ(subject, "Nouveau message de Samuel BEAUMONT");
    EXPECT_TRUE(contains(text, "https://ent.example.fr/messagerie/messages/7"));
    EXPECT_TRUE(contains(html, "href=\"https://ent.example.fr/messagerie/messages/7\""));
    EXPECT_EQ(next, NOON);
}

TEST(NotificationsStore, AnOptedOutGuardianGetsTheBellButNoEmail)
{
    AppDriver driver;
    auto andre = user_id(driver, "andre.chamson");
    opt_in(driver, andre, false);
    auto published = publish(driver, notice(andre), NOON);
    EXPECT_TRUE(published.in_ent);
    EXPECT_FALSE(published.email);
    EXPECT_EQ(items_of(driver, andre), 1);
    EXPECT_EQ(outbox(driver, "email"), 0);
}

TEST(NotificationsStore, ChoicesArePerChildForAGuardianAndSmsGoesToTheMobile)
{
    AppDriver driver;
    auto andre = user_id(driver, "andre.chamson");
    auto louis = user_id(driver, "louis.chamson");
    auto pauline = user_id(driver, "pauline.chamson");
    opt_in(driver, andre);
    set_mobile(driver, andre, "06 12 34 56 78");
    sign_in_as(driver, "andre.chamson");
    auto page = driver.get("/preferences/notifications");
    ASSERT_EQ(page.status, 200);
    EXPECT_TRUE(contains(page.body, "Pour Louis CHAMSON"));
    EXPECT_TRUE(contains(page.body, "Pour Pauline CHAMSON"));
    EXPECT_TRUE(contains(page.body, "Nouveau mot dans le carnet de liaison"));
    // Absences of Louis by SMS only; Pauline's in the ENT only.
    Form form { { "csrf", driver.csrf_token() } };
    form.emplace_back("choix_message_0_ent", "1");
    form.emplace_back("choix_absence_" + std::to_string(louis) + "_ent", "1");
    form.emplace_back("choix_absence_" + std::to_string(louis) + "_sms", "1");
    form.emplace_back("choix_absence_" + std::to_string(pauline) + "_ent", "1");
    auto saved = driver.post("/preferences/notifications", form);
    ASSERT_EQ(saved.status, 303);
    EXPECT_EQ(saved.header("Location"), "/preferences/notifications?enregistre=1");

    auto about_louis = notice(andre, notifications::Event::Absence, louis);
    about_louis.title = "Absence enregistrée pour Louis";
    about_louis.link = "/vie-scolaire";
    auto published = publish(driver, about_louis, NOON);
    EXPECT_TRUE(published.in_ent);
    EXPECT_FALSE(published.email);
    EXPECT_TRUE(published.sms);
    auto about_pauline = notice(andre, notifications::Event::Absence, pauline);
    published = publish(driver, about_pauline, NOON);
    EXPECT_TRUE(published.in_ent);
    EXPECT_FALSE(published.email);
    EXPECT_FALSE(published.sms);
    // The message's e-mail was unchecked: no e-mail for it either.
    published = publish(driver, notice(andre), NOON);
    EXPECT_FALSE(published.email);
    EXPECT_EQ(outbox(driver, "email"), 0);
    EXPECT_EQ(outbox(driver, "sms"), 1);
    auto lease = driver.services().database->lease();
    std::string number;
    std::string text;
    lease.session() << "SELECT recipient, text_body FROM notify_outbox WHERE channel = 'sms'", soci::into(number),
        soci::into(text);
    EXPECT_EQ(number, "06 12 34 56 78");
    EXPECT_TRUE(text.starts_with("Cartable : Absence enregistrée pour Louis"));
}

TEST(NotificationsStore, QuietHoursDelayEmailsButNotTheBell)
{
    AppDriver driver;
    auto andre = user_id(driver, "andre.chamson");
    opt_in(driver, andre);
    sign_in_as(driver, "andre.chamson");
    driver.get("/preferences/notifications");
    Form form { { "csrf", driver.csrf_token() }, { "choix_message_0_ent", "1" }, { "choix_message_0_email", "1" },
        { "calme_debut", "21:00" }, { "calme_fin", "07:00" } };
    ASSERT_EQ(driver.post("/preferences/notifications", form).status, 303);
    auto page = driver.get("/preferences/notifications");
    EXPECT_TRUE(contains(page.body, "value=\"21:00\""));

    auto evening = local_time(2026, 3, 10, 22, 15);
    publish(driver, notice(andre), evening);
    auto afternoon = local_time(2026, 3, 10, 15, 0);
    publish(driver, notice(andre), afternoon);
    EXPECT_EQ(items_of(driver, andre), 2);
    auto lease = driver.services().database->lease();
    std::vector<long long> due(2);
    std::vector<long long> created(2);
    lease.session() << "SELECT next_attempt_at, created_at FROM notify_outbox ORDER BY id", soci::into(due),
        soci::into(created);
    ASSERT_EQ(due.size(), 2U);
    EXPECT_EQ(due[0], local_time(2026, 3, 11, 7, 0));
    EXPECT_EQ(due[1], afternoon);
}

TEST(NotificationsRoutes, TheBellCountsUnreadAndTheListOpensAndMarksThemRead)
{
    AppDriver driver;
    auto andre = user_id(driver, "andre.chamson");
    sign_in_as(driver, "andre.chamson");
    auto before = driver.get("/accueil");
    EXPECT_TRUE(contains(before.body, "href=\"/notifications\""));
    EXPECT_FALSE(contains(before.body, "non lue"));

    // A teacher writes: the guardian's bell shows it.
    sign_in_as(driver, "samuel.beaumont");
    driver.get("/messagerie/nouveau");
    Form message { { "csrf", driver.csrf_token() }, { "destinataire", std::to_string(andre) },
        { "objet", "Sortie au musée" }, { "corps", "Bonjour" }, { "action", "envoyer" } };
    ASSERT_EQ(driver.post("/messagerie/nouveau", message).status, 303);
    for (int i = 0; i < 2; ++i)
        publish(driver, notice(andre), NOON + i);

    sign_in_as(driver, "andre.chamson");
    auto home = driver.get("/accueil");
    EXPECT_TRUE(contains(home.body, "Notifications (3 non lues)"));
    auto list = driver.get("/notifications");
    ASSERT_EQ(list.status, 200);
    EXPECT_TRUE(contains(list.body, "Nouveau message de Samuel BEAUMONT"));
    EXPECT_FALSE(contains(list.body, "Sortie au musée")); // never the subject

    long long newest = 0;
    {
        auto lease = driver.services().database->lease();
        lease.session() << "SELECT MAX(id) FROM notifications_item WHERE link LIKE '/messagerie/messages/%' "
                           "AND recipient_id = :p",
            soci::use(andre), soci::into(newest);
    }
    auto opened = driver.get("/notifications/" + std::to_string(newest));
    ASSERT_EQ(opened.status, 303);
    EXPECT_TRUE(opened.header("Location").starts_with("/messagerie/messages/"));
    EXPECT_TRUE(contains(driver.get("/accueil").body, "Notifications (2 non lues)"));

    ASSERT_EQ(driver.post("/notifications/tout-lu", { { "csrf", driver.csrf_token() } }).status, 303);
    auto after = driver.get("/accueil");
    EXPECT_FALSE(contains(after.body, "non lue"));
    EXPECT_EQ(
        count(driver, "SELECT COUNT(*) FROM notifications_item WHERE recipient_id = :p AND read_at = 0", andre), 0);

    // Another person's notification: not found, and left unread.
    auto sophie = user_id(driver, "sophie.roux");
    publish(driver, notice(sophie), NOON);
    long long hers = 0;
    {
        auto lease = driver.services().database->lease();
        lease.session() << "SELECT MAX(id) FROM notifications_item WHERE recipient_id = :p", soci::use(sophie),
            soci::into(hers);
    }
    EXPECT_EQ(driver.get("/notifications/" + std::to_string(hers)).status, 404);
    EXPECT_EQ(
        count(driver, "SELECT COUNT(*) FROM notifications_item WHERE recipient_id = :p AND read_at = 0", sophie), 1);
}

TEST(NotificationsRoutes, TheListIsPagedNewestFirst)
{
    AppDriver driver;
    auto andre = user_id(driver, "andre.chamson");
    for (int i = 0; i < 25; ++i) {
        auto item = notice(andre);
        item.title = "Notification numéro " + std::to_string(i);
        publish(driver, item, NOON + i);
    }
    sign_in_as(driver, "andre.chamson");
    auto first = driver.get("/notifications");
    EXPECT_TRUE(contains(first.body, "Notification numéro 24"));
    EXPECT_FALSE(contains(first.body, "Notification numéro 4<"));
    EXPECT_TRUE(contains(first.body, "Page 1 sur 2"));
    auto second = driver.get("/notifications?page=2");
    EXPECT_TRUE(contains(second.body, "Notification numéro 4<"));
    EXPECT_TRUE(contains(second.body, "Notification numéro 0<"));
}

TEST(NotificationsRoutes, ABadChoicesFormShowsAFrenchErrorAndChangesNothing)
{
    AppDriver driver;
    auto andre = user_id(driver, "andre.chamson");
    sign_in_as(driver, "andre.chamson");
    driver.get("/preferences/notifications");
    set_mobile(driver, andre, "06 12 34 56 78");
    driver.get("/preferences/notifications");
    Form form { { "csrf", driver.csrf_token() }, { "choix_message_0_sms", "1" }, { "calme_debut", "25:00" },
        { "calme_fin", "07:00" } };
    auto refused = driver.post("/preferences/notifications", form);
    EXPECT_EQ(refused.status, 400);
    EXPECT_TRUE(contains(refused.body, "L&#39;heure de début n&#39;est pas une heure valable")
        || contains(refused.body, "L'heure de début n'est pas une heure valable"));
    EXPECT_EQ(count(driver, "SELECT COUNT(*) FROM notifications_choice WHERE user_id = :p", andre), 0);
    EXPECT_EQ(count(driver, "SELECT COUNT(*) FROM notifications_quiet WHERE user_id = :p", andre), 0);
    // Without a mobile number, SMS are unavailable.
    // « Aucune » number for SMS: they are unavailable, whatever the directory holds.
    set_mobile(driver, andre, "06 12 34 56 78", false);
    EXPECT_TRUE(contains(driver.get("/preferences/notifications").body, "SMS indisponibles"));
    set_mobile(driver, andre, "06 12 34 56 78");
    EXPECT_FALSE(contains(driver.get("/preferences/notifications").body, "SMS indisponibles"));
}

TEST(NotificationsStore, MesDonneesHoldTheNotificationsAndADepartureForgetsThem)
{
    AppDriver driver;
    auto andre = user_id(driver, "andre.chamson");
    auto sophie = user_id(driver, "sophie.roux");
    publish(driver, notice(andre), NOON);
    publish(driver, notice(sophie), NOON);
    auto lease = driver.services().database->lease();
    auto json = notifications::personal_data_json(lease.session(), andre);
    EXPECT_TRUE(contains(json, "Nouveau message de Samuel BEAUMONT"));
    EXPECT_TRUE(contains(json, "/messagerie/messages/7"));
    auto former = identity::store::find_user(lease.session(), andre);
    ASSERT_TRUE(former);
    for (auto const& handler : driver.services().departure_handlers)
        handler(lease.session(), *former, false);
    EXPECT_EQ(items_of(driver, andre), 0);
    EXPECT_EQ(items_of(driver, sophie), 1);
    EXPECT_FALSE(contains(notifications::personal_data_json(lease.session(), andre), "Samuel"));
}

TEST(NotificationsRoutes, ANewsItemOfTheStructureIsAnnouncedToItsMembersNotToItsAuthor)
{
    AppDriver driver;
    auto andre = user_id(driver, "andre.chamson");
    auto philippe = user_id(driver, "philippe.garnier");
    opt_in(driver, andre); // e-mail for articles is off by default
    sign_in_as(driver, "philippe.garnier");
    Form form { { "csrf", driver.csrf_token() }, { "portee", "etablissement" }, { "cle", "0300027A" },
        { "titre", "Réunion parents-professeurs" }, { "resume", "Les professeurs reçoivent les familles." },
        { "texte", "Salle polyvalente." }, { "date", publishing::date_input(std::time(nullptr)) },
        { "visibilite", "public" } };
    ASSERT_EQ(driver.post("/publication/actualites", form).status, 303);
    EXPECT_EQ(items_of(driver, andre), 1);
    EXPECT_EQ(items_of(driver, philippe), 0);
    EXPECT_EQ(outbox(driver, "email"), 0);
    sign_in_as(driver, "andre.chamson");
    auto list = driver.get("/notifications");
    EXPECT_TRUE(contains(list.body, "Nouvel article : Réunion parents-professeurs"));
    long long id = 0;
    {
        auto lease = driver.services().database->lease();
        lease.session() << "SELECT MAX(id) FROM notifications_item WHERE recipient_id = :p", soci::use(andre),
            soci::into(id);
    }
    auto opened = driver.get("/notifications/" + std::to_string(id));
    EXPECT_EQ(opened.status, 303);
    EXPECT_TRUE(opened.header("Location").starts_with("/portail/0300027A/actualites/"));
}

// SPDX-License-Identifier: AGPL-3.0-or-later
// What a message carries: rich text sanitized on the server, attachments
// stored once and counted in the sender's quota, and full-text search over
// it all (both engines).
#include "app/demo_school.h"
#include "services/admin/admin.h"
#include "services/mail/mail.h"
#include "tests/support/app_driver.h"
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <sstream>

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

Form compose_form(AppDriver& driver, std::vector<std::string> const& recipients, std::string const& subject,
    std::string const& body, std::string const& action)
{
    driver.get("/messagerie/nouveau");
    Form form { { "csrf", driver.csrf_token() } };
    for (auto const& login : recipients)
        form.emplace_back("destinataire", std::to_string(user_id(driver, login)));
    form.emplace_back("objet", subject);
    form.emplace_back("corps", body);
    form.emplace_back("action", action);
    return form;
}

long long count_of(AppDriver& driver, std::string const& sql)
{
    auto lease = driver.services().database->lease();
    long long count = 0;
    lease.session() << sql, soci::into(count);
    return count;
}

long long message_id(AppDriver& driver, std::string const& subject)
{
    auto lease = driver.services().database->lease();
    long long id = 0;
    lease.session() << "SELECT id FROM mail_message WHERE subject = :subject", soci::use(subject), soci::into(id);
    return id;
}

std::size_t stored_files(AppDriver& driver)
{
    auto directory = driver.services().config.data_directory / "mail" / "attachments";
    if (!std::filesystem::exists(directory))
        return 0;
    return static_cast<std::size_t>(
        std::distance(std::filesystem::directory_iterator(directory), std::filesystem::directory_iterator {}));
}

std::string content_of(http::Response const& response)
{
    if (!response.file)
        return response.body;
    std::ifstream input(response.file->path, std::ios::binary);
    std::ostringstream text;
    text << input.rdbuf();
    return text.str();
}

constexpr char const* AUTHORISATION = "%PDF-1.4 autorisation de sortie au musée Cévenol";

} // namespace

TEST(MailContent, RichTextIsSanitizedOnTheServerWhateverTheFormSends)
{
    AppDriver driver;
    sign_in_as(driver, "samuel.beaumont");
    auto form = compose_form(driver, { "andre.chamson" }, "Sortie au musée",
        "<p>Bonjour,</p><p>La sortie est <strong>maintenue</strong>.<script>alert(1)</script>"
        "<img src=x onerror=alert(2)><a href=\"javascript:alert(3)\">programme</a>"
        "<a href=\"https://www.musee-cevenol.fr/\" onclick=\"alert(4)\">musée</a></p>",
        "envoyer");
    form.emplace_back("format", "html");
    ASSERT_EQ(driver.post("/messagerie/nouveau", form).status, 303);
    sign_in_as(driver, "andre.chamson");
    auto page = driver.get("/messagerie/messages/" + std::to_string(message_id(driver, "Sortie au musée")));
    ASSERT_EQ(page.status, 200);
    EXPECT_TRUE(contains(page.body, "<strong>maintenue</strong>"));
    EXPECT_TRUE(contains(page.body, "href=\"https://www.musee-cevenol.fr/\" rel=\"noopener noreferrer nofollow\""));
    for (auto const* bad : { "<script>alert", "onerror", "javascript:", "onclick", "alert(2)" })
        EXPECT_FALSE(contains(page.body, bad)) << bad;
    // Stored sanitized, not only shown so.
    auto lease = driver.services().database->lease();
    std::string stored;
    lease.session() << "SELECT body FROM mail_message WHERE subject = 'Sortie au musée'", soci::into(stored);
    EXPECT_FALSE(contains(stored, "script"));
    EXPECT_FALSE(contains(stored, "onerror"));
}

TEST(MailContent, APlainTextareaKeepsItsLinesAndShowsMarkupAsText)
{
    AppDriver driver;
    sign_in_as(driver, "samuel.beaumont");
    ASSERT_EQ(driver
                  .post("/messagerie/nouveau",
                      compose_form(
                          driver, { "andre.chamson" }, "Réunion", "Bonjour,\n<b>mardi</b> à 18 h\n\nMerci", "envoyer"))
                  .status,
        303);
    sign_in_as(driver, "andre.chamson");
    auto page = driver.get("/messagerie/messages/" + std::to_string(message_id(driver, "Réunion")));
    EXPECT_TRUE(contains(page.body, "<p>Bonjour,<br>&lt;b&gt;mardi&lt;/b&gt; à 18 h</p><p>Merci</p>"));
    // Replying quotes it; the textarea (no JavaScript) holds the text.
    auto reply = driver.get("/messagerie/nouveau?repondre=" + std::to_string(message_id(driver, "Réunion")));
    EXPECT_TRUE(contains(reply.body, "Message d&#39;origine") || contains(reply.body, "Message d&#x27;origine"));
    EXPECT_TRUE(contains(reply.body, "&lt;b&gt;mardi&lt;/b&gt; à 18 h"));
}

TEST(MailContent, AnAttachmentIsStoredOnceForEveryRecipientAndOnlyTheyDownloadIt)
{
    AppDriver driver;
    sign_in_as(driver, "samuel.beaumont");
    auto form = compose_form(driver, { "andre.chamson", "sophie.roux", "karim.benali" }, "Autorisation de sortie",
        "Merci de la signer.", "envoyer");
    auto sent = driver.post_files("/messagerie/nouveau", form, { { "pieces", "autorisation.pdf", AUTHORISATION } });
    ASSERT_EQ(sent.status, 303) << sent.body;
    EXPECT_EQ(count_of(driver, "SELECT COUNT(*) FROM mail_attachment"), 1);
    EXPECT_EQ(stored_files(driver), 1U);
    auto id = std::to_string(message_id(driver, "Autorisation de sortie"));
    long long attachment = count_of(driver, "SELECT MAX(id) FROM mail_attachment");
    auto url = "/messagerie/messages/" + id + "/pieces/" + std::to_string(attachment);

    // The sender's quota counts it.
    {
        auto lease = driver.services().database->lease();
        EXPECT_EQ(mail::attachment_bytes_of(lease.session(), user_id(driver, "samuel.beaumont")),
            static_cast<long long>(std::string(AUTHORISATION).size()));
    }

    for (auto const* login : { "andre.chamson", "sophie.roux" }) {
        sign_in_as(driver, login);
        auto page = driver.get("/messagerie/messages/" + id);
        EXPECT_TRUE(contains(page.body, "autorisation.pdf")) << login;
        auto download = driver.get(url);
        ASSERT_EQ(download.status, 200) << login;
        EXPECT_EQ(content_of(download), AUTHORISATION);
        EXPECT_TRUE(contains(download.header("Content-Disposition"), "attachment"));
        EXPECT_EQ(download.header("Content-Type"), "application/pdf");
    }
    // Someone who neither sent nor received it, whatever the ids.
    sign_in_as(driver, "pauline.chamson");
    EXPECT_EQ(driver.get(url).status, 404);
    sign_in_as(driver, "julien.favier");
    EXPECT_EQ(driver.get(url).status, 404);
    // A recipient who emptied it from their trash.
    sign_in_as(driver, "karim.benali");
    driver.post("/messagerie/messages/" + id + "/supprimer", { { "csrf", driver.csrf_token() } });
    driver.post("/messagerie/corbeille/vider", { { "csrf", driver.csrf_token() } });
    EXPECT_EQ(driver.get(url).status, 404);
}

TEST(MailContent, TooLargeFilesAndAFullQuotaAreRefusedAndNothingIsWritten)
{
    AppDriver driver;
    sign_in_as(driver, "samuel.beaumont");
    auto messages = count_of(driver, "SELECT COUNT(*) FROM mail_message");
    auto form = compose_form(driver, { "andre.chamson" }, "Photos", "Les photos de la sortie.", "envoyer");
    auto large = driver.post_files(
        "/messagerie/nouveau", form, { { "pieces", "photos.zip", std::string((10 << 20) + 1, 'x') } });
    EXPECT_EQ(large.status, 413);
    EXPECT_TRUE(contains(large.body, "dépasse 10 Mo"));
    EXPECT_TRUE(contains(large.body, "Les photos de la sortie."));
    EXPECT_EQ(count_of(driver, "SELECT COUNT(*) FROM mail_message"), messages);
    EXPECT_EQ(count_of(driver, "SELECT COUNT(*) FROM mail_attachment"), 0);
    EXPECT_EQ(stored_files(driver), 0U);

    {
        auto lease = driver.services().database->lease();
        auto teacher = user_id(driver, "samuel.beaumont");
        long long structure = 0;
        lease.session() << "SELECT structure_id FROM identity_user WHERE id = :id", soci::use(teacher),
            soci::into(structure);
        admin::save_quota(lease.session(), structure, access::Profile::Teacher, 1000);
    }
    form = compose_form(driver, { "andre.chamson" }, "Photos", "Les photos de la sortie.", "envoyer");
    auto full = driver.post_files("/messagerie/nouveau", form, { { "pieces", "photo.jpg", std::string(1500, 'y') } });
    EXPECT_EQ(full.status, 413);
    EXPECT_TRUE(contains(full.body, "Votre espace de stockage est plein"));
    EXPECT_EQ(count_of(driver, "SELECT COUNT(*) FROM mail_message"), messages);
    EXPECT_EQ(stored_files(driver), 0U);
    // Within the quota it goes.
    form = compose_form(driver, { "andre.chamson" }, "Photos", "Les photos de la sortie.", "envoyer");
    EXPECT_EQ(
        driver.post_files("/messagerie/nouveau", form, { { "pieces", "photo.jpg", std::string(900, 'y') } }).status,
        303);
}

TEST(MailContent, JoindreKeepsTheDraftAndRetirerRemovesTheFile)
{
    AppDriver driver;
    sign_in_as(driver, "samuel.beaumont");
    auto form = compose_form(driver, { "andre.chamson" }, "Programme", "Voici le programme.", "joindre");
    auto attached = driver.post_files("/messagerie/nouveau", form, { { "pieces", "programme.pdf", "%PDF-1.4 x" } });
    ASSERT_EQ(attached.status, 303);
    auto draft = driver.get(attached.header("Location"));
    EXPECT_TRUE(contains(draft.body, "La pièce jointe est ajoutée au brouillon."));
    EXPECT_TRUE(contains(draft.body, "programme.pdf"));
    EXPECT_EQ(stored_files(driver), 1U);
    auto draft_id = std::to_string(message_id(driver, "Programme"));
    auto piece = std::to_string(count_of(driver, "SELECT MAX(id) FROM mail_attachment"));
    // The removal saves what the form holds, then drops the file.
    auto removed = driver.post("/messagerie/nouveau",
        { { "csrf", driver.csrf_token() }, { "brouillon", draft_id },
            { "destinataire", std::to_string(user_id(driver, "andre.chamson")) }, { "objet", "Programme modifié" },
            { "corps", "Voici le programme." }, { "retirer-piece", piece } });
    ASSERT_EQ(removed.status, 303);
    EXPECT_TRUE(contains(driver.get(removed.header("Location")).body, "La pièce jointe est retirée."));
    EXPECT_EQ(count_of(driver, "SELECT COUNT(*) FROM mail_attachment"), 0);
    EXPECT_EQ(stored_files(driver), 0U);
    EXPECT_EQ(message_id(driver, "Programme modifié"), std::stoll(draft_id));
    // Another person cannot remove an attachment of this draft.
    auto again = driver.post_files("/messagerie/nouveau",
        compose_form(driver, { "andre.chamson" }, "Programme 2", "Voici.", "joindre"),
        { { "pieces", "programme.pdf", "%PDF-1.4 x" } });
    ASSERT_EQ(again.status, 303);
    auto other_draft = std::to_string(message_id(driver, "Programme 2"));
    piece = std::to_string(count_of(driver, "SELECT MAX(id) FROM mail_attachment"));
    sign_in_as(driver, "marie.delmas");
    auto refused = driver.post("/messagerie/nouveau",
        { { "csrf", driver.csrf_token() }, { "brouillon", other_draft }, { "objet", "x" }, { "corps", "x" },
            { "retirer-piece", piece } });
    EXPECT_EQ(refused.status, 404);
    EXPECT_EQ(count_of(driver, "SELECT COUNT(*) FROM mail_attachment"), 1);
}

TEST(MailContent, AForwardCarriesTheAttachmentsWithoutCopyingTheFiles)
{
    AppDriver driver;
    sign_in_as(driver, "samuel.beaumont");
    auto form = compose_form(driver, { "andre.chamson" }, "Autorisation", "À signer.", "envoyer");
    ASSERT_EQ(
        driver.post_files("/messagerie/nouveau", form, { { "pieces", "autorisation.pdf", AUTHORISATION } }).status,
        303);
    sign_in_as(driver, "andre.chamson");
    auto original = message_id(driver, "Autorisation");
    auto forward = driver.get("/messagerie/nouveau?transferer=" + std::to_string(original));
    EXPECT_TRUE(contains(forward.body, "autorisation.pdf"));
    EXPECT_TRUE(contains(forward.body, "name=\"pieces-de\""));
    Form sent { { "csrf", driver.csrf_token() }, { "pieces-de", std::to_string(original) },
        { "destinataire", std::to_string(user_id(driver, "pauline.chamson")) }, { "objet", "Tr : Autorisation" },
        { "corps", "Pour information." }, { "action", "envoyer" } };
    ASSERT_EQ(driver.post("/messagerie/nouveau", sent).status, 303);
    EXPECT_EQ(count_of(driver, "SELECT COUNT(*) FROM mail_attachment"), 2);
    EXPECT_EQ(stored_files(driver), 1U);
    sign_in_as(driver, "pauline.chamson");
    auto forwarded = std::to_string(message_id(driver, "Tr : Autorisation"));
    auto page = driver.get("/messagerie/messages/" + forwarded);
    EXPECT_TRUE(contains(page.body, "autorisation.pdf"));
}

TEST(MailContent, FullTextSearchIgnoresAccentsAndCaseAndFindsWordBeginnings)
{
    AppDriver driver;
    sign_in_as(driver, "samuel.beaumont");
    auto form = compose_form(driver, { "andre.chamson" }, "Sortie au musée Cévenol",
        "<p>Rendez-vous à <em>8 h 45</em> devant l'Écomusée, avec un pique-nique.</p>", "envoyer");
    form.emplace_back("format", "html");
    ASSERT_EQ(driver.post("/messagerie/nouveau", form).status, 303);
    sign_in_as(driver, "andre.chamson");
    for (auto const* query : { "musee", "MUSÉE", "cevenol", "ecomusee", "pique", "pique-nique", "rendez vous",
             "beaumont", "Samuel", "muse cev" }) {
        auto found = driver.get(std::string("/messagerie/recherche?q=") + query);
        ASSERT_EQ(found.status, 200) << query;
        EXPECT_TRUE(contains(found.body, "Sortie au musée Cévenol")) << query;
    }
    for (auto const* query : { "piscine", "em", "%22", "*", "NEAR(", "zz:yy", "%26" }) {
        auto found = driver.get(std::string("/messagerie/recherche?q=") + query);
        EXPECT_EQ(found.status, 200) << query;
        EXPECT_FALSE(contains(found.body, "Sortie au musée Cévenol")) << query;
    }
    sign_in_as(driver, "sophie.roux");
    EXPECT_FALSE(contains(driver.get("/messagerie/recherche?q=musee").body, "Sortie au musée Cévenol"));
}

TEST(MailContent, SuggestionsOfferOnlyThePeopleOneMayWriteTo)
{
    AppDriver driver;
    sign_in_as(driver, "louis.chamson");
    // A student may write to teachers, not to other families' parents.
    auto teachers = driver.get("/messagerie/destinataires?q=beau");
    ASSERT_EQ(teachers.status, 200);
    EXPECT_EQ(teachers.header("Content-Type").substr(0, 16), "application/json");
    EXPECT_TRUE(contains(teachers.body, "Samuel BEAUMONT (Enseignant)"));
    auto parents = driver.get("/messagerie/destinataires?q=roux");
    EXPECT_FALSE(contains(parents.body, "Sophie ROUX"));
    // Too short a start suggests nobody; a namesake is told apart by profile.
    EXPECT_EQ(driver.get("/messagerie/destinataires?q=b").body, "[]");
    sign_in_as(driver, "samuel.beaumont");
    auto namesakes = driver.get("/messagerie/destinataires?q=andr%C3%A9%20cham");
    EXPECT_TRUE(contains(namesakes.body, "André CHAMSON (Responsable légal)"));
    EXPECT_TRUE(contains(namesakes.body, "André CHAMSON (Enseignant)"));
    // Signed out: nothing.
    driver.forget_cookies();
    EXPECT_NE(driver.get("/messagerie/destinataires?q=beau").status, 200);
}

TEST(MailContent, ReadingAMessageReadsItsNotification)
{
    AppDriver driver;
    sign_in_as(driver, "samuel.beaumont");
    ASSERT_EQ(
        driver
            .post("/messagerie/nouveau",
                compose_form(driver, { "andre.chamson" }, "Conseil de classe", "Le conseil se tient mardi.", "envoyer"))
            .status,
        303);
    sign_in_as(driver, "andre.chamson");
    auto before = driver.get("/accueil");
    EXPECT_TRUE(contains(before.body, "Notifications (1 non lue)"));
    driver.get("/messagerie/messages/" + std::to_string(message_id(driver, "Conseil de classe")));
    auto after = driver.get("/accueil");
    EXPECT_FALSE(contains(after.body, "non lue"));
    EXPECT_TRUE(contains(after.body, "Nouveau message de Samuel BEAUMONT") || contains(after.body, "Notifications"));
}

// SPDX-License-Identifier: AGPL-3.0-or-later
// The charter gate, the contact step, « Préférences » (with the liste rouge,
// account linking and the mobile application's tokens), shortcuts: route
// tests on SQLite and PostgreSQL.
#include "app/application.h"
#include "app/demo_school.h"
#include "core/identity/api_tokens.h"
#include "core/identity/charter.h"
#include "core/identity/identity_store.h"
#include "services/preferences/preferences.h"
#include "tests/support/app_driver.h"
#include <gtest/gtest.h>
#include <zip.h>

using namespace cartable;
using cartable::testing::AppDriver;
using cartable::testing::contains;
using cartable::testing::hidden_field;
using cartable::testing::user_id;

namespace {

preferences::Choices choices(AppDriver& driver, std::string const& login)
{
    auto id = user_id(driver, login);
    auto lease = driver.services().database->lease();
    return preferences::choices_of(lease.session(), id);
}

// A new version of the charter, as an administrator publishes it.
void publish_new_charter(AppDriver& admin)
{
    admin.get("/admin/charte");
    auto published = admin.post("/admin/charte",
        { { "csrf", admin.csrf_token() }, { "titre", "Charte d'utilisation de l'ENT (rentrée 2027)" },
            { "texte", "## Article 1\n\nLe texte change : les **conditions d'accès** sont précisées." } });
    ASSERT_EQ(published.status, 303);
}

std::string edit_form_post(AppDriver& driver, std::vector<std::pair<std::string, std::string>> fields, int& status)
{
    auto page = driver.get("/preferences/modifier");
    std::vector<std::pair<std::string, std::string>> form { { "csrf", driver.csrf_token() },
        { "email", "andre.chamson@outlook.fr" }, { "sms", "" }, { "telephone1", "" }, { "telephone2", "" },
        { "joindre", "" } };
    for (auto& [name, value] : fields) {
        bool replaced = false;
        for (auto& entry : form) {
            if (entry.first == name) {
                entry.second = value;
                replaced = true;
            }
        }
        if (!replaced)
            form.emplace_back(name, value);
    }
    auto response = driver.post("/preferences/modifier", form);
    status = response.status;
    return response.body;
}

} // namespace

TEST(CharterGate, EveryPageButTheAllowedOnesLeadsToTheCharter)
{
    AppDriver driver;
    auto signed_in = driver.sign_in_only("andre.chamson", app::DEMO_PASSWORD);
    ASSERT_EQ(signed_in.status, 303);
    EXPECT_EQ(signed_in.header("Location"), "/premiere-connexion");

    access::CapabilityRegistry registry;
    auto router = app::build_router(registry).release_value();
    int checked = 0;
    for (auto const& route : router.routes()) {
        auto const* capability = registry.find(route.capability);
        ASSERT_NE(capability, nullptr);
        if (route.before_charter || capability->scope == access::Scope::Public)
            continue;
        std::string path = route.pattern;
        for (auto start = path.find('{'); start != std::string::npos; start = path.find('{'))
            path.replace(start, path.find('}', start) - start + 1, "1");
        if (route.method == http::Method::Get) {
            auto response = driver.get(path);
            if (path.starts_with("/api/")) {
                EXPECT_EQ(response.status, 403) << path;
            } else if (response.status != 403) { // a guardian's forbidden pages stay forbidden
                EXPECT_EQ(response.status, 303) << path;
                EXPECT_EQ(response.header("Location"), "/premiere-connexion") << path;
            }
        } else {
            auto response = driver.post(path, { { "csrf", driver.csrf_token() } });
            EXPECT_EQ(response.status, 403) << path;
        }
        ++checked;
    }
    EXPECT_GT(checked, 15);

    // What stays open: the charter, help, signing out.
    auto charter = driver.get("/premiere-connexion");
    ASSERT_EQ(charter.status, 200);
    EXPECT_TRUE(contains(charter.body, "Charte d'utilisation"));
    EXPECT_TRUE(contains(charter.body, "Contact et préférences"));
    EXPECT_TRUE(contains(charter.body, "J'accepte la charte d'utilisation de l'ENT"));
    EXPECT_TRUE(contains(charter.body, "arrêté du 30 novembre 2006"));
    EXPECT_EQ(driver.get("/aide").status, 200);
    EXPECT_EQ(driver.get("/charte").status, 200);
    EXPECT_EQ(driver.post("/deconnexion", { { "csrf", driver.csrf_token() } }).status, 303);
    EXPECT_EQ(driver.cookie("cartable_session"), "");
}

TEST(CharterGate, AcceptanceIsRecordedAndANewVersionBringsTheCharterBack)
{
    AppDriver driver;
    ASSERT_EQ(driver.sign_in_only("andre.chamson", app::DEMO_PASSWORD).status, 303);
    auto page = driver.get("/premiere-connexion");
    auto version = hidden_field(page.body, "version");
    ASSERT_EQ(version, "1");
    // A version that is not the one in force is not accepted.
    auto stale = driver.post("/premiere-connexion/charte", { { "csrf", driver.csrf_token() }, { "version", "7" } });
    EXPECT_EQ(stale.header("Location"), "/premiere-connexion");
    EXPECT_EQ(driver.get("/accueil").status, 303);

    auto accepted = driver.accept_charter();
    ASSERT_EQ(accepted.status, 303);
    EXPECT_EQ(accepted.header("Location"), "/premiere-connexion/contact");
    EXPECT_EQ(driver.get("/accueil").status, 200);
    auto andre = user_id(driver, "andre.chamson");
    {
        auto lease = driver.services().database->lease();
        auto rows = identity::charter::acceptances(lease.session(), 1, 10, 0);
        ASSERT_EQ(rows.size(), 1u);
        EXPECT_EQ(rows[0].user_id, andre);
        EXPECT_EQ(rows[0].version, 1);
        EXPECT_GT(rows[0].accepted_at, 0);
    }

    // Only administrators publish and see acceptances.
    EXPECT_EQ(driver.get("/admin/charte").status, 403);
    EXPECT_EQ(
        driver.post("/admin/charte", { { "csrf", driver.csrf_token() }, { "titre", "x" }, { "texte", "y" } }).status,
        403);
}

TEST(CharterGate, AdministratorPublishesAVersionAndSeesWhoAccepted)
{
    AppDriver driver;
    ASSERT_EQ(driver.sign_in("andre.chamson", app::DEMO_PASSWORD).status, 303);
    EXPECT_EQ(driver.get("/accueil").status, 200);
    driver.forget_cookies();
    ASSERT_EQ(driver.sign_in("admin.ent", app::DEMO_PASSWORD).status, 303);
    auto list = driver.get("/admin/charte");
    ASSERT_EQ(list.status, 200);
    EXPECT_TRUE(contains(list.body, "André CHAMSON"));
    EXPECT_TRUE(contains(list.body, "andre.chamson"));
    EXPECT_TRUE(contains(list.body, "Responsable légal"));

    // Bad input changes nothing.
    auto empty
        = driver.post("/admin/charte", { { "csrf", driver.csrf_token() }, { "titre", "Charte" }, { "texte", " " } });
    EXPECT_EQ(empty.status, 400);
    EXPECT_TRUE(contains(empty.body, "Le texte de la charte ne peut pas être vide."));
    {
        auto lease = driver.services().database->lease();
        EXPECT_EQ(identity::charter::current_version(lease.session()), 1);
    }
    publish_new_charter(driver);
    {
        auto lease = driver.services().database->lease();
        EXPECT_EQ(identity::charter::current_version(lease.session()), 2);
    }
    // The administrator too must accept the new version before going on.
    EXPECT_EQ(driver.get("/accueil").header("Location"), "/premiere-connexion");

    driver.forget_cookies();
    ASSERT_EQ(driver.sign_in_only("andre.chamson", app::DEMO_PASSWORD).status, 303);
    auto home = driver.get("/accueil");
    EXPECT_EQ(home.status, 303);
    auto again = driver.get("/premiere-connexion");
    EXPECT_TRUE(contains(again.body, "La charte d'utilisation a changé"));
    EXPECT_TRUE(contains(again.body, "conditions d&#39;accès") || contains(again.body, "conditions d'accès"));
    driver.accept_charter();
    EXPECT_EQ(driver.get("/accueil").status, 200);
}

TEST(ContactStep, EmailIsCheckedAndTheChoicesSaved)
{
    AppDriver driver;
    ASSERT_EQ(driver.sign_in("andre.chamson", app::DEMO_PASSWORD).status, 303);
    auto step = driver.get("/premiere-connexion/contact");
    ASSERT_EQ(step.status, 200);
    EXPECT_TRUE(contains(step.body, "Informations de contact et préférences"));
    EXPECT_TRUE(contains(step.body, "Les informations de contact renseignées concernent l&#39;ensemble de vos enfants")
        || contains(step.body, "Les informations de contact renseignées concernent l'ensemble de vos enfants"));
    EXPECT_TRUE(contains(step.body, "andre.chamson@outlook.fr"));
    EXPECT_TRUE(contains(step.body, "Réception de notifications ENT de mon établissement"));
    EXPECT_TRUE(contains(step.body, "Réception de notifications ENT des partenaires"));

    auto refused = driver.post("/premiere-connexion/contact",
        { { "csrf", driver.csrf_token() }, { "email", "andre.chamson@outlook" },
            { "notifications_etablissement", "1" } });
    EXPECT_EQ(refused.status, 400);
    EXPECT_TRUE(contains(refused.body, "L&#39;adresse email saisie n&#39;est pas valide")
        || contains(refused.body, "L'adresse email saisie n'est pas valide"));
    EXPECT_EQ(choices(driver, "andre.chamson").contact_confirmed_at, 0);

    auto saved = driver.post("/premiere-connexion/contact",
        { { "csrf", driver.csrf_token() }, { "email", "andre.chamson@outlook.fr" },
            { "notifications_etablissement", "1" } });
    EXPECT_EQ(saved.status, 303);
    EXPECT_EQ(saved.header("Location"), "/accueil");
    auto stored = choices(driver, "andre.chamson");
    EXPECT_EQ(stored.notification_email, "andre.chamson@outlook.fr");
    EXPECT_TRUE(stored.notify_structure);
    EXPECT_FALSE(stored.notify_partners);
    EXPECT_GT(stored.contact_confirmed_at, 0);
}

TEST(Preferences, InvalidInputIsRefusedFieldByFieldAndNothingSaved)
{
    AppDriver driver;
    ASSERT_EQ(driver.sign_in("andre.chamson", app::DEMO_PASSWORD).status, 303);
    int status = 0;
    auto body = edit_form_post(driver, { { "email", "andre@@outlook.fr" } }, status);
    EXPECT_EQ(status, 400);
    EXPECT_TRUE(contains(body, "n&#39;est pas valide") || contains(body, "n'est pas valide"));
    body = edit_form_post(driver, { { "telephone1", "06 12 AB 12 12" } }, status);
    EXPECT_EQ(status, 400);
    EXPECT_TRUE(contains(body, "Le téléphone 1 n&#39;est pas un numéro de téléphone valide")
        || contains(body, "Le téléphone 1 n'est pas un numéro de téléphone valide"));
    std::string note;
    for (int index = 0; index < 301; ++index)
        note += "e\xCC\x81"; // « é » as e and a combining accent: one character each
    body = edit_form_post(driver, { { "joindre", note }, { "liste_rouge", "1" } }, status);
    EXPECT_EQ(status, 400);
    EXPECT_TRUE(contains(body, "ne doit pas dépasser 300 caractères (vous en avez saisi 301)"));
    body = edit_form_post(driver, { { "sms", "telephone2" } }, status);
    EXPECT_EQ(status, 400);
    EXPECT_TRUE(contains(body, "Le numéro choisi pour les notifications SMS n&#39;est pas renseigné")
        || contains(body, "Le numéro choisi pour les notifications SMS n'est pas renseigné"));
    // Nothing of it was kept, not even the liste rouge sent with a bad field.
    auto stored = choices(driver, "andre.chamson");
    EXPECT_EQ(stored.reach_note, "");
    EXPECT_EQ(stored.extra_phone_1, "");
    {
        auto lease = driver.services().database->lease();
        EXPECT_FALSE(identity::store::find_contact(lease.session(), user_id(driver, "andre.chamson")).unlisted);
    }

    // 300 such characters are accepted: they are 900 bytes, but 300 characters.
    note.resize(note.size() - 3);
    body = edit_form_post(driver,
        { { "joindre", note }, { "telephone1", "04.67.81.22.90" }, { "sms", "telephone1" },
            { "notifications_partenaires", "1" } },
        status);
    EXPECT_EQ(status, 303) << body;
    stored = choices(driver, "andre.chamson");
    EXPECT_EQ(stored.reach_note, note);
    EXPECT_EQ(stored.extra_phone_1, "+33 4 67 81 22 90");
    EXPECT_EQ(stored.sms_phone, preferences::SmsPhone::Extra1);
    auto summary = driver.get("/preferences?enregistre=1");
    ASSERT_EQ(summary.status, 200);
    EXPECT_TRUE(contains(summary.body, "Vos informations ont été enregistrées."));
    EXPECT_TRUE(contains(summary.body, "Téléphone 1 : +33 4 67 81 22 90"));
    EXPECT_TRUE(contains(summary.body, "Notifications Actives"));
    EXPECT_TRUE(contains(summary.body, "1 Boulevard Pasteur"));
    EXPECT_TRUE(contains(summary.body, "Liste rouge désactivée"));
}

TEST(Preferences, ListeRougeHidesCoordinatesFromOtherGuardiansNotFromTheCpe)
{
    AppDriver driver;
    auto andre = user_id(driver, "andre.chamson");
    auto card = "/annuaire/personne/" + std::to_string(andre);
    ASSERT_EQ(driver.sign_in("sophie.roux", app::DEMO_PASSWORD).status, 303);
    auto before = driver.get(card);
    ASSERT_EQ(before.status, 200);
    EXPECT_TRUE(contains(before.body, "1 Boulevard Pasteur"));
    EXPECT_TRUE(contains(before.body, "+33 6 12 12 12 12"));

    driver.forget_cookies();
    ASSERT_EQ(driver.sign_in("andre.chamson", app::DEMO_PASSWORD).status, 303);
    int status = 0;
    edit_form_post(driver, { { "liste_rouge", "1" } }, status);
    ASSERT_EQ(status, 303);
    EXPECT_TRUE(contains(driver.get("/preferences").body, "Ces informations sont sur liste rouge"));

    driver.forget_cookies();
    ASSERT_EQ(driver.sign_in("sophie.roux", app::DEMO_PASSWORD).status, 303);
    auto after = driver.get(card);
    ASSERT_EQ(after.status, 200);
    EXPECT_TRUE(contains(after.body, "Ces informations sont sur liste rouge."));
    EXPECT_FALSE(contains(after.body, "Boulevard Pasteur"));
    EXPECT_FALSE(contains(after.body, "12 12 12 12"));
    auto search = driver.get("/annuaire?q=chamson");
    ASSERT_EQ(search.status, 200);
    EXPECT_TRUE(contains(search.body, "André CHAMSON"));
    EXPECT_FALSE(contains(search.body, "Boulevard Pasteur"));
    EXPECT_FALSE(contains(search.body, "12 12 12 12"));

    driver.forget_cookies();
    ASSERT_EQ(driver.sign_in("nathalie.vidal", app::DEMO_PASSWORD).status, 303);
    auto cpe = driver.get(card);
    EXPECT_TRUE(contains(cpe.body, "1 Boulevard Pasteur"));
    EXPECT_TRUE(contains(cpe.body, "vous les voyez parce que l&#39;établissement vous y autorise")
        || contains(cpe.body, "vous les voyez parce que l'établissement vous y autorise"));
}

TEST(AccountLinking, RefusesWrongCredentialsAndSomeoneElsesAccountThenSwitches)
{
    AppDriver driver;
    ASSERT_EQ(driver.sign_in("andre.chamson", app::DEMO_PASSWORD).status, 303);
    driver.get("/preferences/comptes");
    auto wrong = driver.post("/preferences/comptes",
        { { "csrf", driver.csrf_token() }, { "identifiant", "achamson" }, { "mot_de_passe", "pas-le-bon" } });
    EXPECT_EQ(wrong.status, 401);
    EXPECT_TRUE(contains(wrong.body, "Identifiant ou mot de passe incorrect."));
    // A parent who knows his child's password cannot take in the child's account.
    auto child = driver.post("/preferences/comptes",
        { { "csrf", driver.csrf_token() }, { "identifiant", "louis.chamson" },
            { "mot_de_passe", app::DEMO_PASSWORD } });
    EXPECT_EQ(child.status, 403);
    EXPECT_TRUE(contains(child.body, "Ce compte appartient à une autre personne"));
    auto self = driver.post("/preferences/comptes",
        { { "csrf", driver.csrf_token() }, { "identifiant", "andre.chamson" },
            { "mot_de_passe", app::DEMO_PASSWORD } });
    EXPECT_EQ(self.status, 400);
    {
        auto lease = driver.services().database->lease();
        EXPECT_TRUE(identity::store::linked_accounts(lease.session(), user_id(driver, "andre.chamson")).empty());
    }

    auto linked = driver.post("/preferences/comptes",
        { { "csrf", driver.csrf_token() }, { "identifiant", "achamson" }, { "mot_de_passe", app::DEMO_PASSWORD } });
    ASSERT_EQ(linked.status, 303);
    auto home = driver.get("/accueil");
    EXPECT_TRUE(contains(home.body, "Changer de compte"));
    EXPECT_TRUE(contains(home.body, "André CHAMSON (Enseignant"));

    // Switching to an account that is not linked is refused.
    auto sophie = user_id(driver, "sophie.roux");
    auto refused
        = driver.post("/comptes/basculer", { { "csrf", driver.csrf_token() }, { "compte", std::to_string(sophie) } });
    EXPECT_EQ(refused.status, 403);

    auto teacher = user_id(driver, "achamson");
    auto old_session = driver.cookie("cartable_session");
    auto switched
        = driver.post("/comptes/basculer", { { "csrf", driver.csrf_token() }, { "compte", std::to_string(teacher) } });
    ASSERT_EQ(switched.status, 303);
    EXPECT_NE(driver.cookie("cartable_session"), old_session);
    // The teacher's account has its own charter to accept.
    EXPECT_EQ(driver.get("/accueil").header("Location"), "/premiere-connexion");
    driver.accept_charter();
    auto as_teacher = driver.get("/preferences");
    EXPECT_TRUE(contains(as_teacher.body, "Enseignant"));
    // And back, then unlink.
    auto andre = user_id(driver, "andre.chamson");
    ASSERT_EQ(driver.post("/comptes/basculer", { { "csrf", driver.csrf_token() }, { "compte", std::to_string(andre) } })
                  .status,
        303);
    driver.get("/preferences/comptes");
    auto unlinked = driver.post(
        "/preferences/comptes/" + std::to_string(teacher) + "/delier", { { "csrf", driver.csrf_token() } });
    EXPECT_EQ(unlinked.status, 303);
    EXPECT_FALSE(contains(driver.get("/accueil").body, "Changer de compte"));
    EXPECT_EQ(
        driver.post("/comptes/basculer", { { "csrf", driver.csrf_token() }, { "compte", std::to_string(teacher) } })
            .status,
        403);
}

TEST(MobileApplication, TokensWorkOnTheApiUntilRevoked)
{
    AppDriver driver;
    ASSERT_EQ(driver.sign_in("andre.chamson", app::DEMO_PASSWORD).status, 303);
    EXPECT_EQ(driver.api(http::Method::Get, "/api/v1/moi", "").status, 401);
    EXPECT_EQ(driver.api(http::Method::Get, "/api/v1/moi", "cartable_inconnu").status, 401);

    driver.get("/preferences/application-mobile");
    auto empty = driver.post("/preferences/application-mobile", { { "csrf", driver.csrf_token() }, { "nom", " " } });
    EXPECT_EQ(empty.status, 400);
    auto paired = driver.post(
        "/preferences/application-mobile", { { "csrf", driver.csrf_token() }, { "nom", "Téléphone d'André" } });
    ASSERT_EQ(paired.status, 201);
    EXPECT_EQ(paired.header("Cache-Control"), "no-store");
    auto token = hidden_field(paired.body, "jeton");
    if (token.empty()) {
        auto start = paired.body.find("value=\"cartable_");
        ASSERT_NE(start, std::string::npos);
        token = paired.body.substr(start + 7, paired.body.find('"', start + 7) - start - 7);
    }
    ASSERT_TRUE(token.starts_with("cartable_"));
    EXPECT_TRUE(contains(paired.body, "<svg"));
    EXPECT_TRUE(contains(paired.body, "Code QR d&#39;association") || contains(paired.body, "Code QR d'association"));
    // Shown once: the list does not show it again.
    EXPECT_FALSE(contains(driver.get("/preferences/application-mobile").body, token));

    auto me = driver.api(http::Method::Get, "/api/v1/moi", token);
    ASSERT_EQ(me.status, 200);
    EXPECT_TRUE(contains(me.body, "\"identifiant\":\"andre.chamson\""));
    EXPECT_TRUE(contains(me.body, "Louis"));
    EXPECT_TRUE(contains(me.body, "Pauline"));

    // A new charter stops the API with a clear reason until it is accepted.
    {
        auto lease = driver.services().database->lease();
        identity::charter::publish(lease.session(), "Charte", "Nouveau texte", std::nullopt, 1);
    }
    driver.services().charter_versions.forget_all();
    auto gated = driver.api(http::Method::Get, "/api/v1/moi", token);
    EXPECT_EQ(gated.status, 403);
    EXPECT_TRUE(contains(gated.body, "charte_non_acceptee"));
    driver.accept_charter();
    EXPECT_EQ(driver.api(http::Method::Get, "/api/v1/moi", token).status, 200);

    long long token_id = 0;
    {
        auto lease = driver.services().database->lease();
        auto tokens = identity::api_tokens::list(lease.session(), user_id(driver, "andre.chamson"));
        ASSERT_EQ(tokens.size(), 1u);
        token_id = tokens[0].id;
    }
    auto revoked = driver.post("/preferences/application-mobile/" + std::to_string(token_id) + "/revoquer",
        { { "csrf", driver.csrf_token() } });
    EXPECT_EQ(revoked.status, 303);
    EXPECT_EQ(driver.api(http::Method::Get, "/api/v1/moi", token).status, 401);
}

TEST(Shortcuts, AddListAndRemoveFromTheMenu)
{
    AppDriver driver;
    ASSERT_EQ(driver.sign_in("andre.chamson", app::DEMO_PASSWORD).status, 303);
    auto help = driver.get("/aide");
    EXPECT_TRUE(contains(help.body, "Ajouter à mes raccourcis"));
    auto added = driver.post(
        "/raccourcis", { { "csrf", driver.csrf_token() }, { "adresse", "/aide" }, { "libelle", "Aide en ligne" } });
    ASSERT_EQ(added.status, 303);
    EXPECT_EQ(added.header("Location"), "/aide");
    auto home = driver.get("/accueil");
    EXPECT_TRUE(contains(home.body, "<li><a href=\"/aide\">Aide en ligne</a></li>"));
    EXPECT_TRUE(contains(driver.get("/aide").body, "Dans mes raccourcis"));
    // Twice is once; another site is refused.
    driver.post(
        "/raccourcis", { { "csrf", driver.csrf_token() }, { "adresse", "/aide" }, { "libelle", "Aide en ligne" } });
    auto outside = driver.post("/raccourcis",
        { { "csrf", driver.csrf_token() }, { "adresse", "//exemple.fr/piege" }, { "libelle", "Piège" } });
    EXPECT_EQ(outside.status, 400);
    EXPECT_TRUE(
        contains(outside.body, "Seules les pages de l&#39;ENT") || contains(outside.body, "Seules les pages de l'ENT"));
    auto page = driver.get("/raccourcis");
    ASSERT_EQ(page.status, 200);
    auto marker = std::string("/raccourcis/");
    auto start = page.body.find(marker);
    ASSERT_NE(start, std::string::npos);
    auto id
        = page.body.substr(start + marker.size(), page.body.find('/', start + marker.size()) - start - marker.size());
    auto removed = driver.post("/raccourcis/" + id + "/supprimer", { { "csrf", driver.csrf_token() } });
    EXPECT_EQ(removed.status, 303);
    EXPECT_FALSE(contains(driver.get("/accueil").body, "<li><a href=\"/aide\">Aide en ligne</a></li>"));
}

TEST(Accueil, BlocksFollowTheChildChosenInProfilAffiche)
{
    AppDriver driver;
    ASSERT_EQ(driver.sign_in("andre.chamson", app::DEMO_PASSWORD).status, 303);
    // A school whose lesson book holds nothing yet: the guide's sentence for
    // data not initialised.
    {
        auto lease = driver.services().database->lease();
        lease.session() << "DELETE FROM lesson_book_homework";
        lease.session() << "DELETE FROM lesson_book_session";
    }
    auto before = driver.get("/accueil");
    EXPECT_TRUE(contains(before.body, "Votre cahier de textes n&#39;est pas accessible actuellement")
        || contains(before.body, "Votre cahier de textes n'est pas accessible actuellement"));
    EXPECT_TRUE(contains(before.body, "Vous n&#39;avez pas de nouveau message.")
        || contains(before.body, "Vous n'avez pas de nouveau message."));

    // A service feeding « Travail à faire » through the published interface.
    driver.services().home_block_sources[HomeBlock::Homework]
        = [](Context&, identity::User const& subject) -> ErrorOr<std::vector<HomeItem>> {
        if (subject.first_name == "Pauline")
            return std::vector<HomeItem> { { "Étude de cas : la stratégie d'une PME",
                "Pour le lundi – ÉCONOMIE-GESTION", "Lire le dossier documentaire", "" } };
        return std::vector<HomeItem> {};
    };
    auto louis = driver.get("/accueil?enfant=" + std::to_string(user_id(driver, "louis.chamson")));
    EXPECT_TRUE(contains(louis.body, "Aucun travail à faire pour les prochains jours."));
    EXPECT_FALSE(contains(louis.body, "la stratégie d"));
    auto pauline = driver.get("/accueil?enfant=" + std::to_string(user_id(driver, "pauline.chamson")));
    EXPECT_TRUE(contains(pauline.body, "la stratégie d"));
    EXPECT_TRUE(contains(pauline.body, "ÉCONOMIE-GESTION"));
}

TEST(Directory, SearchByClassStaysInTheStructureAndStaffReadsAreLogged)
{
    AppDriver driver;
    ASSERT_EQ(driver.sign_in("nathalie.vidal", app::DEMO_PASSWORD).status, 303);
    long long tpro = 0;
    {
        auto lease = driver.services().database->lease();
        lease.session() << "SELECT id FROM identity_class WHERE name = 'TPRO'", soci::into(tpro);
    }
    auto found = driver.get("/annuaire?classe=" + std::to_string(tpro));
    ASSERT_EQ(found.status, 200);
    EXPECT_TRUE(contains(found.body, "Louis CHAMSON"));
    EXPECT_TRUE(contains(found.body, "André CHAMSON")); // guardian of a TPRO student
    EXPECT_TRUE(contains(found.body, "Samuel BEAUMONT")); // teaches TPRO
    EXPECT_FALSE(contains(found.body, "Pauline CHAMSON")); // T STMG
    // Reading a card leaves a trace for the direction.
    auto card = driver.get("/annuaire/personne/" + std::to_string(user_id(driver, "andre.chamson")));
    ASSERT_EQ(card.status, 200);
    EXPECT_EQ(driver.get("/admin/journal-des-acces").status, 403); // the CPE is not the direction

    driver.forget_cookies();
    ASSERT_EQ(driver.sign_in("philippe.garnier", app::DEMO_PASSWORD).status, 303);
    auto journal = driver.get("/admin/journal-des-acces");
    ASSERT_EQ(journal.status, 200);
    EXPECT_TRUE(contains(journal.body, "Nathalie VIDAL"));
    EXPECT_TRUE(contains(journal.body, "André CHAMSON"));
    EXPECT_TRUE(contains(journal.body, "coordonnées"));

    driver.forget_cookies();
    ASSERT_EQ(driver.sign_in("samuel.beaumont", app::DEMO_PASSWORD).status, 303);
    EXPECT_EQ(driver.get("/admin/journal-des-acces").status, 403);
}

TEST(MyData, TheArchiveHoldsWhatTheEntKeepsAboutThePerson)
{
    AppDriver driver;
    ASSERT_EQ(driver.sign_in("andre.chamson", app::DEMO_PASSWORD).status, 303);
    driver.post(
        "/raccourcis", { { "csrf", driver.csrf_token() }, { "adresse", "/aide" }, { "libelle", "Aide en ligne" } });
    EXPECT_EQ(driver.get("/preferences/mes-donnees").status, 200);
    auto archive = driver.get("/preferences/mes-donnees.zip");
    ASSERT_EQ(archive.status, 200);
    EXPECT_EQ(archive.header("Content-Type"), "application/zip");
    EXPECT_EQ(archive.header("Cache-Control"), "private, no-store");
    ASSERT_TRUE(archive.body.starts_with("PK"));

    zip_error_t error;
    zip_error_init(&error);
    auto* source = zip_source_buffer_create(archive.body.data(), archive.body.size(), 0, &error);
    ASSERT_NE(source, nullptr);
    auto* zip = zip_open_from_source(source, ZIP_RDONLY, &error);
    ASSERT_NE(zip, nullptr);
    auto read_entry = [&](char const* name) {
        std::string text;
        if (auto* file = zip_fopen(zip, name, 0)) {
            char buffer[4096];
            zip_int64_t read = 0;
            while ((read = zip_fread(file, buffer, sizeof buffer)) > 0)
                text.append(buffer, static_cast<std::size_t>(read));
            zip_fclose(file);
        }
        return text;
    };
    auto json = read_entry("mes-donnees.json");
    EXPECT_FALSE(read_entry("LISEZMOI.txt").empty());
    zip_close(zip);
    EXPECT_TRUE(contains(json, "\"identifiant\":\"andre.chamson\""));
    EXPECT_TRUE(contains(json, "1 Boulevard Pasteur"));
    EXPECT_TRUE(contains(json, "Louis CHAMSON"));
    EXPECT_TRUE(contains(json, "\"raccourcis\": [{\"libelle\":\"Aide en ligne\",\"adresse\":\"/aide\"}]"));
    EXPECT_TRUE(contains(json, "\"publications\""));
    EXPECT_TRUE(contains(json, "\"consultations_de_mes_coordonnees\""));
    EXPECT_TRUE(contains(json, "\"charte_acceptations\":[{\"version\":1"));
    // Only one's own: the archive holds no other family's data.
    EXPECT_FALSE(contains(json, "ROUX"));
}

// SPDX-License-Identifier: AGPL-3.0-or-later
// Route tests: the whole Application (middleware, handlers, templates, SQL)
// in process, on SQLite and on PostgreSQL.
#include "app/demo_school.h"
#include "core/identity/identity_store.h"
#include "services/admin/import_inbox.h"
#include "services/publishing/publishing.h"
#include "tests/support/app_driver.h"
#include <chrono>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <thread>

using namespace cartable;
using cartable::testing::AppDriver;
using cartable::testing::contains;
using cartable::testing::user_id;

namespace { } // namespace

TEST(Routes, EveryRouteNamesADeclaredCapability)
{
    access::CapabilityRegistry registry;
    auto router = app::build_router(registry);
    ASSERT_FALSE(router.is_error()) << router.error().detail;
    ASSERT_FALSE(router->routes().empty());
    for (auto const& route : router->routes()) {
        EXPECT_FALSE(route.capability.empty()) << route.pattern;
        EXPECT_NE(registry.find(route.capability), nullptr) << route.pattern << " names " << route.capability;
    }
}

TEST(Routes, PublicPortalShowsTheStructureAndSignIn)
{
    AppDriver driver;
    auto page = driver.get("/portail/0300027A");
    EXPECT_EQ(page.status, 200);
    EXPECT_TRUE(contains(page.body, "CITE SCOLAIRE ANDRE CHAMSON"));
    EXPECT_TRUE(contains(page.body, "LE VIGAN - ACADÉMIE DE MONTPELLIER"));
    EXPECT_TRUE(contains(page.body, ">Se connecter</a>"));
    EXPECT_TRUE(contains(page.body, "Le nouvel Espace Numérique de Travail arrive dans notre établissement"));
    EXPECT_TRUE(contains(page.body, "il y a 1 mois"));
    // Members' news stay inside the ENT.
    EXPECT_FALSE(contains(page.body, "Conseils de classe du premier trimestre"));
    EXPECT_EQ(driver.get("/portail/9999999Z").status, 404);
}

TEST(Routes, GuardianSignsInAndSeesHisChildren)
{
    AppDriver driver;
    auto signed_in = driver.sign_in("andre.chamson", app::DEMO_PASSWORD);
    ASSERT_EQ(signed_in.status, 303);
    EXPECT_EQ(signed_in.header("Location"), "/premiere-connexion"); // the charter first
    EXPECT_EQ(driver.cookie("cartable_session").size(), 43u);
    auto home = driver.get("/accueil");
    ASSERT_EQ(home.status, 200);
    EXPECT_TRUE(contains(home.body, "André CHAMSON"));
    EXPECT_TRUE(contains(home.body, "Profil affiché"));
    EXPECT_TRUE(contains(home.body, "Louis CHAMSON"));
    EXPECT_TRUE(contains(home.body, "Pauline CHAMSON"));
    // The demo's teachers let parents visit their children's classes.
    EXPECT_TRUE(contains(home.body, "Classe TPRO"));
    EXPECT_TRUE(contains(home.body, "Classe T STMG"));
    EXPECT_FALSE(contains(home.body, "Emma ROUX"));
}

TEST(Routes, WrongPasswordAndUnknownAccountGetTheSameAnswer)
{
    AppDriver driver;
    auto wrong_password = driver.sign_in("andre.chamson", "pas-le-bon");
    auto unknown = driver.sign_in("personne.inconnue", "pas-le-bon");
    EXPECT_EQ(wrong_password.status, 401);
    EXPECT_EQ(unknown.status, 401);
    EXPECT_TRUE(contains(wrong_password.body, "Identifiant ou mot de passe incorrect."));
    EXPECT_TRUE(contains(unknown.body, "Identifiant ou mot de passe incorrect."));
    EXPECT_TRUE(driver.cookie("cartable_session").empty());
}

TEST(Routes, SignInIsThrottledPerAccountWithoutTellingIfItExists)
{
    AppDriver driver([](Config& config) { config.sign_in_max_failures_per_account = 2; });
    for (char const* login : { "andre.chamson", "personne.inconnue" }) {
        EXPECT_EQ(driver.sign_in(login, "mauvais-1").status, 401);
        EXPECT_EQ(driver.sign_in(login, "mauvais-2").status, 401);
        auto refused = driver.sign_in(login, app::DEMO_PASSWORD);
        EXPECT_EQ(refused.status, 429) << login;
        EXPECT_TRUE(contains(refused.body, "Trop de tentatives de connexion ont échoué"));
    }
    // Another account is not held back by them.
    EXPECT_EQ(driver.sign_in("louis.chamson", app::DEMO_PASSWORD).status, 303);
}

TEST(Routes, SignInIsThrottledPerAddress)
{
    AppDriver driver([](Config& config) { config.sign_in_max_failures_per_address = 3; });
    EXPECT_EQ(driver.sign_in("a.a", "x-mauvais").status, 401);
    EXPECT_EQ(driver.sign_in("b.b", "x-mauvais").status, 401);
    EXPECT_EQ(driver.sign_in("c.c", "x-mauvais").status, 401);
    EXPECT_EQ(driver.sign_in("andre.chamson", app::DEMO_PASSWORD).status, 429);
    driver.remote_address = "192.0.2.99";
    EXPECT_EQ(driver.sign_in("andre.chamson", app::DEMO_PASSWORD).status, 303);
}

TEST(Routes, StateChangingRequestsNeedTheCsrfToken)
{
    AppDriver driver;
    driver.get("/connexion/identifiants");
    auto refused = driver.post(
        "/connexion/identifiants", { { "identifiant", "andre.chamson" }, { "mot_de_passe", app::DEMO_PASSWORD } });
    EXPECT_EQ(refused.status, 403);
    EXPECT_TRUE(contains(refused.body, "Le formulaire a expiré"));
    EXPECT_TRUE(driver.cookie("cartable_session").empty());

    ASSERT_EQ(driver.sign_in("andre.chamson", app::DEMO_PASSWORD).status, 303);
    auto sign_out_without_token = driver.post("/deconnexion", {});
    EXPECT_EQ(sign_out_without_token.status, 403);
    EXPECT_EQ(driver.get("/accueil").status, 200);
}

TEST(Routes, SignInRotatesTheSessionAndSignOutEndsIt)
{
    AppDriver driver;
    ASSERT_EQ(driver.sign_in("andre.chamson", app::DEMO_PASSWORD).status, 303);
    auto first = driver.cookie("cartable_session");
    // Signing in again from the same browser: a new id, the old one is over.
    auto home = driver.get("/accueil");
    auto again = driver.post("/connexion/identifiants",
        { { "csrf", cartable::testing::hidden_field(home.body, "csrf") }, { "identifiant", "andre.chamson" },
            { "mot_de_passe", app::DEMO_PASSWORD } });
    ASSERT_EQ(again.status, 303);
    auto second = driver.cookie("cartable_session");
    EXPECT_NE(first, second);
    driver.set_cookie("cartable_session", first);
    EXPECT_EQ(driver.get("/accueil").status, 303);

    driver.set_cookie("cartable_session", second);
    home = driver.get("/accueil");
    ASSERT_EQ(home.status, 200);
    auto signed_out = driver.post("/deconnexion", { { "csrf", cartable::testing::hidden_field(home.body, "csrf") } });
    EXPECT_EQ(signed_out.status, 303);
    EXPECT_EQ(signed_out.header("Location"), "/");
    EXPECT_TRUE(driver.cookie("cartable_session").empty());
    driver.set_cookie("cartable_session", second);
    auto after = driver.get("/accueil");
    EXPECT_EQ(after.status, 303);
    EXPECT_EQ(after.header("Location"), "/connexion");
}

TEST(Routes, IdleSessionsExpire)
{
    AppDriver driver([](Config& config) { config.session_idle_seconds = 2; });
    ASSERT_EQ(driver.sign_in("andre.chamson", app::DEMO_PASSWORD).status, 303);
    EXPECT_EQ(driver.get("/accueil").status, 200);
    std::this_thread::sleep_for(std::chrono::milliseconds(3100));
    EXPECT_EQ(driver.get("/accueil").status, 303);
}

TEST(Routes, GuardianCannotDisplayAnotherFamilysChild)
{
    AppDriver driver;
    ASSERT_EQ(driver.sign_in("andre.chamson", app::DEMO_PASSWORD).status, 303);
    auto own = driver.get("/accueil?enfant=" + std::to_string(user_id(driver, "pauline.chamson")));
    EXPECT_EQ(own.status, 200);
    EXPECT_TRUE(contains(own.body, "selected>Pauline CHAMSON"));
    auto other = driver.get("/accueil?enfant=" + std::to_string(user_id(driver, "emma.roux")));
    EXPECT_EQ(other.status, 403);
    EXPECT_TRUE(contains(other.body, "Accès refusé"));
    EXPECT_EQ(driver.get("/accueil?enfant=abc").status, 403);
}

TEST(Routes, OnlyAdministratorsReachTheImportInbox)
{
    AppDriver driver;
    EXPECT_EQ(driver.get("/admin/depot").status, 303);
    ASSERT_EQ(driver.sign_in("samuel.beaumont", app::DEMO_PASSWORD).status, 303);
    EXPECT_EQ(driver.get("/admin/depot").status, 403);
    driver.forget_cookies();
    ASSERT_EQ(driver.sign_in("admin.ent", app::DEMO_PASSWORD).status, 303);
    auto page = driver.get("/admin/depot");
    EXPECT_EQ(page.status, 200);
    EXPECT_TRUE(contains(page.body, "Dépôt de fichiers d'import"));
}

TEST(Routes, ErrorPagesAreFrenchAndInsideTheFrameWhenSignedIn)
{
    AppDriver driver;
    auto anonymous = driver.get("/nulle-part");
    EXPECT_EQ(anonymous.status, 404);
    EXPECT_TRUE(contains(anonymous.body, "Page introuvable"));
    EXPECT_TRUE(contains(anonymous.body, "lang=\"fr\""));
    ASSERT_EQ(driver.sign_in("andre.chamson", app::DEMO_PASSWORD).status, 303);
    auto framed = driver.get("/nulle-part");
    EXPECT_EQ(framed.status, 404);
    EXPECT_TRUE(contains(framed.body, "Page introuvable"));
    EXPECT_TRUE(contains(framed.body, "ESPACE DES CLASSES"));
    auto wrong_method = driver.post("/accueil", {});
    EXPECT_EQ(wrong_method.status, 405);
}

TEST(Routes, DemoRefusesADatabaseWithRealData)
{
    AppDriver driver;
    auto again = app::load_demo_school(driver.services());
    ASSERT_FALSE(again.is_error());
    EXPECT_EQ(again.value(), app::DemoOutcome::AlreadyThere);
    auto added = driver.services().database->write([](soci::session& session) -> ErrorOr<bool> {
        identity::User user;
        user.login = "vraie.personne";
        user.first_name = "Vraie";
        user.last_name = "PERSONNE";
        user.structure_id = 1;
        identity::store::create_user(session, user, "");
        return true;
    });
    ASSERT_FALSE(added.is_error());
    auto refused = app::load_demo_school(driver.services());
    ASSERT_TRUE(refused.is_error());
    EXPECT_EQ(refused.error().kind, ErrorKind::Conflict);
}

TEST(Routes, DepositedFilesDownloadWithRanges)
{
    AppDriver driver;
    ASSERT_EQ(driver.sign_in("admin.ent", app::DEMO_PASSWORD).status, 303);
    auto inbox = admin::import_inbox_directory(driver.services().config, "0300027A");
    std::filesystem::create_directories(inbox);
    {
        std::ofstream file(inbox / "ENT2026_Complet_Eleve_0000.xml");
        file << "0123456789";
    }
    auto whole = driver.get("/admin/depot/ENT2026_Complet_Eleve_0000.xml");
    ASSERT_EQ(whole.status, 200);
    ASSERT_TRUE(whole.file.has_value());
    EXPECT_EQ(whole.file->length, 10u);
    EXPECT_TRUE(contains(whole.header("Content-Disposition"), "filename*=UTF-8''ENT2026_Complet_Eleve_0000.xml"));
    EXPECT_EQ(driver.get("/admin/depot/..").status, 404);
    EXPECT_EQ(driver.get("/admin/depot/absent.xml").status, 404);
}

TEST(Routes, AccueilShowsTheGuidesBlocksAndTheAnnouncementsThatReachThePerson)
{
    AppDriver driver;
    ASSERT_EQ(driver.sign_in("andre.chamson", app::DEMO_PASSWORD).status, 303);
    auto home = driver.get("/accueil");
    ASSERT_EQ(home.status, 200);
    // The demo's homework for the next school day in TPRO, Louis's class (the first child).
    for (auto const* text : { "Travail à faire", "Compléter le tableau comparatif CDD", "Derniers messages",
             "Vous n'avez pas de nouveau message.", "Accéder à la messagerie", "Annonces",
             "Région Occitanie / Pyrénées - Méditerranée", "Rencontres autour des métiers de l&#39;industrie",
             "L&#39;équipe support produit", "Académie de Montpellier", "En savoir plus", "Actualités",
             "Blogs &amp; Forums" })
        EXPECT_TRUE(contains(home.body, text)) << text;

    // An announcement past its period, or for other profiles, or another académie, is not shown.
    auto added = driver.services().database->write([](soci::session& session) -> ErrorOr<bool> {
        publishing::Announcement old;
        old.scope = publishing::Scope::Platform;
        old.author = "Support";
        old.title = "Annonce terminée";
        old.body = "x";
        old.starts_at = 1000;
        old.ends_at = 2000;
        publishing::add_announcement(session, old, 1000);
        publishing::Announcement staff_only = old;
        staff_only.title = "Annonce pour les personnels";
        staff_only.profiles = { access::Profile::Staff };
        staff_only.ends_at = 4102444800;
        publishing::add_announcement(session, staff_only, 1000);
        publishing::Announcement elsewhere = old;
        elsewhere.title = "Annonce de Toulouse";
        elsewhere.scope = publishing::Scope::Academy;
        elsewhere.scope_key = "Toulouse";
        elsewhere.ends_at = 4102444800;
        publishing::add_announcement(session, elsewhere, 1000);
        publishing::Announcement scripted = old;
        scripted.title = "Lien piégé";
        scripted.link_url = "javascript:alert(1)";
        scripted.ends_at = 4102444800;
        publishing::add_announcement(session, scripted, 1000);
        return true;
    });
    ASSERT_FALSE(added.is_error());
    // What everyone of a profile sees is kept ten seconds: start afresh.
    driver.services().shared_results.forget_all();
    home = driver.get("/accueil");
    EXPECT_TRUE(contains(home.body, "Rencontres autour des métiers de l&#39;industrie"));
    EXPECT_FALSE(contains(home.body, "Annonce terminée"));
    EXPECT_FALSE(contains(home.body, "Annonce pour les personnels"));
    EXPECT_FALSE(contains(home.body, "Annonce de Toulouse"));
    EXPECT_FALSE(contains(home.body, "javascript:"));
}

TEST(Routes, MyPortalsLeadToTheAcademysAndTheRegionsPages)
{
    AppDriver driver;
    EXPECT_EQ(driver.get("/portails/academie").status, 303);
    ASSERT_EQ(driver.sign_in("louis.chamson", app::DEMO_PASSWORD).status, 303);
    auto home = driver.get("/accueil");
    EXPECT_TRUE(contains(home.body, "href=\"/portails/academie\">Académie de Montpellier</a>"));
    EXPECT_TRUE(contains(home.body, "href=\"/portails/region\">Région Occitanie</a>"));
    EXPECT_TRUE(contains(home.body, "Site inter-établissements"));

    auto academy = driver.get("/portails/academie");
    ASSERT_EQ(academy.status, 200);
    EXPECT_TRUE(contains(academy.body, "<h1 class=\"page-title\">Académie de Montpellier</h1>"));
    EXPECT_TRUE(contains(academy.body, "Calendrier des épreuves du baccalauréat"));
    EXPECT_FALSE(contains(academy.body, "Rencontres autour des métiers"));
    EXPECT_TRUE(contains(academy.body, "href=\"/portails/academie\" aria-current=\"page\""));
    EXPECT_TRUE(contains(academy.body, "CITE SCOLAIRE ANDRE CHAMSON"));

    auto region = driver.get("/portails/region");
    ASSERT_EQ(region.status, 200);
    EXPECT_TRUE(contains(region.body, "Rencontres autour des métiers de l&#39;industrie"));
    EXPECT_TRUE(contains(region.body, "href=\"/portails/region\" aria-current=\"page\""));
}

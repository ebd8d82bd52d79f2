// SPDX-License-Identifier: AGPL-3.0-or-later
// The person's spaces (both engines): the menu's « ESPACE DES CLASSES »,
// free spaces and their invited members, the end of the school year, and
// the Accueil's « Blogs & Forums ».
#include "app/demo_school.h"
#include "services/class_space/class_space_internal.h"
#include "tests/support/app_driver.h"
#include <gtest/gtest.h>

using namespace cartable;
using cartable::testing::AppDriver;
using cartable::testing::class_space_id;
using cartable::testing::contains;
using cartable::testing::query_value;
using cartable::testing::user_id;

namespace {

void as(AppDriver& driver, std::string const& login)
{
    driver.forget_cookies();
    ASSERT_EQ(driver.sign_in(login, app::DEMO_PASSWORD).status, 303) << login;
}

std::string menu_link(long long space, std::string const& label)
{
    return "<a href=\"/espaces/" + std::to_string(space) + "\">" + label + "</a>";
}

} // namespace

TEST(ClassSpaceMenu, ListsThePersonsSpacesAndAGuardiansOnlyWhenVisitorsAreLetIn)
{
    AppDriver driver;
    auto const tpro = class_space_id(driver, "TPRO");
    auto const stmg = class_space_id(driver, "T STMG");
    as(driver, "samuel.beaumont");
    for (auto space : { tpro, stmg }) { // the demo lets parents visit: closed first
        driver.get("/espaces/" + std::to_string(space) + "/membres");
        ASSERT_EQ(driver.post("/espaces/" + std::to_string(space) + "/parametres", { { "csrf", driver.csrf_token() } })
                      .status,
            303);
    }
    auto home = driver.get("/accueil").body;
    EXPECT_TRUE(contains(home, menu_link(tpro, "Classe TPRO")));
    EXPECT_TRUE(contains(home, menu_link(stmg, "Classe T STMG")));
    as(driver, "louis.chamson");
    home = driver.get("/accueil").body;
    EXPECT_TRUE(contains(home, menu_link(tpro, "Classe TPRO")));
    EXPECT_FALSE(contains(home, menu_link(stmg, "Classe T STMG")));
    // The current space is marked in the menu; the space can be kept among one's shortcuts.
    auto space_page = driver.get("/espaces/" + std::to_string(tpro)).body;
    EXPECT_TRUE(contains(
        space_page, "<a href=\"/espaces/" + std::to_string(tpro) + "\" aria-current=\"page\">Classe TPRO</a>"));
    EXPECT_TRUE(contains(space_page, "Ajouter à mes raccourcis"));
    as(driver, "andre.chamson");
    EXPECT_FALSE(contains(driver.get("/accueil").body, menu_link(tpro, "Classe TPRO")));
    as(driver, "samuel.beaumont");
    driver.get("/espaces/" + std::to_string(tpro) + "/membres");
    ASSERT_EQ(driver
                  .post("/espaces/" + std::to_string(tpro) + "/parametres",
                      { { "csrf", driver.csrf_token() }, { "visiteurs", "1" }, { "commentaires", "1" } })
                  .status,
        303);
    as(driver, "andre.chamson");
    home = driver.get("/accueil").body;
    EXPECT_TRUE(contains(home, menu_link(tpro, "Classe TPRO")));
    EXPECT_FALSE(contains(home, menu_link(stmg, "Classe T STMG"))); // Pauline's class does not let visitors in
}

TEST(ClassSpaceFree, ATeacherMakesASpaceAndInvitesItsMembers)
{
    AppDriver driver;
    as(driver, "louis.chamson");
    driver.get("/espaces");
    EXPECT_EQ(driver.post("/espaces", { { "csrf", driver.csrf_token() }, { "nom", "Mon club" } }).status, 403);

    as(driver, "samuel.beaumont");
    auto page = driver.get("/espaces");
    EXPECT_TRUE(contains(page.body, "Créer un espace"));
    auto refused = driver.post("/espaces", { { "csrf", driver.csrf_token() }, { "nom", "  " } });
    EXPECT_EQ(refused.status, 400);
    EXPECT_TRUE(contains(refused.body, "Donnez un nom à l"));
    auto const before = query_value(driver, "SELECT COUNT(*) FROM class_space");
    auto created = driver.post("/espaces",
        { { "csrf", driver.csrf_token() }, { "nom", "Club théâtre" },
            { "description", "Répétitions le jeudi midi en salle polyvalente." } });
    ASSERT_EQ(created.status, 303);
    EXPECT_EQ(query_value(driver, "SELECT COUNT(*) FROM class_space"), before + 1);
    auto const space = query_value(driver, "SELECT id FROM class_space WHERE name = 'Club théâtre'");
    auto const base = "/espaces/" + std::to_string(space);
    page = driver.get(base + "/membres");
    ASSERT_EQ(page.status, 200);
    EXPECT_TRUE(contains(page.body, "Vous êtes <strong>gestionnaire</strong>"));
    EXPECT_TRUE(contains(driver.get("/accueil").body, menu_link(space, "Club théâtre")));
    // The search finds people of the structure; Louis comes in as a contributor, his father as a visitor.
    page = driver.get(base + "/membres?q=chamson");
    EXPECT_TRUE(contains(page.body, "Louis CHAMSON"));
    auto const louis = user_id(driver, "louis.chamson");
    auto const andre = user_id(driver, "andre.chamson");
    EXPECT_EQ(
        driver
            .post(base + "/membres",
                { { "csrf", driver.csrf_token() }, { "personne", std::to_string(louis) }, { "role", "contributor" } })
            .status,
        303);
    EXPECT_EQ(driver
                  .post(base + "/membres",
                      { { "csrf", driver.csrf_token() }, { "personne", std::to_string(andre) }, { "role", "manager" } })
                  .status,
        303);
    EXPECT_EQ(
        query_value(driver,
            "SELECT COUNT(*) FROM class_space_member WHERE role = 'visitor' AND user_id = " + std::to_string(andre)),
        1); // a guardian is a visitor at most
    // Someone of another structure, or nobody: refused, nothing added.
    auto const members = query_value(driver, "SELECT COUNT(*) FROM class_space_member");
    auto other = driver.post(
        base + "/membres", { { "csrf", driver.csrf_token() }, { "personne", "999999" }, { "role", "contributor" } });
    EXPECT_TRUE(contains(other.header("Location"), "erreur=personne"));
    EXPECT_EQ(query_value(driver, "SELECT COUNT(*) FROM class_space_member"), members);

    as(driver, "louis.chamson");
    EXPECT_TRUE(contains(driver.get("/accueil").body, menu_link(space, "Club théâtre")));
    driver.get(base + "/blog/nouveau");
    EXPECT_EQ(driver
                  .post(base + "/blog",
                      { { "csrf", driver.csrf_token() }, { "titre", "Distribution des rôles" },
                          { "contenu", "<p>Je joue Scapin.</p>" }, { "format", "html" }, { "action", "publier" } })
                  .status,
        303);
    EXPECT_EQ(driver
                  .post(base + "/membres",
                      { { "csrf", driver.csrf_token() }, { "personne", std::to_string(louis) }, { "role", "manager" } })
                  .status,
        403);
    as(driver, "andre.chamson");
    EXPECT_EQ(driver.get(base).status, 200);
    EXPECT_TRUE(contains(driver.get(base).body, "Distribution des rôles"));
    as(driver, "pauline.chamson");
    EXPECT_EQ(driver.get(base).status, 404);
    as(driver, "nathalie.vidal"); // the CPE manages the classes' spaces, not the free ones she is not in
    EXPECT_EQ(driver.get(base).status, 404);

    // Louis removed: the space is closed to him.
    as(driver, "samuel.beaumont");
    driver.get(base + "/membres");
    EXPECT_EQ(driver.post(base + "/membres/" + std::to_string(louis) + "/retirer", { { "csrf", driver.csrf_token() } })
                  .status,
        303);
    // The last manager stays.
    EXPECT_EQ(driver
                  .post(base + "/membres/" + std::to_string(user_id(driver, "samuel.beaumont")) + "/retirer",
                      { { "csrf", driver.csrf_token() } })
                  .status,
        403);
    as(driver, "louis.chamson");
    EXPECT_EQ(driver.get(base).status, 404);
}

TEST(ClassSpaceYear, ArchivedSpacesAreReadOnlyRestorableThenDeletedAfterAYear)
{
    AppDriver driver;
    auto const tpro = class_space_id(driver, "TPRO");
    auto const base = "/espaces/" + std::to_string(tpro);
    as(driver, "samuel.beaumont");
    driver.get("/espaces");
    EXPECT_EQ(driver.post("/espaces/archiver-annee", { { "csrf", driver.csrf_token() } }).status, 403);
    as(driver, "admin.ent");
    auto page = driver.get("/espaces");
    EXPECT_TRUE(contains(page.body, "Archiver les espaces de l"));
    EXPECT_EQ(driver.post("/espaces/archiver-annee", { { "csrf", driver.csrf_token() } }).status, 303);
    EXPECT_EQ(query_value(driver, "SELECT COUNT(*) FROM class_space WHERE archived_at = 0"), 0);

    as(driver, "louis.chamson");
    EXPECT_FALSE(contains(driver.get("/accueil").body, menu_link(tpro, "Classe TPRO")));
    page = driver.get("/espaces");
    EXPECT_TRUE(contains(page.body, "Espaces archivés"));
    EXPECT_TRUE(contains(page.body, "consultable jusqu"));
    page = driver.get(base);
    EXPECT_EQ(page.status, 200);
    EXPECT_TRUE(contains(page.body, "Bienvenue dans l")); // still readable
    EXPECT_FALSE(contains(page.body, "Nouvel article"));
    EXPECT_EQ(driver.post(base + "/blog", { { "csrf", driver.csrf_token() }, { "titre", "x" } }).status, 403);
    EXPECT_EQ(driver.post(base + "/restaurer", { { "csrf", driver.csrf_token() } }).status, 403);

    as(driver, "samuel.beaumont");
    page = driver.get(base);
    EXPECT_TRUE(contains(page.body, "Restaurer l"));
    EXPECT_EQ(driver.post(base + "/restaurer", { { "csrf", driver.csrf_token() } }).status, 303);
    EXPECT_TRUE(contains(driver.get(base).body, "Nouvel article"));
    EXPECT_TRUE(contains(driver.get("/accueil").body, menu_link(tpro, "Classe TPRO")));

    // A year and a day after the archiving, the others go.
    auto const archived = query_value(driver, "SELECT COUNT(*) FROM class_space WHERE archived_at <> 0");
    EXPECT_GT(archived, 0);
    auto const later = query_value(driver, "SELECT MAX(archived_at) FROM class_space") + 366LL * 24 * 3600;
    auto lease = driver.services().database->lease();
    EXPECT_EQ(class_space::purge_archived_spaces(lease.session(), later), archived);
    long long remaining = 0;
    lease.session() << "SELECT COUNT(*) FROM class_space", soci::into(remaining);
    EXPECT_EQ(remaining, 1);
}

TEST(ClassSpaceHome, BlogsAndForumsShowTheLatestArticlesOfThePersonsSpaces)
{
    AppDriver driver;
    auto const tpro = class_space_id(driver, "TPRO");
    as(driver, "louis.chamson");
    auto home = driver.get("/accueil").body;
    EXPECT_TRUE(contains(home, "Blogs &amp; Forums"));
    EXPECT_TRUE(contains(home, "Bienvenue dans l"));
    EXPECT_TRUE(contains(home, "Classe TPRO – SAMUEL BEAUMONT – "));
    EXPECT_TRUE(contains(home, "Forum : ")); // and the latest posts of its forum
    as(driver, "pauline.chamson");
    EXPECT_FALSE(contains(driver.get("/accueil").body, "Bienvenue dans l"));
    // The father sees it once visitors are let in, following Louis, not Pauline.
    as(driver, "samuel.beaumont");
    driver.get("/espaces/" + std::to_string(tpro) + "/membres");
    driver.post("/espaces/" + std::to_string(tpro) + "/parametres",
        { { "csrf", driver.csrf_token() }, { "visiteurs", "1" }, { "commentaires", "1" } });
    as(driver, "andre.chamson");
    auto const louis = user_id(driver, "louis.chamson");
    auto const pauline = user_id(driver, "pauline.chamson");
    EXPECT_TRUE(contains(driver.get("/accueil?enfant=" + std::to_string(louis)).body, "Bienvenue dans l"));
    EXPECT_FALSE(contains(driver.get("/accueil?enfant=" + std::to_string(pauline)).body, "Bienvenue dans l"));
}

// SPDX-License-Identifier: AGPL-3.0-or-later
// Publishing on both engines: news and agenda by scope, who may publish
// where, the « PUBLICATION » forms and their checks, the portals' pages.
#include "app/demo_school.h"
#include "core/identity/identity_store.h"
#include "services/publishing/news_image.h"
#include "services/publishing/publishing_forms.h"
#include "services/publishing/publishing_scopes.h"
#include "tests/support/app_driver.h"
#include <fstream>
#include <gtest/gtest.h>
#include <unistd.h>

using namespace cartable;
using cartable::testing::AppDriver;
using cartable::testing::contains;
using cartable::testing::user_id;
using publishing::Scope;

namespace {

long long count_rows(AppDriver& driver, std::string const& table, std::string const& title)
{
    auto count = driver.services().database->read([&](soci::session& session) -> ErrorOr<long long> {
        long long rows = 0;
        session << "SELECT COUNT(*) FROM " + table + " WHERE title = :title", soci::use(title), soci::into(rows);
        return rows;
    });
    return count.is_error() ? -1 : count.value();
}

// The session's CSRF token, read from a framed page.
std::string token_of(AppDriver& driver)
{
    driver.get("/accueil");
    return driver.csrf_token();
}

std::vector<std::pair<std::string, std::string>> news_form(std::string const& csrf, std::string const& scope,
    std::string const& key, std::string const& title, std::string const& visibility = "public")
{
    return { { "csrf", csrf }, { "portee", scope }, { "cle", key }, { "titre", title },
        { "resume", "Les professeurs reçoivent les familles." }, { "texte", "Salle polyvalente, **17 h 30**." },
        { "date", publishing::date_input(std::time(nullptr)) }, { "visibilite", visibility } };
}

std::vector<std::pair<std::string, std::string>> announcement_form(std::string const& csrf, std::string const& title,
    std::string const& link, std::string const& starts, std::string const& ends)
{
    return { { "csrf", csrf }, { "portee", "region" }, { "cle", "Occitanie" },
        { "auteur", "Région Occitanie / Pyrénées - Méditerranée" }, { "titre", title },
        { "texte", "Les lycéens de seconde reçoivent leur ordinateur." }, { "lien", link }, { "debut", starts },
        { "fin", ends } };
}

std::string today()
{
    return publishing::date_input(std::time(nullptr));
}

std::string in_days(int days)
{
    return publishing::date_input(std::time(nullptr) + days * 24LL * 3600);
}

} // namespace

TEST(PublishingStore, NewsReachMembersFromTheirStructureAcademyRegionAndPlatform)
{
    auto services = cartable::testing::fresh_services();
    long long now = std::time(nullptr);
    auto result = services->database->write([&](soci::session& session) -> ErrorOr<bool> {
        identity::Structure vigan { 0, "0300027A", "CITE SCOLAIRE ANDRE CHAMSON", "Cité scolaire", "Le Vigan",
            "Montpellier", "Occitanie" };
        identity::Structure toulouse { 0, "0310024H", "LYCEE PIERRE DE FERMAT", "Lycée", "Toulouse", "Toulouse",
            "Occitanie" };
        auto vigan_id = identity::store::create_structure(session, vigan);
        auto toulouse_id = identity::store::create_structure(session, toulouse);
        auto add
            = [&](Scope scope, std::string key, long long structure, std::string title, long long at, bool is_public) {
                  publishing::NewsItem news;
                  news.scope = scope;
                  news.scope_key = std::move(key);
                  news.structure_id = structure;
                  news.title = std::move(title);
                  news.published_at = at;
                  news.is_public = is_public;
                  return publishing::add_news(session, news);
              };
        add(Scope::Structure, "", vigan_id, "Conseils de classe", now - 500, false);
        add(Scope::Structure, "", toulouse_id, "Fermat seulement", now - 100, true);
        add(Scope::Academy, "Montpellier", 0, "Persévérance scolaire", now - 400, true);
        add(Scope::Academy, "Toulouse", 0, "Académie de Toulouse seulement", now - 50, true);
        add(Scope::Region, "Occitanie", 0, "Ordi pour tous", now - 300, false);
        add(Scope::Platform, "", 0, "Maintenance", now - 200, false);
        add(Scope::Platform, "", 0, "Pas encore publiée", now + 3600, true);

        auto reaching = publishing::news_reaching(session, { vigan_id, "Montpellier", "Occitanie" }, now, 10);
        std::vector<std::string> titles;
        for (auto const& news : reaching)
            titles.push_back(news.title);
        EXPECT_EQ(titles,
            (std::vector<std::string> {
                "Maintenance", "Ordi pour tous", "Persévérance scolaire", "Conseils de classe" }));
        EXPECT_EQ(reaching.front().scope, Scope::Platform);
        EXPECT_EQ(publishing::news_url(reaching.front(), "0300027A"),
            "/portails/inter-etablissements/actualites/" + std::to_string(reaching.front().id));
        EXPECT_EQ(publishing::news_url(reaching.back(), "0300027A"),
            "/portail/0300027A/actualites/" + std::to_string(reaching.back().id));

        // A structure's public page lists its own public news only.
        auto own = publishing::latest_news(session, toulouse_id, publishing::Audience::Public, 5);
        EXPECT_EQ(own.size(), 1u);
        EXPECT_TRUE(publishing::latest_news(session, vigan_id, publishing::Audience::Public, 5).empty());

        auto academy = publishing::news_of_place(session, Scope::Academy, "Montpellier", 0, false, now);
        EXPECT_EQ(academy.size(), 1u);
        if (academy.empty())
            return true;
        EXPECT_EQ(academy.front().title, "Persévérance scolaire");
        EXPECT_EQ(academy.front().structure_id, 0);
        EXPECT_EQ(publishing::news_of_place(session, Scope::Platform, "", 0, true, now).size(), 2u);
        return true;
    });
    ASSERT_FALSE(result.is_error()) << result.error().detail;
}

TEST(PublishingStore, NewsAndEventsAreUpdatedAndRemoved)
{
    auto services = cartable::testing::fresh_services();
    long long now = std::time(nullptr);
    auto result = services->database->write([&](soci::session& session) -> ErrorOr<bool> {
        publishing::NewsItem news;
        news.scope = Scope::Region;
        news.scope_key = "Occitanie";
        news.title = "Ordi pour tous";
        news.body = "Texte";
        news.author = "Claire ESTÈVE";
        news.image_name = "abc.png";
        news.image_type = "image/png";
        news.published_at = now - 10;
        news.id = publishing::add_news(session, news);
        auto found = publishing::find_news(session, news.id);
        EXPECT_TRUE(found);
        EXPECT_EQ(found->author, "Claire ESTÈVE");
        EXPECT_EQ(found->image_type, "image/png");
        EXPECT_EQ(found->scope_key, "Occitanie");
        news.title = "Ordi pour tous : la distribution commence";
        news.is_public = true;
        publishing::update_news(session, news);
        EXPECT_EQ(publishing::find_news(session, news.id)->title, "Ordi pour tous : la distribution commence");
        EXPECT_TRUE(publishing::find_news(session, news.id)->is_public);
        publishing::delete_news(session, news.id);
        EXPECT_FALSE(publishing::find_news(session, news.id));

        publishing::Event event;
        event.scope = Scope::Academy;
        event.scope_key = "Montpellier";
        event.title = "Forum de l'orientation";
        event.starts_at = now + 3600;
        event.ends_at = now + 7200;
        event.id = publishing::add_event(session, event);
        auto events = publishing::events_of_place(session, Scope::Academy, "Montpellier", 0, now, 5);
        EXPECT_EQ(events.size(), 1u);
        event.place = "Montpellier";
        publishing::update_event(session, event);
        EXPECT_EQ(publishing::find_event(session, event.id)->place, "Montpellier");
        publishing::delete_event(session, event.id);
        EXPECT_FALSE(publishing::find_event(session, event.id));
        return true;
    });
    ASSERT_FALSE(result.is_error()) << result.error().detail;
}

TEST(PublishingStore, GrantsAreKeptOncePerPlace)
{
    AppDriver driver;
    auto result = driver.services().database->write([&](soci::session& session) -> ErrorOr<bool> {
        auto user = identity::store::find_user_for_sign_in(session, "philippe.garnier");
        EXPECT_TRUE(user);
        publishing::grant_publishing(session, user->first.id, Scope::Region, "Occitanie", std::nullopt, 1);
        publishing::grant_publishing(session, user->first.id, Scope::Region, "Occitanie", std::nullopt, 2);
        auto grants = publishing::grants_of(session, user->first.id);
        EXPECT_EQ(grants.size(), 1u);
        EXPECT_EQ(grants.front().person_name, "Philippe GARNIER");
        // The demonstration lets Claire ESTÈVE publish above the structure.
        auto admin = identity::store::find_user_for_sign_in(session, "admin.ent");
        EXPECT_EQ(publishing::grants_of(session, admin->first.id).size(), 3u);
        publishing::revoke_grant(session, grants.front().id);
        EXPECT_TRUE(publishing::grants_of(session, user->first.id).empty());
        return true;
    });
    ASSERT_FALSE(result.is_error()) << result.error().detail;
}

TEST(PublishingStore, NewsTextIsMarkdownWithoutHtmlOrScriptLinks)
{
    auto html = publishing::render_news_markdown(
        "**Réunion** <script>alert(1)</script>\n\n[piège](javascript:alert(1)) [bis](JavaScript&#58;alert(2)) "
        "<javascript:alert(3)> [site](https://www.ac-montpellier.fr/) [aide](/aide)\n\n![x](data:image/png;base64,AA)");
    EXPECT_TRUE(contains(html, "<strong>Réunion</strong>"));
    EXPECT_FALSE(contains(html, "<script")) << html;
    // Their text may stay; never as an address.
    EXPECT_FALSE(contains(html, "href=\"javascript:")) << html;
    EXPECT_FALSE(contains(html, "href=\"JavaScript:"));
    EXPECT_TRUE(contains(html, "<a href=\"#\">piège</a>"));
    EXPECT_FALSE(contains(html, "src=\"data:"));
    EXPECT_TRUE(contains(html, "href=\"https://www.ac-montpellier.fr/\""));
    EXPECT_TRUE(contains(html, "href=\"/aide\""));
}

TEST(PublishingStore, ImagesAreRecognisedByTheirFirstBytes)
{
    auto directory = std::filesystem::temp_directory_path() / ("cartable-image-test-" + std::to_string(getpid()));
    std::filesystem::create_directories(directory);
    auto write = [&](char const* name, std::string const& bytes) {
        std::ofstream(directory / name, std::ios::binary) << bytes;
        return directory / name;
    };
    EXPECT_EQ(image_type_of(write("a.jpg", std::string("\xFF\xD8\xFF\xE0", 4) + "JFIF")), "image/jpeg");
    EXPECT_EQ(image_type_of(write("a.png", std::string("\x89PNG\r\n\x1A\n", 8) + "IHDR")), "image/png");
    EXPECT_EQ(image_type_of(write("a.webp", std::string("RIFF\x10\0\0\0WEBPVP8 ", 16))), "image/webp");
    // A name or a declared type says nothing: a text file is not an image.
    EXPECT_FALSE(image_type_of(write("faux.png", "<svg onload=alert(1)>")));
    std::filesystem::remove_all(directory);
}

TEST(PublishingRoutes, GuardianCannotReachThePublicationForms)
{
    AppDriver driver;
    ASSERT_EQ(driver.sign_in("andre.chamson", app::DEMO_PASSWORD).status, 303);
    auto csrf = token_of(driver);
    EXPECT_EQ(driver.get("/publication").status, 403);
    EXPECT_EQ(driver.get("/publication/actualites/nouvelle?portee=etablissement&cle=0300027A").status, 403);
    EXPECT_EQ(driver.get("/publication/droits").status, 403);
    EXPECT_EQ(driver
                  .post("/publication/actualites",
                      news_form(csrf, "etablissement", "0300027A", "Réunion parents-professeurs"))
                  .status,
        403);
    EXPECT_EQ(count_rows(driver, "publishing_news", "Réunion parents-professeurs"), 0);
}

TEST(PublishingRoutes, StaffPublishesForTheStructureButForTheRegionOnlyWithAGrant)
{
    AppDriver driver;
    ASSERT_EQ(driver.sign_in("philippe.garnier", app::DEMO_PASSWORD).status, 303);
    auto csrf = token_of(driver);
    auto page = driver.get("/publication");
    ASSERT_EQ(page.status, 200);
    EXPECT_TRUE(contains(page.body, "CITE SCOLAIRE ANDRE CHAMSON"));
    EXPECT_FALSE(contains(page.body, "portee=region"));
    auto form = driver.get("/publication/actualites/nouvelle?portee=etablissement&cle=0300027A");
    ASSERT_EQ(form.status, 200);
    EXPECT_TRUE(contains(form.body, "<label for=\"titre\">"));
    EXPECT_TRUE(contains(form.body, "value=\"" + today() + "\""));

    auto published
        = driver.post("/publication/actualites", news_form(csrf, "etablissement", "0300027A", "Réunion de rentrée"));
    EXPECT_EQ(published.status, 303);
    EXPECT_EQ(count_rows(driver, "publishing_news", "Réunion de rentrée"), 1);

    EXPECT_EQ(driver.get("/publication/actualites/nouvelle?portee=region&cle=Occitanie").status, 403);
    auto refused = driver.post("/publication/actualites", news_form(csrf, "region", "Occitanie", "Lycées d'Occitanie"));
    EXPECT_EQ(refused.status, 403);
    EXPECT_EQ(count_rows(driver, "publishing_news", "Lycées d'Occitanie"), 0);
    EXPECT_EQ(
        driver.post("/publication/annonces", announcement_form(csrf, "Annonce régionale", "", today(), today())).status,
        403);

    // The deployment's administrator grants the région.
    AppDriver& admin = driver;
    admin.forget_cookies();
    ASSERT_EQ(admin.sign_in("admin.ent", app::DEMO_PASSWORD).status, 303);
    auto admin_csrf = token_of(admin);
    auto grants = admin.get("/publication/droits");
    ASSERT_EQ(grants.status, 200);
    EXPECT_TRUE(contains(grants.body, "Claire ESTÈVE"));
    auto unknown = admin.post("/publication/droits",
        { { "csrf", admin_csrf }, { "identifiant", "personne.inconnue" }, { "portee", "region:Occitanie" } });
    EXPECT_EQ(unknown.status, 400);
    EXPECT_TRUE(contains(unknown.body, "Aucun compte ne porte cet identifiant."));
    EXPECT_EQ(
        admin
            .post("/publication/droits",
                { { "csrf", admin_csrf }, { "identifiant", "philippe.garnier" }, { "portee", "region:Occitanie" } })
            .status,
        303);

    driver.forget_cookies();
    ASSERT_EQ(driver.sign_in("philippe.garnier", app::DEMO_PASSWORD).status, 303);
    csrf = token_of(driver);
    EXPECT_TRUE(contains(driver.get("/publication").body, "portee=region&amp;cle=Occitanie"));
    EXPECT_EQ(
        driver.post("/publication/actualites", news_form(csrf, "region", "Occitanie", "Lycées d'Occitanie")).status,
        303);
    EXPECT_EQ(count_rows(driver, "publishing_news", "Lycées d'Occitanie"), 1);
    // Still not the académie: no grant for it.
    EXPECT_EQ(
        driver.post("/publication/actualites", news_form(csrf, "academie", "Montpellier", "Académie")).status, 403);
}

TEST(PublishingRoutes, StaffOfAnotherStructureCannotChangeThisStructuresNews)
{
    AppDriver driver;
    auto hash = driver.services().password_hasher->hash("autre-mot-de-passe");
    ASSERT_FALSE(hash.is_error());
    long long news_id = 0;
    auto made = driver.services().database->write([&](soci::session& session) -> ErrorOr<bool> {
        identity::Structure other { 0, "0340002A", "LYCEE JOFFRE", "Lycée", "Montpellier", "Montpellier", "Occitanie" };
        other.is_demo = true;
        identity::User staff;
        staff.login = "agnes.martin";
        staff.first_name = "Agnès";
        staff.last_name = "MARTIN";
        staff.profile = access::Profile::Staff;
        staff.structure_id = identity::store::create_structure(session, other);
        staff.is_demo = true;
        identity::store::create_user(session, staff, hash.value());
        news_id = publishing::latest_news(session, 1, publishing::Audience::Members, 1).front().id;
        return true;
    });
    ASSERT_FALSE(made.is_error()) << made.error().detail;
    ASSERT_EQ(driver.sign_in("agnes.martin", "autre-mot-de-passe").status, 303);
    auto csrf = token_of(driver);
    auto url = "/publication/actualites/" + std::to_string(news_id);
    EXPECT_EQ(driver.get(url + "/modifier").status, 403);
    EXPECT_EQ(driver.post(url, news_form(csrf, "etablissement", "0340002A", "Détournée")).status, 403);
    EXPECT_EQ(driver.post(url + "/supprimer", { { "csrf", csrf } }).status, 403);
    EXPECT_EQ(count_rows(driver, "publishing_news", "Détournée"), 0);
    // Nor publish in its name.
    EXPECT_EQ(
        driver.post("/publication/actualites", news_form(csrf, "etablissement", "0300027A", "Détournée")).status, 403);
}

TEST(PublishingRoutes, FormsRefuseWrongValuesWithTheFieldsMessageAndSaveNothing)
{
    AppDriver driver;
    ASSERT_EQ(driver.sign_in("admin.ent", app::DEMO_PASSWORD).status, 303);
    auto csrf = token_of(driver);

    std::string long_title(201, 'e');
    auto too_long = driver.post("/publication/actualites", news_form(csrf, "etablissement", "0300027A", long_title));
    EXPECT_EQ(too_long.status, 400);
    EXPECT_TRUE(contains(too_long.body, "Le titre ne doit pas dépasser 200 caractères."));
    EXPECT_TRUE(contains(too_long.body, "aria-describedby=\"titre-erreur\""));
    EXPECT_TRUE(contains(too_long.body, "Salle polyvalente, **17 h 30**.")); // the values come back
    EXPECT_EQ(count_rows(driver, "publishing_news", long_title), 0);
    // 200 characters, accents counted once, are fine.
    std::string accented;
    for (int index = 0; index < 200; ++index)
        accented += "é";
    EXPECT_EQ(
        driver.post("/publication/actualites", news_form(csrf, "etablissement", "0300027A", accented)).status, 303);

    auto script_link = driver.post(
        "/publication/annonces", announcement_form(csrf, "Lien piégé", "javascript:alert(1)", today(), in_days(3)));
    EXPECT_EQ(script_link.status, 400);
    EXPECT_TRUE(contains(script_link.body, "Le lien « En savoir plus » doit être une adresse web commençant par"));
    EXPECT_EQ(count_rows(driver, "publishing_announcement", "Lien piégé"), 0);

    auto reversed
        = driver.post("/publication/annonces", announcement_form(csrf, "Période à l'envers", "", in_days(3), today()));
    EXPECT_EQ(reversed.status, 400);
    EXPECT_TRUE(contains(reversed.body, "La fin de l&#39;affichage doit être le même jour que le début ou après."));
    EXPECT_EQ(count_rows(driver, "publishing_announcement", "Période à l'envers"), 0);

    auto event = driver.post("/publication/agenda",
        { { "csrf", csrf }, { "portee", "academie" }, { "cle", "Montpellier" }, { "titre", "Forum à l'envers" },
            { "lieu", "Montpellier" }, { "debut", in_days(3) + "T10:00" }, { "fin", in_days(3) + "T09:00" },
            { "visibilite", "public" } });
    EXPECT_EQ(event.status, 400);
    EXPECT_TRUE(contains(event.body, "La fin doit être au même moment que le début ou après."));
    EXPECT_EQ(count_rows(driver, "publishing_event", "Forum à l'envers"), 0);

    auto good = driver.post("/publication/annonces",
        announcement_form(csrf, "Salon de l'apprentissage", "https://www.laregion.fr/", today(), in_days(3)));
    EXPECT_EQ(good.status, 303);
    EXPECT_EQ(count_rows(driver, "publishing_announcement", "Salon de l'apprentissage"), 1);
}

TEST(PublishingRoutes, PublicNewsShowOnThePortalWithTheirAgeAndMembersNewsDoNot)
{
    AppDriver driver;
    ASSERT_EQ(driver.sign_in("philippe.garnier", app::DEMO_PASSWORD).status, 303);
    auto csrf = token_of(driver);
    ASSERT_EQ(driver
                  .post("/publication/actualites",
                      news_form(csrf, "etablissement", "0300027A", "Réunion parents-professeurs", "public"))
                  .status,
        303);
    ASSERT_EQ(driver
                  .post("/publication/actualites",
                      news_form(csrf, "etablissement", "0300027A", "Note aux personnels", "membres"))
                  .status,
        303);
    driver.forget_cookies();
    auto portal = driver.get("/portail/0300027A");
    ASSERT_EQ(portal.status, 200);
    EXPECT_TRUE(contains(portal.body, "Réunion parents-professeurs"));
    EXPECT_TRUE(contains(portal.body, "à l&#39;instant") || contains(portal.body, "à l'instant")) << portal.body;
    EXPECT_TRUE(contains(portal.body, "il y a 1 mois")); // the demo's arrival news
    EXPECT_FALSE(contains(portal.body, "Note aux personnels"));

    // Its page renders the Markdown text.
    auto start = portal.body.find("/portail/0300027A/actualites/");
    auto url = portal.body.substr(start, portal.body.find('"', start) - start);
    auto page = driver.get(url);
    ASSERT_EQ(page.status, 200);
    EXPECT_TRUE(contains(page.body, "<strong>17 h 30</strong>"));
}

TEST(PublishingRoutes, ScopePagesListTheirNewsAgendaAndAnnouncements)
{
    AppDriver driver;
    ASSERT_EQ(driver.sign_in("andre.chamson", app::DEMO_PASSWORD).status, 303);
    auto academy = driver.get("/portails/academie");
    ASSERT_EQ(academy.status, 200);
    EXPECT_TRUE(contains(academy.body, "Semaine de la persévérance scolaire"));
    EXPECT_TRUE(contains(academy.body, "il y a "));
    EXPECT_TRUE(contains(academy.body, "Journées portes ouvertes des lycées de l&#39;académie"));
    EXPECT_TRUE(contains(academy.body, "Calendrier des épreuves du baccalauréat"));
    EXPECT_FALSE(contains(academy.body, "Ordi pour tous"));

    auto region = driver.get("/portails/region");
    ASSERT_EQ(region.status, 200);
    EXPECT_TRUE(contains(region.body, "Ordi pour tous : la distribution commence"));
    EXPECT_TRUE(contains(region.body, "Salon régional de l&#39;apprentissage"));

    auto platform = driver.get("/portails/inter-etablissements");
    ASSERT_EQ(platform.status, 200);
    EXPECT_TRUE(contains(platform.body, "<h1 class=\"page-title\">Site inter-établissements</h1>"));
    EXPECT_TRUE(contains(platform.body, "Nouveau : l&#39;agenda des portails"));
    EXPECT_TRUE(contains(platform.body, "href=\"/portails/inter-etablissements\" aria-current=\"page\""));

    // Each news item has its page; the Accueil links to it.
    auto start = region.body.find("/portails/region/actualites/");
    ASSERT_NE(start, std::string::npos);
    auto url = region.body.substr(start, region.body.find('"', start) - start);
    auto page = driver.get(url);
    ASSERT_EQ(page.status, 200);
    EXPECT_TRUE(contains(page.body, "<strong>manuels numériques</strong>"));
    auto home = driver.get("/accueil");
    EXPECT_TRUE(contains(home.body, "Nouveau : l&#39;agenda des portails"));
    EXPECT_TRUE(contains(home.body, "/portails/inter-etablissements/actualites/"));
    // Not a news item of another portal under this one's address.
    auto wrong = url;
    wrong.replace(0, std::string("/portails/region").size(), "/portails/academie");
    EXPECT_EQ(driver.get(wrong).status, 404);
}

TEST(PublishingRoutes, MembersNewsImagesOnlyReachMembers)
{
    auto directory = std::filesystem::temp_directory_path() / ("cartable-publishing-" + std::to_string(getpid()));
    AppDriver driver([&](Config& config) { config.data_directory = directory; });
    std::filesystem::create_directories(publishing::image_directory(driver.services().config));
    std::ofstream(publishing::image_directory(driver.services().config) / "conseil.png", std::ios::binary)
        << std::string("\x89PNG\r\n\x1A\n", 8) << "IHDR";
    long long members_news = 0;
    long long public_news = 0;
    auto made = driver.services().database->write([&](soci::session& session) -> ErrorOr<bool> {
        publishing::NewsItem news;
        news.structure_id = 1;
        news.title = "Conseil pédagogique";
        news.image_name = "conseil.png";
        news.image_type = "image/png";
        news.published_at = std::time(nullptr) - 60;
        members_news = publishing::add_news(session, news);
        news.is_public = true;
        public_news = publishing::add_news(session, news);
        return true;
    });
    ASSERT_FALSE(made.is_error()) << made.error().detail;
    EXPECT_EQ(driver.get("/publication/images/" + std::to_string(members_news)).status, 404);
    auto open = driver.get("/publication/images/" + std::to_string(public_news));
    EXPECT_EQ(open.status, 200);
    EXPECT_EQ(open.header("Content-Type"), "image/png");
    ASSERT_EQ(driver.sign_in("louis.chamson", app::DEMO_PASSWORD).status, 303);
    EXPECT_EQ(driver.get("/publication/images/" + std::to_string(members_news)).status, 200);
    std::filesystem::remove_all(directory);
}

// SPDX-License-Identifier: AGPL-3.0-or-later
// The blog of a class's space, tried by every role (both engines): writing,
// drafts, publishing, comments, categories, authors, sorting, images,
// moderation, and what nobody outside the space may reach.
#include "app/demo_school.h"
#include "tests/support/app_driver.h"
#include <filesystem>
#include <gtest/gtest.h>
#include <zip.h>

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

// The id at the end of a redirect to « /espaces/1/blog/12?fait=publie ».
long long article_of(http::Response const& response)
{
    auto location = response.header("Location");
    auto start = location.find("/blog/");
    if (start == std::string::npos)
        return 0;
    return std::atoll(location.c_str() + start + 6);
}

http::Response write_article(AppDriver& driver, std::string const& base, std::string const& title,
    std::string const& body, std::string const& action = "publier")
{
    driver.get(base + "/blog/nouveau");
    return driver.post(base + "/blog",
        { { "csrf", driver.csrf_token() }, { "titre", title }, { "contenu", body }, { "format", "html" },
            { "action", action } });
}

void close_to_visitors(AppDriver& driver, std::string const& base)
{
    as(driver, "samuel.beaumont");
    driver.get(base + "/membres");
    ASSERT_EQ(
        driver.post(base + "/parametres", { { "csrf", driver.csrf_token() }, { "commentaires", "1" } }).status, 303);
}

void let_visitors_in(AppDriver& driver, std::string const& base)
{
    as(driver, "samuel.beaumont");
    driver.get(base + "/membres");
    ASSERT_EQ(driver
                  .post(base + "/parametres",
                      { { "csrf", driver.csrf_token() }, { "visiteurs", "1" }, { "commentaires", "1" } })
                  .status,
        303);
}

} // namespace

TEST(ClassSpaceBlog, TheTeacherPublishesTheClassCommentsAndTheParentReads)
{
    AppDriver driver;
    auto const base = "/espaces/" + std::to_string(class_space_id(driver, "TPRO"));
    close_to_visitors(driver, base);
    // The demo's article is there, with its byline and side lists.
    as(driver, "samuel.beaumont");
    auto blog = driver.get(base);
    ASSERT_EQ(blog.status, 200);
    EXPECT_TRUE(contains(blog.body, "Tous les articles (1)"));
    EXPECT_TRUE(contains(blog.body, "Par SAMUEL BEAUMONT, publié le "));
    EXPECT_TRUE(contains(blog.body, "Catégories"));
    EXPECT_TRUE(contains(blog.body, "Vie de la classe (1)"));
    EXPECT_TRUE(contains(blog.body, "Tous (1)"));
    EXPECT_TRUE(contains(blog.body, "SAMUEL BEAUMONT (1)"));
    EXPECT_TRUE(contains(blog.body, "Trier par"));

    auto created = write_article(driver, base, "Sortie au salon de l'étudiant",
        "<p>Rendez-vous <strong>jeudi à 8 h</strong> devant le lycée.</p>");
    ASSERT_EQ(created.status, 303);
    auto const article = article_of(created);
    ASSERT_GT(article, 0);
    auto const article_url = base + "/blog/" + std::to_string(article);
    blog = driver.get(base);
    EXPECT_TRUE(contains(blog.body, "Tous les articles (2)"));
    EXPECT_TRUE(contains(blog.body, "SAMUEL BEAUMONT (2)"));
    EXPECT_TRUE(contains(blog.body, "<strong>jeudi à 8 h</strong>"));

    // The class hears of it; Louis reads and comments.
    EXPECT_EQ(
        query_value(driver,
            "SELECT COUNT(*) FROM notifications_item n JOIN identity_user u ON u.id = n.recipient_id WHERE u.login = "
            "'louis.chamson' AND n.link LIKE '%/blog/"
                + std::to_string(article) + "'"),
        1);
    as(driver, "louis.chamson");
    auto page = driver.get(article_url);
    ASSERT_EQ(page.status, 200);
    EXPECT_TRUE(contains(page.body, "Par SAMUEL BEAUMONT, publié le "));
    EXPECT_TRUE(contains(page.body, "Votre commentaire"));
    EXPECT_EQ(
        driver.post(article_url + "/commentaires", { { "csrf", driver.csrf_token() }, { "commentaire", "J'y serai." } })
            .status,
        303);
    page = driver.get(article_url);
    EXPECT_TRUE(contains(page.body, "J&#39;y serai.") || contains(page.body, "J&apos;y serai.")
        || contains(page.body, "J'y serai."));
    EXPECT_TRUE(contains(page.body, "LOUIS CHAMSON"));
    // Louis cannot change the teacher's article, nor take it off.
    EXPECT_EQ(driver.get(article_url + "/modifier").status, 403);
    EXPECT_EQ(
        driver
            .post(article_url + "/modifier",
                { { "csrf", driver.csrf_token() }, { "titre", "Annulé" }, { "contenu", "x" }, { "action", "publier" } })
            .status,
        403);
    EXPECT_EQ(driver.post(article_url + "/retirer", { { "csrf", driver.csrf_token() } }).status, 403);
    EXPECT_EQ(driver.post(article_url + "/supprimer", { { "csrf", driver.csrf_token() } }).status, 403);

    // André, Louis's father, comes in as a visitor once allowed: he reads, cannot post.
    as(driver, "andre.chamson");
    EXPECT_EQ(driver.get(article_url).status, 404);
    let_visitors_in(driver, base);
    as(driver, "andre.chamson");
    page = driver.get(article_url);
    ASSERT_EQ(page.status, 200);
    EXPECT_TRUE(contains(page.body, "Par SAMUEL BEAUMONT, publié le "));
    EXPECT_FALSE(contains(page.body, "Votre commentaire"));
    EXPECT_FALSE(contains(driver.get(base).body, "Nouvel article"));
    auto before = query_value(driver, "SELECT COUNT(*) FROM class_space_comment");
    auto refused
        = driver.post(article_url + "/commentaires", { { "csrf", driver.csrf_token() }, { "commentaire", "Bonjour" } });
    EXPECT_EQ(refused.status, 403);
    EXPECT_TRUE(contains(refused.body, "En visiteur, vous pouvez lire cet espace, sans y publier."));
    EXPECT_EQ(driver.get(base + "/blog/nouveau").status, 403);
    EXPECT_EQ(write_article(driver, base, "Intrus", "<p>x</p>").status, 403);
    EXPECT_EQ(query_value(driver, "SELECT COUNT(*) FROM class_space_comment"), before);
}

TEST(ClassSpaceBlog, DraftsStayWithTheirAuthorUntilPublished)
{
    AppDriver driver;
    auto const base = "/espaces/" + std::to_string(class_space_id(driver, "TPRO"));
    as(driver, "louis.chamson");
    auto saved = write_article(driver, base, "Compte rendu de la visite", "<p>Premier jet.</p>", "brouillon");
    ASSERT_EQ(saved.status, 303);
    auto const url = base + "/blog/" + std::to_string(article_of(saved));
    auto blog = driver.get(base);
    EXPECT_TRUE(contains(blog.body, "Tous les articles (1)"));
    EXPECT_TRUE(contains(blog.body, "Mes brouillons"));
    EXPECT_TRUE(contains(driver.get(url).body, "Brouillon : vous seul le voyez"));
    // Nobody else sees a draft, not even the teacher.
    as(driver, "samuel.beaumont");
    EXPECT_EQ(driver.get(url).status, 404);
    EXPECT_FALSE(contains(driver.get(base).body, "Compte rendu de la visite"));
    as(driver, "louis.chamson");
    driver.get(url);
    EXPECT_EQ(driver.post(url + "/publier", { { "csrf", driver.csrf_token() } }).status, 303);
    as(driver, "samuel.beaumont");
    auto page = driver.get(url);
    ASSERT_EQ(page.status, 200);
    EXPECT_TRUE(contains(page.body, "Par LOUIS CHAMSON, publié le "));
    EXPECT_TRUE(contains(driver.get(base).body, "LOUIS CHAMSON (1)"));
    // The teacher moderates: the article goes back to its author's drafts.
    EXPECT_EQ(driver.post(url + "/retirer", { { "csrf", driver.csrf_token() } }).status, 303);
    EXPECT_EQ(driver.get(url).status, 404);
    EXPECT_TRUE(contains(driver.get(base).body, "Tous les articles (1)"));
    EXPECT_EQ(
        query_value(driver, "SELECT COUNT(*) FROM identity_audit WHERE action = 'class_space_article_unpublished'"), 1);
}

TEST(ClassSpaceBlog, CategoriesAuthorsAndSorting)
{
    AppDriver driver;
    auto const base = "/espaces/" + std::to_string(class_space_id(driver, "T STMG"));
    as(driver, "samuel.beaumont");
    auto blog = driver.get(base);
    EXPECT_TRUE(contains(blog.body, "Tous les articles (0)"));
    EXPECT_TRUE(contains(blog.body, "Aucune catégorie définie"));
    EXPECT_TRUE(contains(blog.body, "Tous (0)"));
    EXPECT_EQ(
        driver.post(base + "/blog/categories", { { "csrf", driver.csrf_token() }, { "nom", "Sorties" } }).status, 303);
    // The same name twice, or none: refused, nothing added.
    auto again = driver.post(base + "/blog/categories", { { "csrf", driver.csrf_token() }, { "nom", "Sorties" } });
    EXPECT_TRUE(contains(again.header("Location"), "erreur=categorie"));
    driver.post(base + "/blog/categories", { { "csrf", driver.csrf_token() }, { "nom", "   " } });
    EXPECT_EQ(query_value(driver, "SELECT COUNT(*) FROM class_space_category WHERE name = 'Sorties'"), 1);
    auto category = query_value(driver, "SELECT id FROM class_space_category WHERE name = 'Sorties'");
    driver.get(base + "/blog/nouveau");
    ASSERT_EQ(driver
                  .post(base + "/blog",
                      { { "csrf", driver.csrf_token() }, { "titre", "Zoologie : visite du parc" },
                          { "contenu", "Le parc des loups du Gévaudan." }, { "format", "text" },
                          { "categorie", std::to_string(category) }, { "action", "publier" } })
                  .status,
        303);
    ASSERT_EQ(write_article(driver, base, "Accueil des correspondants", "<p>Ils arrivent lundi.</p>").status, 303);
    blog = driver.get(base);
    EXPECT_TRUE(contains(blog.body, "Sorties (1)"));
    EXPECT_TRUE(contains(blog.body, "Tous les articles (2)"));
    // Newest first by default, by title when asked.
    auto by_date = blog.body;
    EXPECT_LT(by_date.find("Accueil des correspondants"), by_date.find("Zoologie : visite du parc"));
    auto by_title = driver.get(base + "?tri=titre").body;
    EXPECT_LT(by_title.find("Accueil des correspondants"), by_title.find("Zoologie : visite du parc"));
    // The category's articles only.
    auto filtered = driver.get(base + "?categorie=" + std::to_string(category)).body;
    EXPECT_TRUE(contains(filtered, "Zoologie : visite du parc"));
    EXPECT_FALSE(contains(filtered, "Accueil des correspondants"));
    // A plain textarea's text is kept as text.
    EXPECT_TRUE(contains(filtered, "<p>Le parc des loups du Gévaudan.</p>"));
    // Removing the category keeps its article.
    EXPECT_EQ(driver
                  .post(base + "/blog/categories/" + std::to_string(category) + "/supprimer",
                      { { "csrf", driver.csrf_token() } })
                  .status,
        303);
    blog = driver.get(base);
    EXPECT_TRUE(contains(blog.body, "Aucune catégorie définie"));
    EXPECT_TRUE(contains(blog.body, "Tous les articles (2)"));
}

TEST(ClassSpaceBlog, BadInputIsRefusedInFrenchAndNothingIsWritten)
{
    AppDriver driver;
    auto const base = "/espaces/" + std::to_string(class_space_id(driver, "TPRO"));
    as(driver, "louis.chamson");
    auto const before = query_value(driver, "SELECT COUNT(*) FROM class_space_article");
    auto empty = write_article(driver, base, "  ", "<p>Sans titre</p>");
    EXPECT_EQ(empty.status, 400);
    EXPECT_TRUE(contains(empty.body, "Donnez un titre à l&#39;article.") || contains(empty.body, "Donnez un titre"));
    EXPECT_TRUE(contains(empty.body, "Sans titre")); // what was written is kept in the form
    auto too_long = write_article(driver, base, std::string(201, 'a'), "<p>x</p>");
    EXPECT_EQ(too_long.status, 400);
    EXPECT_TRUE(contains(too_long.body, "Le titre ne doit pas dépasser 200 caractères."));
    EXPECT_EQ(write_article(driver, base, "Vide", "<p> </p>").status, 400);
    // A file that is not an image, with the article: refused, nothing kept.
    driver.get(base + "/blog/nouveau");
    auto not_image = driver.post_files(base + "/blog",
        { { "csrf", driver.csrf_token() }, { "titre", "Photos" }, { "contenu", "<p>Voici</p>" }, { "format", "html" },
            { "action", "publier" } },
        { { "images", "photo.png", "<html><script>alert(1)</script></html>" } });
    EXPECT_EQ(not_image.status, 400);
    EXPECT_TRUE(contains(not_image.body, "n&#39;est pas une image JPEG, PNG ou WebP")
        || contains(not_image.body, "pas une image"));
    // A category of another space.
    driver.get(base + "/blog/nouveau");
    EXPECT_EQ(driver
                  .post(base + "/blog",
                      { { "csrf", driver.csrf_token() }, { "titre", "Ailleurs" }, { "contenu", "x" },
                          { "categorie", "999999" }, { "action", "publier" } })
                  .status,
        400);
    EXPECT_EQ(query_value(driver, "SELECT COUNT(*) FROM class_space_article"), before);
    EXPECT_EQ(query_value(driver, "SELECT COUNT(*) FROM class_space_article_image"), 0);
    // An empty comment.
    auto demo = query_value(driver, "SELECT MIN(id) FROM class_space_article");
    auto url = base + "/blog/" + std::to_string(demo);
    driver.get(url);
    auto comment = driver.post(url + "/commentaires", { { "csrf", driver.csrf_token() }, { "commentaire", " " } });
    EXPECT_TRUE(contains(comment.header("Location"), "erreur=commentaire"));
    EXPECT_TRUE(
        contains(driver.get(url + "?erreur=commentaire").body, "Le commentaire doit compter de 1 à 4 000 caractères."));
    EXPECT_EQ(query_value(driver, "SELECT COUNT(*) FROM class_space_comment"), 1); // the demo's
}

TEST(ClassSpaceBlog, ImagesAreKeptWithTheArticleAndServedOnlyToItsReaders)
{
    AppDriver driver;
    auto const base = "/espaces/" + std::to_string(class_space_id(driver, "TPRO"));
    as(driver, "samuel.beaumont");
    driver.get(base + "/blog/nouveau");
    std::string png("\x89PNG\r\n\x1A\n\0\0\0\rIHDR", 16);
    auto created = driver.post_files(base + "/blog",
        { { "csrf", driver.csrf_token() }, { "titre", "Photos du salon" }, { "contenu", "<p>Quelques photos.</p>" },
            { "format", "html" }, { "action", "publier" } },
        { { "images", "stand économie.png", png } });
    ASSERT_EQ(created.status, 303);
    auto url = base + "/blog/" + std::to_string(article_of(created));
    auto page = driver.get(url);
    auto image = query_value(driver, "SELECT MAX(id) FROM class_space_article_image");
    auto image_url = base + "/blog/images/" + std::to_string(image);
    EXPECT_TRUE(contains(page.body, "<img src=\"" + image_url + "\" alt=\"stand économie.png\">"));
    auto served = driver.get(image_url);
    ASSERT_EQ(served.status, 200);
    EXPECT_EQ(served.header("Content-Type"), "image/png");
    EXPECT_EQ(served.header("X-Content-Type-Options"), "nosniff");
    // Pauline (T STMG) sees nothing of TPRO; the image through T STMG's path is not found either.
    as(driver, "pauline.chamson");
    EXPECT_EQ(driver.get(image_url).status, 404);
    EXPECT_EQ(driver
                  .get("/espaces/" + std::to_string(class_space_id(driver, "T STMG")) + "/blog/images/"
                      + std::to_string(image))
                  .status,
        404);
    // Deleting the article removes its images.
    as(driver, "samuel.beaumont");
    driver.get(url);
    EXPECT_EQ(driver.post(url + "/supprimer", { { "csrf", driver.csrf_token() } }).status, 303);
    EXPECT_EQ(driver.get(url).status, 404);
    EXPECT_EQ(query_value(driver, "SELECT COUNT(*) FROM class_space_article_image"), 0);
}

TEST(ClassSpaceBlog, NobodyOutsideTheSpaceReachesAnyOfItsObjects)
{
    AppDriver driver;
    auto const tpro = "/espaces/" + std::to_string(class_space_id(driver, "TPRO"));
    auto const stmg = "/espaces/" + std::to_string(class_space_id(driver, "T STMG"));
    auto const article = query_value(driver, "SELECT MIN(id) FROM class_space_article");
    auto const comment = query_value(driver, "SELECT MIN(id) FROM class_space_comment");
    auto const category = query_value(driver, "SELECT MIN(id) FROM class_space_category");
    auto const a = "/blog/" + std::to_string(article);
    std::vector<std::string> const gets { "", "/membres", "/blog/nouveau", a, a + "/modifier" };
    std::vector<std::string> const posts { "/blog", a + "/modifier", a + "/publier", a + "/supprimer", a + "/retirer",
        a + "/commentaires", "/blog/commentaires/" + std::to_string(comment) + "/supprimer", "/blog/categories",
        "/blog/categories/" + std::to_string(category) + "/supprimer", "/parametres" };
    let_visitors_in(driver, tpro);
    // Outsiders of TPRO: a student of T STMG, another family, a teacher of no class.
    for (auto const* login : { "pauline.chamson", "karim.benali", "achamson" }) {
        as(driver, login);
        driver.get("/accueil");
        for (auto const& path : gets)
            EXPECT_EQ(driver.get(tpro + path).status, 404) << login << " GET " << path;
        for (auto const& path : posts)
            EXPECT_EQ(driver.post(tpro + path, { { "csrf", driver.csrf_token() }, { "titre", "x" } }).status, 404)
                << login << " POST " << path;
    }
    // TPRO's objects through T STMG's space, by its own manager: not found.
    as(driver, "samuel.beaumont");
    driver.get(stmg);
    for (auto const& path : { a, a + "/modifier" })
        EXPECT_EQ(driver.get(stmg + path).status, 404) << path;
    for (auto const& path : { a + "/modifier", a + "/publier", a + "/supprimer", a + "/retirer", a + "/commentaires",
             "/blog/commentaires/" + std::to_string(comment) + "/supprimer",
             "/blog/categories/" + std::to_string(category) + "/supprimer" })
        EXPECT_EQ(
            driver.post(stmg + path, { { "csrf", driver.csrf_token() }, { "titre", "x" }, { "commentaire", "x" } })
                .status,
            404)
            << path;
    EXPECT_EQ(query_value(driver, "SELECT COUNT(*) FROM class_space_article"), 1);
    EXPECT_EQ(query_value(driver, "SELECT COUNT(*) FROM class_space_comment"), 1);
    EXPECT_EQ(query_value(driver, "SELECT COUNT(*) FROM class_space_category"), 1);
    // The visitor: reads, every post refused.
    as(driver, "andre.chamson");
    for (auto const& path : { std::string(), a })
        EXPECT_EQ(driver.get(tpro + path).status, 200) << path;
    for (auto const& path : posts)
        EXPECT_EQ(
            driver.post(tpro + path, { { "csrf", driver.csrf_token() }, { "titre", "x" }, { "commentaire", "x" } })
                .status,
            403)
            << "visitor POST " << path;
    // The contributor: no moderation.
    as(driver, "louis.chamson");
    driver.get(tpro);
    for (auto const& path : { a + "/retirer", "/blog/categories/" + std::to_string(category) + "/supprimer",
             std::string("/blog/categories"), std::string("/parametres") })
        EXPECT_EQ(driver.post(tpro + path, { { "csrf", driver.csrf_token() }, { "nom", "x" } }).status, 403) << path;
}

TEST(ClassSpaceBlog, NoScriptSurvivesAnyField)
{
    AppDriver driver;
    auto const base = "/espaces/" + std::to_string(class_space_id(driver, "TPRO"));
    std::vector<std::string> const payloads { "<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
        "\"><svg onload=alert(1)>", "<a href=\"javascript:alert(1)\">lien</a>", "<iframe src=\"//evil\"></iframe>" };
    as(driver, "samuel.beaumont");
    driver.get(base);
    for (auto const& payload : payloads) {
        driver.post(base + "/blog/categories", { { "csrf", driver.csrf_token() }, { "nom", payload.substr(0, 60) } });
        for (auto const* format : { "html", "text" }) {
            driver.get(base + "/blog/nouveau");
            auto created = driver.post(base + "/blog",
                { { "csrf", driver.csrf_token() }, { "titre", payload }, { "contenu", payload + "<p>texte</p>" },
                    { "format", format }, { "action", "publier" } });
            ASSERT_EQ(created.status, 303) << payload;
            auto url = base + "/blog/" + std::to_string(article_of(created));
            driver.get(url);
            driver.post(url + "/commentaires", { { "csrf", driver.csrf_token() }, { "commentaire", payload } });
        }
    }
    std::vector<std::string> pages { base, base + "?tri=titre", base + "/blog/nouveau" };
    for (auto id = query_value(driver, "SELECT MIN(id) FROM class_space_article");
         id <= query_value(driver, "SELECT MAX(id) FROM class_space_article"); ++id) {
        pages.push_back(base + "/blog/" + std::to_string(id));
        pages.push_back(base + "/blog/" + std::to_string(id) + "/modifier");
    }
    for (auto const& path : pages) {
        auto body = driver.get(path).body;
        EXPECT_FALSE(contains(body, "<script>alert")) << path;
        // Escaped text may read « onerror= »; no element may carry it.
        EXPECT_FALSE(contains(body, "<img src=x onerror")) << path;
        EXPECT_FALSE(contains(body, "<img src=\"x\" onerror")) << path;
        EXPECT_FALSE(contains(body, "<svg")) << path;
        EXPECT_FALSE(contains(body, "href=\"javascript:")) << path;
        EXPECT_FALSE(contains(body, "<iframe")) << path;
    }
}

TEST(ClassSpaceBlog, ClosedCommentsAndAnArchivedSpaceAreReadOnly)
{
    AppDriver driver;
    auto const id = class_space_id(driver, "TPRO");
    auto const base = "/espaces/" + std::to_string(id);
    auto const url = base + "/blog/" + std::to_string(query_value(driver, "SELECT MIN(id) FROM class_space_article"));
    as(driver, "samuel.beaumont");
    driver.get(base + "/membres");
    ASSERT_EQ(driver.post(base + "/parametres", { { "csrf", driver.csrf_token() } }).status, 303); // no comments
    as(driver, "louis.chamson");
    auto page = driver.get(url);
    EXPECT_TRUE(contains(page.body, "Les commentaires sont fermés dans cet espace."));
    EXPECT_EQ(
        driver.post(url + "/commentaires", { { "csrf", driver.csrf_token() }, { "commentaire", "Bonjour" } }).status,
        403);
    {
        auto lease = driver.services().database->lease();
        lease.session() << "UPDATE class_space SET archived_at = 1 WHERE id = :id", soci::use(id);
    }
    page = driver.get(base);
    EXPECT_EQ(page.status, 200);
    EXPECT_TRUE(contains(page.body, "Cet espace est archivé"));
    EXPECT_FALSE(contains(page.body, "Nouvel article"));
    auto refused = write_article(driver, base, "Trop tard", "<p>x</p>");
    EXPECT_EQ(refused.status, 403);
    EXPECT_TRUE(contains(refused.body, "Cet espace est archivé : il se lit sans se modifier."));
}

TEST(ClassSpaceBlog, ArticlesAndCommentsAreTheirAuthorsDataAndLeaveWithThem)
{
    AppDriver driver;
    as(driver, "louis.chamson");
    driver.get("/preferences/mes-donnees");
    auto archive = driver.get("/preferences/mes-donnees.zip");
    ASSERT_EQ(archive.status, 200);
    zip_error_t error;
    zip_error_init(&error);
    auto* source = zip_source_buffer_create(archive.body.data(), archive.body.size(), 0, &error);
    ASSERT_NE(source, nullptr);
    auto* zip = zip_open_from_source(source, ZIP_RDONLY, &error);
    ASSERT_NE(zip, nullptr);
    std::string json;
    if (auto* file = zip_fopen(zip, "mes-donnees.json", 0)) {
        char buffer[4096];
        zip_int64_t read = 0;
        while ((read = zip_fread(file, buffer, sizeof buffer)) > 0)
            json.append(buffer, static_cast<std::size_t>(read));
        zip_fclose(file);
    }
    zip_close(zip);
    EXPECT_TRUE(contains(json, "\"espaces de classe\""));
    EXPECT_TRUE(contains(json, "je ferai signer la convention")); // his comment
    EXPECT_TRUE(contains(json, "\"messages_de_chat\":[{")); // the demo's chat has his messages
    EXPECT_TRUE(contains(json, "\"evenements_d_agenda\":[{")); // and he added an event
    EXPECT_FALSE(contains(json, "Cet espace est celui de notre classe")); // the teacher's article

    // The teacher objected to his contributions being kept: they go with his data.
    auto const teacher = user_id(driver, "samuel.beaumont");
    auto lease = driver.services().database->lease();
    identity::User former;
    former.id = teacher;
    for (auto const& handler : driver.services().departure_handlers)
        handler(lease.session(), former, true);
    long long articles = 0;
    lease.session() << "SELECT COUNT(*) FROM class_space_article WHERE author_id = :id", soci::use(teacher),
        soci::into(articles);
    EXPECT_EQ(articles, 0);
}

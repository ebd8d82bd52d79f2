// SPDX-License-Identifier: AGPL-3.0-or-later
// The « Forum » tab of a class's space: its store (unread markers, the
// Accueil's latest posts), and every route tried by every kind of person,
// with ids of another space, bad input and script payloads (both engines).
#include "app/demo_school.h"
#include "core/identity/identity_store.h"
#include "core/text.h"
#include "services/class_space/class_space.h"
#include "services/class_space/forum_internal.h"
#include "tests/support/app_driver.h"
#include <ctime>
#include <gtest/gtest.h>

using namespace cartable;
using cartable::testing::AppDriver;
using cartable::testing::class_space_id;
using cartable::testing::contains;
using cartable::testing::query_value;
using cartable::testing::user_id;
namespace forum = cartable::class_space::forum;

namespace {

void run(AppDriver& driver, std::string const& sql)
{
    auto lease = driver.services().database->lease();
    lease.session() << sql;
}

// Signs in and opens a page, so that the form's CSRF token is known.
void as(AppDriver& driver, std::string const& login)
{
    driver.forget_cookies();
    ASSERT_EQ(driver.sign_in(login, app::DEMO_PASSWORD).status, 303) << login;
    driver.get("/");
}

// A category, a topic by the teacher and a reply by the student, made
// through the store in a space.
struct Made {
    long long category { 0 };
    long long other_category { 0 };
    long long topic { 0 };
    long long first_post { 0 };
    long long reply { 0 };
};

Made make_forum(AppDriver& driver, long long space, long long now = 0)
{
    auto teacher = user_id(driver, "samuel.beaumont");
    auto student = user_id(driver, "louis.chamson");
    auto lease = driver.services().database->lease();
    auto& session = lease.session();
    if (now == 0)
        now = static_cast<long long>(std::time(nullptr));
    Made made;
    made.category = forum::add_category(session, space, "Projet de gestion", "Le projet de l'année", teacher, now);
    made.other_category = forum::add_category(session, space, "Vie de la classe", "", teacher, now);
    made.topic = forum::add_topic(
        session, space, made.category, "Le budget du projet", teacher, "<p>Voici le budget prévu.</p>", now);
    made.first_post = forum::first_post_of(session, made.topic);
    made.reply = forum::add_post(session, space, made.topic, student, "<p>Merci Monsieur.</p>", now);
    return made;
}

// The administrator of another structure (a collège of the same académie).
void other_structure_admin(AppDriver& driver)
{
    auto hash = driver.services().password_hasher->hash(app::DEMO_PASSWORD).release_value();
    auto lease = driver.services().database->lease();
    identity::Structure structure;
    structure.uai = "0340001B";
    structure.name = "Collège Jean Moulin";
    structure.academy = "Montpellier";
    structure.region = "Occitanie";
    identity::User admin;
    admin.login = "admin.moulin";
    admin.first_name = "Paul";
    admin.last_name = "ROCHE";
    admin.profile = access::Profile::Admin;
    admin.structure_id = identity::store::create_structure(lease.session(), structure);
    identity::store::create_user(lease.session(), admin, hash);
}

std::string str(long long id)
{
    return std::to_string(id);
}

// No script comes back: no script element, no event attribute in a tag
// (escaped text, in a page or a quoted value, may say « onload= »), no
// javascript: link.
bool page_is_safe(std::string const& body)
{
    if (contains(body, "<script>alert") || contains(body, "href=\"javascript:") || contains(body, "<svg"))
        return false;
    for (auto start = body.find('<'); start != std::string::npos; start = body.find('<', start + 1)) {
        auto end = body.find('>', start);
        auto tag = body.substr(start, end == std::string::npos ? std::string::npos : end - start);
        // Without its quoted values, escaped text (a hidden field's value).
        std::string bare;
        bool quoted = false;
        for (char c : tag) {
            if (c == '"')
                quoted = !quoted;
            else if (!quoted)
                bare += c;
        }
        tag = bare;
        if (contains(tag, " onerror=") || contains(tag, " onload=") || contains(tag, "onerror=alert")
            || contains(tag, "onload=alert"))
            return false;
    }
    return true;
}

long long forum_rows(AppDriver& driver)
{
    return query_value(driver,
        "SELECT (SELECT COUNT(*) FROM forum_category) + (SELECT COUNT(*) FROM forum_topic) + (SELECT COUNT(*) FROM "
        "forum_post) + (SELECT COUNT(*) FROM forum_topic WHERE pinned = 1 OR locked = 1) + (SELECT COUNT(*) FROM "
        "forum_post WHERE edited_at <> 0)");
}

} // namespace

TEST(ClassSpaceForum, TheDemoForumOfTpro)
{
    AppDriver driver;
    auto space = class_space_id(driver, "TPRO");
    as(driver, "louis.chamson");
    auto page = driver.get("/espaces/" + str(space) + "/forum");
    ASSERT_EQ(page.status, 200);
    EXPECT_TRUE(contains(page.body, "Questions sur le stage en entreprise"));
    EXPECT_TRUE(contains(page.body, "Révisions du bac : économie-gestion"));
    EXPECT_TRUE(contains(page.body, "aria-current=\"page\">Forum<"));
    EXPECT_GE(query_value(driver, "SELECT COUNT(*) FROM forum_post"), 6);
}

TEST(ClassSpaceForum, StoreUnreadMarkersAndLatestPosts)
{
    AppDriver driver;
    auto space = class_space_id(driver, "TPRO");
    auto other = class_space_id(driver, "T STMG");
    ASSERT_NE(space, other);
    auto made = make_forum(driver, space, 1000);
    auto elsewhere = make_forum(driver, other, 5000);
    auto teacher = user_id(driver, "samuel.beaumont");
    auto student = user_id(driver, "louis.chamson");
    auto staff = user_id(driver, "nathalie.vidal");
    auto lease = driver.services().database->lease();
    auto& session = lease.session();

    // Nathalie never opened it: new. Samuel wrote the first post: one unread.
    auto list = forum::topics(session, made.category, staff, 0, 20);
    ASSERT_EQ(list.size(), 1U);
    EXPECT_EQ(list[0].read_up_to, -1);
    EXPECT_EQ(list[0].post_count, 2);
    list = forum::topics(session, made.category, teacher, 0, 20);
    EXPECT_EQ(list[0].read_up_to, made.first_post);
    EXPECT_EQ(list[0].unread, 1);
    EXPECT_EQ(list[0].first_unread, made.reply);
    list = forum::topics(session, made.category, student, 0, 20);
    EXPECT_EQ(list[0].unread, 0); // the author of the reply has read it
    forum::mark_read(session, teacher, made.topic, made.reply);
    forum::mark_read(session, teacher, made.topic, made.first_post); // never backwards
    list = forum::topics(session, made.category, teacher, 0, 20);
    EXPECT_EQ(list[0].read_up_to, made.reply);
    EXPECT_EQ(list[0].unread, 0);
    long long readers = 0;
    session << "SELECT COUNT(*) FROM forum_read WHERE topic_id = :topic", soci::use(made.topic), soci::into(readers);
    EXPECT_EQ(readers, 2);
    auto categories = forum::categories(session, space, staff);
    ASSERT_GE(categories.size(), 2U);

    // The Accueil's block: the newest first, only the spaces asked for.
    auto latest = class_space::latest_forum_posts(session, { space }, 50);
    ASSERT_FALSE(latest.empty());
    for (auto const& item : latest)
        EXPECT_EQ(item.space_id, space);
    auto both = class_space::latest_forum_posts(session, { space, other }, 1);
    ASSERT_EQ(both.size(), 1U);
    EXPECT_TRUE(both[0].space_id == other || both[0].posted_at >= 5000);
    auto mine = class_space::latest_forum_posts(session, { other }, 2);
    ASSERT_EQ(mine.size(), 2U);
    EXPECT_EQ(mine[0].post_id, elsewhere.reply);
    EXPECT_EQ(mine[0].topic_title, "Le budget du projet");
    EXPECT_EQ(mine[0].author_name, "Louis CHAMSON");
    EXPECT_EQ(mine[0].url, "/espaces/" + str(other) + "/forum/messages/" + str(elsewhere.reply));
    EXPECT_TRUE(class_space::latest_forum_posts(session, {}, 5).empty());

    // Quotations, as text for the textarea and back.
    auto post = forum::post_in(session, space, made.reply);
    ASSERT_TRUE(post.has_value());
    EXPECT_FALSE(forum::post_in(session, other, made.reply).has_value());
    auto text = forum::quotation_text(*post);
    EXPECT_EQ(text, "> Louis CHAMSON a écrit :\n> Merci Monsieur.\n\n");
    auto body = forum::body_from_form("text", text + "Avec plaisir.");
    EXPECT_TRUE(contains(body, "<blockquote>"));
    EXPECT_TRUE(contains(body, "Louis CHAMSON a écrit :"));
    EXPECT_TRUE(contains(body, "</blockquote><p>Avec plaisir.</p>"));
    EXPECT_TRUE(contains(forum::quotation_html(*post), "<blockquote><p><strong>Louis CHAMSON a écrit :</strong>"));
    // Edited again in the plain textarea, the quotation stays one.
    EXPECT_EQ(forum::editable_text(body), text + "Avec plaisir.\n");
    EXPECT_EQ(forum::body_from_form("text", forum::editable_text(body)), body);
}

TEST(ClassSpaceForum, ContributorWritesQuotesAndReadsMarkers)
{
    AppDriver driver;
    auto space = class_space_id(driver, "TPRO");
    auto made = make_forum(driver, space);
    auto const base = "/espaces/" + str(space) + "/forum";
    auto const category = base + "/categories/" + str(made.category);

    as(driver, "louis.chamson");
    auto page = driver.get(category);
    ASSERT_EQ(page.status, 200);
    EXPECT_TRUE(contains(page.body, "Le budget du projet"));
    EXPECT_TRUE(contains(page.body, "Nouveau sujet"));
    EXPECT_FALSE(contains(page.body, "Nouvelle catégorie"));
    auto made_topic = driver.post(category + "/sujets",
        { { "csrf", driver.csrf_token() }, { "titre", "Une question sur le tableau de bord" }, { "format", "text" },
            { "corps", "Faut-il un graphique par trimestre ?" } });
    ASSERT_EQ(made_topic.status, 303);
    auto topic_path = made_topic.header("Location");
    auto topic = driver.get(topic_path);
    ASSERT_EQ(topic.status, 200);
    EXPECT_TRUE(contains(topic.body, "Faut-il un graphique par trimestre ?"));
    EXPECT_TRUE(contains(topic.body, "Louis CHAMSON"));
    EXPECT_FALSE(contains(topic.body, "Verrouiller")); // no moderation for a contributor
    EXPECT_FALSE(contains(topic.body, "Supprimer le sujet"));

    // Samuel sees it new, opens it, and quotes Louis without JavaScript.
    as(driver, "samuel.beaumont");
    page = driver.get(category);
    EXPECT_TRUE(contains(page.body, ">Nouveau<"));
    topic = driver.get(topic_path);
    ASSERT_EQ(topic.status, 200);
    auto topic_id = parse_id(topic_path.substr(topic_path.rfind('/') + 1));
    auto first = query_value(driver, "SELECT MIN(id) FROM forum_post WHERE topic_id = " + str(topic_id));
    auto quoting = driver.get(topic_path + "?citer=" + str(first));
    ASSERT_EQ(quoting.status, 200);
    EXPECT_TRUE(contains(quoting.body, "&gt; Louis CHAMSON a écrit :"));
    EXPECT_TRUE(contains(quoting.body, "Vous citez le message de Louis CHAMSON"));
    // A post of another topic cannot be quoted here.
    EXPECT_EQ(driver.get(topic_path + "?citer=" + str(made.first_post)).status, 404);
    auto replied = driver.post(topic_path + "/reponses",
        { { "csrf", driver.csrf_token() }, { "format", "text" },
            { "corps",
                "> Louis CHAMSON a écrit :\n> Faut-il un graphique par trimestre ?\n\nOui, un par trimestre." } });
    ASSERT_EQ(replied.status, 303);
    EXPECT_TRUE(contains(replied.header("Location"), "#message-"));
    topic = driver.get(topic_path);
    EXPECT_TRUE(contains(topic.body, "<blockquote><p>Louis CHAMSON a écrit :"));
    EXPECT_TRUE(contains(topic.body, "Oui, un par trimestre."));
    // Edited without JavaScript, the quotation comes back as « > » lines.
    auto answer = query_value(driver, "SELECT MAX(id) FROM forum_post WHERE topic_id = " + str(topic_id));
    auto edit = driver.get(base + "/messages/" + str(answer) + "/modifier");
    ASSERT_EQ(edit.status, 200);
    EXPECT_TRUE(contains(edit.body, "&gt; Louis CHAMSON a écrit :\n&gt; Faut-il un graphique par trimestre ?\n\nOui"));

    // Louis: one unread message, then none once he opened the topic.
    as(driver, "louis.chamson");
    page = driver.get(category);
    EXPECT_TRUE(contains(page.body, "1 nouveau message"));
    driver.get(topic_path);
    page = driver.get(category);
    EXPECT_FALSE(contains(page.body, "1 nouveau message"));
    EXPECT_FALSE(contains(page.body, ">Nouveau<"));

    // The editor's HTML is sanitized; the Accueil's link leads to the post.
    auto rich = driver.post(topic_path + "/reponses",
        { { "csrf", driver.csrf_token() }, { "format", "html" },
            { "corps", "<p><strong>Merci</strong> <a href=\"https://www.economie.gouv.fr/\">le site</a></p>" } });
    ASSERT_EQ(rich.status, 303);
    topic = driver.get(topic_path);
    EXPECT_TRUE(contains(topic.body, "<strong>Merci</strong>"));
    auto last = query_value(driver, "SELECT MAX(id) FROM forum_post");
    auto go = driver.get(base + "/messages/" + str(last));
    EXPECT_EQ(go.status, 303);
    EXPECT_EQ(go.header("Location"), topic_path + "#message-" + str(last));
}

TEST(ClassSpaceForum, ManagersPinLockMoveAndDelete)
{
    AppDriver driver;
    auto space = class_space_id(driver, "TPRO");
    auto made = make_forum(driver, space);
    auto const base = "/espaces/" + str(space) + "/forum";
    auto const topic = base + "/sujets/" + str(made.topic);
    auto const category = base + "/categories/" + str(made.category);
    as(driver, "samuel.beaumont");
    // A second, newer topic; pinning the older puts it first.
    driver.get(category);
    ASSERT_EQ(driver
                  .post(category + "/sujets",
                      { { "csrf", driver.csrf_token() }, { "titre", "Calendrier des oraux" }, { "format", "text" },
                          { "corps", "Les oraux ont lieu en juin." } })
                  .status,
        303);
    auto page = driver.get(category);
    EXPECT_LT(page.body.find("Calendrier des oraux"), page.body.find("Le budget du projet"));
    ASSERT_EQ(driver.post(topic + "/epingler", { { "csrf", driver.csrf_token() }, { "valeur", "1" } }).status, 303);
    page = driver.get(category);
    EXPECT_GT(page.body.find("Calendrier des oraux"), page.body.find("Le budget du projet"));
    EXPECT_TRUE(contains(page.body, "Épinglé"));
    EXPECT_TRUE(contains(driver.get(topic).body, "Désépingler"));
    ASSERT_EQ(driver.post(topic + "/epingler", { { "csrf", driver.csrf_token() }, { "valeur", "0" } }).status, 303);
    EXPECT_EQ(query_value(driver, "SELECT pinned FROM forum_topic WHERE id = " + str(made.topic)), 0);

    // Locked: nobody replies, a French refusal, nothing written.
    ASSERT_EQ(driver.post(topic + "/verrouiller", { { "csrf", driver.csrf_token() }, { "valeur", "1" } }).status, 303);
    auto shown = driver.get(topic);
    EXPECT_TRUE(contains(shown.body, "Déverrouiller"));
    EXPECT_TRUE(contains(shown.body, "Ce sujet est verrouillé"));
    EXPECT_FALSE(contains(shown.body, "Envoyer la réponse"));
    as(driver, "louis.chamson");
    auto posts = query_value(driver, "SELECT COUNT(*) FROM forum_post");
    auto refused = driver.post(
        topic + "/reponses", { { "csrf", driver.csrf_token() }, { "format", "text" }, { "corps", "Encore moi" } });
    EXPECT_EQ(refused.status, 403);
    EXPECT_TRUE(contains(refused.body, "Ce sujet est verrouillé"));
    EXPECT_EQ(query_value(driver, "SELECT COUNT(*) FROM forum_post"), posts);
    as(driver, "samuel.beaumont");
    ASSERT_EQ(driver.post(topic + "/verrouiller", { { "csrf", driver.csrf_token() }, { "valeur", "0" } }).status, 303);

    // Moved to another category of the space; never to another space's.
    ASSERT_EQ(
        driver.post(topic + "/deplacer", { { "csrf", driver.csrf_token() }, { "categorie", str(made.other_category) } })
            .status,
        303);
    EXPECT_EQ(
        query_value(driver, "SELECT category_id FROM forum_topic WHERE id = " + str(made.topic)), made.other_category);
    auto elsewhere = make_forum(driver, class_space_id(driver, "T STMG"));
    EXPECT_EQ(
        driver.post(topic + "/deplacer", { { "csrf", driver.csrf_token() }, { "categorie", str(elsewhere.category) } })
            .status,
        404);
    EXPECT_EQ(
        query_value(driver, "SELECT category_id FROM forum_topic WHERE id = " + str(made.topic)), made.other_category);

    // Deleting a post, then the topic: a confirmation page first.
    auto const reply = base + "/messages/" + str(made.reply);
    auto confirm = driver.get(reply + "/supprimer");
    ASSERT_EQ(confirm.status, 200);
    EXPECT_TRUE(contains(confirm.body, "Supprimer ce message de Louis CHAMSON ?"));
    EXPECT_TRUE(contains(confirm.body, "Oui, supprimer"));
    EXPECT_EQ(driver.get(base + "/messages/" + str(made.first_post) + "/supprimer").status, 409);
    ASSERT_EQ(driver.post(reply + "/supprimer", { { "csrf", driver.csrf_token() } }).status, 303);
    EXPECT_EQ(query_value(driver, "SELECT COUNT(*) FROM forum_post WHERE id = " + str(made.reply)), 0);
    EXPECT_EQ(query_value(driver, "SELECT post_count FROM forum_topic WHERE id = " + str(made.topic)), 1);
    confirm = driver.get(topic + "/supprimer");
    ASSERT_EQ(confirm.status, 200);
    EXPECT_TRUE(contains(confirm.body, "Supprimer le sujet « Le budget du projet » et ses messages ?"));
    ASSERT_EQ(driver.post(topic + "/supprimer", { { "csrf", driver.csrf_token() } }).status, 303);
    EXPECT_EQ(query_value(driver, "SELECT COUNT(*) FROM forum_topic WHERE id = " + str(made.topic)), 0);
    EXPECT_EQ(query_value(driver, "SELECT COUNT(*) FROM forum_post WHERE topic_id = " + str(made.topic)), 0);
    EXPECT_EQ(driver.get(topic).status, 404);

    // A category, with its topics and their posts.
    auto const other = base + "/categories/" + str(made.other_category);
    driver.get(other);
    ASSERT_EQ(driver
                  .post(other + "/sujets",
                      { { "csrf", driver.csrf_token() }, { "titre", "Sortie au musée" }, { "corps", "Jeudi." } })
                  .status,
        303);
    confirm = driver.get(other + "/supprimer");
    ASSERT_EQ(confirm.status, 200);
    EXPECT_TRUE(contains(confirm.body, "Supprimer la catégorie « Vie de la classe » et tous ses sujets ?"));
    EXPECT_TRUE(contains(confirm.body, "1 sujet sera supprimé"));
    auto deleted = driver.post(other + "/supprimer", { { "csrf", driver.csrf_token() } });
    ASSERT_EQ(deleted.status, 303);
    EXPECT_EQ(deleted.header("Location"), base);
    EXPECT_EQ(
        query_value(driver, "SELECT COUNT(*) FROM forum_topic WHERE category_id = " + str(made.other_category)), 0);
    EXPECT_EQ(query_value(driver, "SELECT COUNT(*) FROM forum_category WHERE id = " + str(made.other_category)), 0);
    EXPECT_EQ(driver.get(other).status, 404);
}

TEST(ClassSpaceForum, AuthorsEditForThirtyMinutes)
{
    AppDriver driver;
    auto space = class_space_id(driver, "TPRO");
    auto made = make_forum(driver, space);
    auto const base = "/espaces/" + str(space) + "/forum";
    auto const reply = base + "/messages/" + str(made.reply);
    as(driver, "louis.chamson");
    auto topic = driver.get(base + "/sujets/" + str(made.topic));
    EXPECT_TRUE(contains(topic.body, reply + "/modifier"));
    EXPECT_FALSE(contains(topic.body, base + "/messages/" + str(made.first_post) + "/modifier"));
    auto form = driver.get(reply + "/modifier");
    ASSERT_EQ(form.status, 200);
    EXPECT_TRUE(contains(form.body, "Merci Monsieur."));
    auto saved = driver.post(reply + "/modifier",
        { { "csrf", driver.csrf_token() }, { "format", "text" }, { "corps", "Merci beaucoup Monsieur." } });
    ASSERT_EQ(saved.status, 303);
    topic = driver.get(base + "/sujets/" + str(made.topic));
    EXPECT_TRUE(contains(topic.body, "Merci beaucoup Monsieur."));
    EXPECT_TRUE(contains(topic.body, "Modifié le"));
    // Someone else's post: refused.
    auto other = driver.post(base + "/messages/" + str(made.first_post) + "/modifier",
        { { "csrf", driver.csrf_token() }, { "format", "text" }, { "corps", "Piraté" } });
    EXPECT_EQ(other.status, 403);
    EXPECT_TRUE(contains(other.body, "vos propres messages"));
    // Thirty-one minutes later: refused with a French message, unchanged.
    run(driver, "UPDATE forum_post SET created_at = created_at - 1860 WHERE id = " + str(made.reply));
    EXPECT_EQ(driver.get(reply + "/modifier").status, 403);
    auto late = driver.post(
        reply + "/modifier", { { "csrf", driver.csrf_token() }, { "format", "text" }, { "corps", "Trop tard" } });
    EXPECT_EQ(late.status, 403);
    EXPECT_TRUE(contains(late.body, "30 minutes"));
    topic = driver.get(base + "/sujets/" + str(made.topic));
    EXPECT_FALSE(contains(topic.body, "Trop tard"));
    EXPECT_FALSE(contains(topic.body, reply + "/modifier"));
}

TEST(ClassSpaceForum, EveryRouteByRoleAndOtherSpacesIds)
{
    AppDriver driver;
    auto space = class_space_id(driver, "TPRO");
    auto const base = "/espaces/" + str(space) + "/forum";
    // Parents may visit.
    as(driver, "samuel.beaumont");
    driver.get("/espaces/" + str(space) + "/membres");
    ASSERT_EQ(driver
                  .post("/espaces/" + str(space) + "/parametres",
                      { { "csrf", driver.csrf_token() }, { "visiteurs", "1" }, { "commentaires", "1" } })
                  .status,
        303);

    other_structure_admin(driver);
    enum Who { Manager, Contributor, Visitor, Outsider };
    struct Person {
        char const* login;
        Who who;
    };
    Person const people[] = {
        { "andre.chamson", Visitor },
        { "pauline.chamson", Outsider },
        { "karim.benali", Outsider },
        { "achamson", Outsider },
        { "admin.moulin", Outsider }, // another structure's administrator
        { "louis.chamson", Contributor },
        { "nathalie.vidal", Manager },
        { "samuel.beaumont", Manager },
    };
    for (auto const& person : people) {
        SCOPED_TRACE(person.login);
        auto made = make_forum(driver, space);
        auto const category = base + "/categories/" + str(made.category);
        auto const topic = base + "/sujets/" + str(made.topic);
        auto const first = base + "/messages/" + str(made.first_post);
        auto const reply = base + "/messages/" + str(made.reply);
        // The post to edit is the person's own when they have one.
        auto const own = person.who == Contributor ? reply : first;
        as(driver, person.login);
        auto const reads = person.who == Outsider ? 404 : 200;
        auto const posts = person.who == Outsider ? 404 : person.who == Visitor ? 403 : 303;
        auto const manages = person.who == Outsider ? 404 : person.who == Manager ? 303 : 403;
        auto const confirms = manages == 303 ? 200 : manages;
        auto const edits = person.who == Outsider ? 404 : person.who == Visitor ? 403 : 200;
        auto const edits_own = person.who == Manager && std::string(person.login) != "samuel.beaumont" ? 403 : edits;
        EXPECT_EQ(driver.get(base).status, reads);
        EXPECT_EQ(driver.get(category).status, reads);
        EXPECT_EQ(driver.get(topic).status, reads);
        EXPECT_EQ(driver.get(topic + "?citer=" + str(made.reply)).status, reads);
        EXPECT_EQ(driver.get(reply).status, reads == 200 ? 303 : 404);
        EXPECT_EQ(driver.get(own + "/modifier").status, edits_own);
        EXPECT_EQ(driver.get(topic + "/supprimer").status, confirms);
        EXPECT_EQ(driver.get(reply + "/supprimer").status, confirms);
        EXPECT_EQ(driver.get(category + "/supprimer").status, confirms);
        auto const before = forum_rows(driver);
        auto const csrf = driver.csrf_token();
        auto post = [&](std::string const& path, std::vector<std::pair<std::string, std::string>> form) {
            form.emplace_back("csrf", csrf);
            return driver.post(path, std::move(form)).status;
        };
        EXPECT_EQ(post(base + "/categories", { { "nom", "Sorties" } }), manages);
        EXPECT_EQ(post(category + "/sujets", { { "titre", "Une question" }, { "corps", "Bonjour" } }), posts);
        EXPECT_EQ(post(topic + "/reponses", { { "corps", "Bonjour" } }), posts);
        EXPECT_EQ(post(own + "/modifier", { { "corps", "Corrigé" } }), edits_own == 200 ? 303 : edits_own);
        EXPECT_EQ(post(topic + "/epingler", { { "valeur", "1" } }), manages);
        EXPECT_EQ(post(topic + "/verrouiller", { { "valeur", "1" } }), manages);
        EXPECT_EQ(post(topic + "/deplacer", { { "categorie", str(made.other_category) } }), manages);
        EXPECT_EQ(post(reply + "/supprimer", {}), manages);
        EXPECT_EQ(post(topic + "/supprimer", {}), manages);
        EXPECT_EQ(post(category + "/supprimer", {}), manages);
        if (person.who == Visitor || person.who == Outsider) {
            EXPECT_EQ(forum_rows(driver), before); // nothing changed
        }
        if (person.who != Manager) {
            EXPECT_EQ(query_value(driver, "SELECT COUNT(*) FROM forum_topic WHERE id = " + str(made.topic)), 1);
        }
    }

    // Ids of another space, through this space's paths: never found, even
    // by its managers.
    auto elsewhere = make_forum(driver, class_space_id(driver, "T STMG"));
    auto const category = base + "/categories/" + str(elsewhere.category);
    auto const topic = base + "/sujets/" + str(elsewhere.topic);
    auto const reply = base + "/messages/" + str(elsewhere.reply);
    auto const first = base + "/messages/" + str(elsewhere.first_post);
    for (auto const* login : { "samuel.beaumont", "nathalie.vidal", "louis.chamson" }) {
        SCOPED_TRACE(login);
        as(driver, login);
        auto const before = forum_rows(driver);
        auto const csrf = driver.csrf_token();
        for (auto const& path : { category, topic, reply, first + "/modifier", topic + "/supprimer",
                 reply + "/supprimer", category + "/supprimer" }) {
            auto page = driver.get(path);
            EXPECT_EQ(page.status, 404) << path;
            EXPECT_FALSE(contains(page.body, "Le budget du projet")) << path;
        }
        std::vector<std::pair<std::string, std::vector<std::pair<std::string, std::string>>>> const writes = {
            { category + "/sujets", { { "titre", "Intrus" }, { "corps", "Intrus" } } },
            { topic + "/reponses", { { "corps", "Intrus" } } },
            { first + "/modifier", { { "corps", "Intrus" } } },
            { topic + "/epingler", { { "valeur", "1" } } },
            { topic + "/verrouiller", { { "valeur", "1" } } },
            { topic + "/deplacer", { { "categorie", str(elsewhere.other_category) } } },
            { reply + "/supprimer", {} },
            { topic + "/supprimer", {} },
            { category + "/supprimer", {} },
        };
        for (auto const& [path, fields] : writes) {
            auto form = fields;
            form.emplace_back("csrf", csrf);
            EXPECT_EQ(driver.post(path, form).status, 404) << path;
        }
        EXPECT_EQ(forum_rows(driver), before);
    }
    EXPECT_EQ(driver.get("/espaces/999999/forum").status, 404);
}

TEST(ClassSpaceForum, AnArchivedSpaceIsReadOnly)
{
    AppDriver driver;
    auto space = class_space_id(driver, "TPRO");
    auto made = make_forum(driver, space);
    run(driver, "UPDATE class_space SET archived_at = 1000 WHERE id = " + str(space));
    auto const base = "/espaces/" + str(space) + "/forum";
    auto const topic = base + "/sujets/" + str(made.topic);
    for (auto const* login : { "samuel.beaumont", "louis.chamson" }) {
        SCOPED_TRACE(login);
        as(driver, login);
        auto page = driver.get(topic);
        ASSERT_EQ(page.status, 200);
        EXPECT_TRUE(contains(page.body, "Voici le budget prévu."));
        EXPECT_FALSE(contains(page.body, "Envoyer la réponse"));
        EXPECT_FALSE(contains(page.body, "Verrouiller"));
        EXPECT_FALSE(contains(driver.get(base).body, "Nouvelle catégorie"));
        auto const before = forum_rows(driver);
        auto const csrf = driver.csrf_token();
        auto refused = driver.post(topic + "/reponses", { { "csrf", csrf }, { "corps", "Bonjour" } });
        EXPECT_EQ(refused.status, 403);
        EXPECT_TRUE(contains(refused.body, "archivé"));
        EXPECT_EQ(driver
                      .post(base + "/categories/" + str(made.category) + "/sujets",
                          { { "csrf", csrf }, { "titre", "Sujet" }, { "corps", "Bonjour" } })
                      .status,
            403);
        EXPECT_EQ(driver.post(topic + "/epingler", { { "csrf", csrf }, { "valeur", "1" } }).status, 403);
        EXPECT_EQ(driver.post(base + "/categories", { { "csrf", csrf }, { "nom", "Sorties" } }).status, 403);
        EXPECT_EQ(
            driver
                .post(base + "/messages/" + str(made.first_post) + "/modifier", { { "csrf", csrf }, { "corps", "x" } })
                .status,
            403);
        EXPECT_EQ(forum_rows(driver), before);
    }
}

TEST(ClassSpaceForum, BadInputIsShownOnTheForm)
{
    AppDriver driver;
    auto space = class_space_id(driver, "TPRO");
    auto made = make_forum(driver, space);
    auto const base = "/espaces/" + str(space) + "/forum";
    auto const category = base + "/categories/" + str(made.category);
    auto const topic = base + "/sujets/" + str(made.topic);
    as(driver, "samuel.beaumont");
    auto const before = forum_rows(driver);
    auto const csrf = driver.csrf_token();
    struct Case {
        std::string path;
        std::vector<std::pair<std::string, std::string>> form;
        char const* message;
    };
    std::vector<Case> const cases = {
        { base + "/categories", { { "nom", "   " } }, "Le nom de la catégorie est obligatoire." },
        { base + "/categories", { { "nom", std::string(81, 'a') } }, "ne doit pas dépasser 80 caractères" },
        { base + "/categories", { { "nom", "Sorties" }, { "description", std::string(301, 'a') } },
            "La description ne doit pas dépasser 300 caractères" },
        { base + "/categories", { { "nom", "\xff\xfe" } }, "caractères illisibles" },
        { category + "/sujets", { { "titre", "" }, { "corps", "Bonjour" } }, "Le titre du sujet est obligatoire." },
        { category + "/sujets", { { "titre", "Bonjour" }, { "corps", "  \n " } }, "Le message est vide" },
        { category + "/sujets", { { "titre", "Bonjour" }, { "format", "html" }, { "corps", "<p><br></p>" } },
            "Le message est vide" },
        { category + "/sujets", { { "titre", "Bonjour" }, { "corps", std::string(20001, 'a') } },
            "Le message est trop long" },
        { topic + "/reponses", { { "corps", "" } }, "Le message est vide" },
        { base + "/messages/" + str(made.first_post) + "/modifier", { { "corps", "" } }, "Le message est vide" },
    };
    for (auto const& [path, fields, message] : cases) {
        auto form = fields;
        form.emplace_back("csrf", csrf);
        auto page = driver.post(path, form);
        EXPECT_EQ(page.status, 422) << message;
        EXPECT_TRUE(contains(page.body, message)) << page.body.substr(0, 200);
        EXPECT_TRUE(contains(page.body, "role=\"alert\"")) << message;
    }
    // The title typed is kept on the form.
    auto page
        = driver.post(category + "/sujets", { { "csrf", csrf }, { "titre", "Mon titre gardé" }, { "corps", "" } });
    EXPECT_TRUE(contains(page.body, "value=\"Mon titre gardé\""));
    EXPECT_EQ(forum_rows(driver), before);
    EXPECT_EQ(driver.get(category + "?page=9").status, 404);
    EXPECT_EQ(driver.get(topic + "?page=9").status, 404);
}

TEST(ClassSpaceForum, ScriptsAreNeverRunBack)
{
    AppDriver driver;
    auto space = class_space_id(driver, "TPRO");
    auto const base = "/espaces/" + str(space) + "/forum";
    as(driver, "samuel.beaumont");
    auto const csrf = driver.csrf_token();
    std::vector<std::string> const payloads = { "<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
        "\"><svg onload=alert(1)>", "<a href=\"javascript:alert(1)\">lien</a>", "javascript:alert(1)" };
    auto safe = [](std::string const& body) { return page_is_safe(body); };
    for (auto const& payload : payloads) {
        SCOPED_TRACE(payload);
        auto category = driver.post(
            base + "/categories", { { "csrf", csrf }, { "nom", "Cat " + payload }, { "description", payload } });
        ASSERT_EQ(category.status, 303);
        auto const category_path = category.header("Location");
        for (auto const* format : { "text", "html" }) {
            auto topic = driver.post(category_path + "/sujets",
                { { "csrf", csrf }, { "titre", "Sujet " + payload }, { "format", format },
                    { "corps", "Texte " + payload } });
            ASSERT_EQ(topic.status, 303);
            auto const topic_path = topic.header("Location");
            ASSERT_EQ(driver
                          .post(topic_path + "/reponses",
                              { { "csrf", csrf }, { "format", format }, { "corps", "Réponse " + payload } })
                          .status,
                303);
            auto last = query_value(driver, "SELECT MAX(id) FROM forum_post");
            auto page = driver.get(topic_path);
            EXPECT_TRUE(safe(page.body)) << page.body;
            EXPECT_TRUE(safe(driver.get(topic_path + "?citer=" + str(last)).body));
            EXPECT_TRUE(safe(driver.get(base + "/messages/" + str(last) + "/modifier").body));
            EXPECT_TRUE(safe(driver.get(base + "/messages/" + str(last) + "/supprimer").body));
            EXPECT_TRUE(safe(driver.get(topic_path + "/supprimer").body));
            // Bad input shown back on the form, escaped.
            auto refused = driver.post(category_path + "/sujets",
                { { "csrf", csrf }, { "titre", payload }, { "format", format }, { "corps", "" } });
            EXPECT_EQ(refused.status, 422);
            EXPECT_TRUE(safe(refused.body));
        }
        EXPECT_TRUE(safe(driver.get(category_path).body));
        EXPECT_TRUE(safe(driver.get(category_path + "/supprimer").body));
        EXPECT_TRUE(safe(driver.get(base).body));
        auto refused
            = driver.post(base + "/categories", { { "csrf", csrf }, { "nom", "" }, { "description", payload } });
        EXPECT_EQ(refused.status, 422);
        EXPECT_TRUE(safe(refused.body));
    }
}

TEST(ClassSpaceForum, TopicsAndPostsComeByPages)
{
    AppDriver driver;
    auto space = class_space_id(driver, "TPRO");
    auto made = make_forum(driver, space);
    auto teacher = user_id(driver, "samuel.beaumont");
    {
        auto lease = driver.services().database->lease();
        auto& session = lease.session();
        for (int index = 0; index < 24; ++index) {
            forum::add_topic(session, space, made.category, "Fiche de révision " + std::to_string(index + 1), teacher,
                "<p>Fiche</p>", 2000 + index);
        }
        for (int index = 0; index < 40; ++index)
            forum::add_post(
                session, space, made.topic, teacher, "<p>Message " + std::to_string(index + 3) + "</p>", 3000);
    }
    auto const base = "/espaces/" + str(space) + "/forum";
    auto const category = base + "/categories/" + str(made.category);
    auto const topic = base + "/sujets/" + str(made.topic);
    as(driver, "louis.chamson");
    auto page = driver.get(category);
    EXPECT_TRUE(contains(page.body, "Page 1 sur 2"));
    EXPECT_TRUE(contains(page.body, category + "?page=2"));
    page = driver.get(category + "?page=2");
    EXPECT_EQ(page.status, 200);
    EXPECT_TRUE(contains(page.body, "Page 2 sur 2"));
    page = driver.get(topic);
    EXPECT_TRUE(contains(page.body, "Page 1 sur 3"));
    EXPECT_FALSE(contains(page.body, "Message 21<"));
    page = driver.get(category);
    EXPECT_TRUE(contains(page.body, "22 nouveaux messages")); // read up to the 20th of 42
    auto first_unread = query_value(
        driver, "SELECT id FROM forum_post WHERE topic_id = " + str(made.topic) + " ORDER BY id LIMIT 1 OFFSET 20");
    EXPECT_TRUE(contains(page.body, "href=\"" + base + "/messages/" + str(first_unread) + "\""));
    auto go = driver.get(base + "/messages/" + str(first_unread));
    EXPECT_EQ(go.header("Location"), topic + "?page=2#message-" + str(first_unread));
    page = driver.get(topic + "?page=3");
    EXPECT_TRUE(contains(page.body, "Message 42"));
    auto replied = driver.post(topic + "/reponses", { { "csrf", driver.csrf_token() }, { "corps", "La 43e" } });
    EXPECT_EQ(replied.status, 303);
    EXPECT_TRUE(contains(replied.header("Location"), topic + "?page=3#message-"));
    EXPECT_EQ(driver.get(topic + "?page=4").status, 404);
}

TEST(ClassSpaceForum, MyDataAndDeparture)
{
    AppDriver driver;
    auto space = class_space_id(driver, "TPRO");
    auto made = make_forum(driver, space);
    auto student = user_id(driver, "louis.chamson");
    auto teacher = user_id(driver, "samuel.beaumont");
    auto lease = driver.services().database->lease();
    auto& session = lease.session();
    // Louis also opened a topic, which Samuel answered.
    auto own = forum::add_topic(session, space, made.category, "Ma question", student, "<p>Ma question</p>", 100);
    auto answer = forum::add_post(session, space, own, teacher, "<p>La réponse</p>", 200);
    auto json = forum::personal_data_json(session, student);
    EXPECT_TRUE(contains(json, "\"messages_du_forum\""));
    EXPECT_TRUE(contains(json, "Merci Monsieur."));
    EXPECT_TRUE(contains(json, "Ma question"));
    EXPECT_FALSE(contains(json, "La réponse"));

    auto former = identity::store::find_user(session, student);
    ASSERT_TRUE(former);
    for (auto const& handler : driver.services().departure_handlers)
        handler(session, *former, false);
    long long reads = 0;
    session << "SELECT COUNT(*) FROM forum_read WHERE user_id = :id", soci::use(student), soci::into(reads);
    EXPECT_EQ(reads, 0);
    EXPECT_TRUE(forum::post_in(session, space, made.reply).has_value()); // kept, signed « Ancien membre »

    // He objected to their keeping: his reply goes, his topic stays with its answer.
    for (auto const& handler : driver.services().departure_handlers)
        handler(session, *former, true);
    EXPECT_FALSE(forum::post_in(session, space, made.reply).has_value());
    auto first = forum::post_in(session, space, forum::first_post_of(session, own));
    ASSERT_TRUE(first.has_value());
    EXPECT_EQ(first->body, "<p>Message retiré à la demande de son auteur.</p>");
    EXPECT_EQ(first->author_name, "Ancien membre");
    EXPECT_TRUE(forum::post_in(session, space, answer).has_value());
    auto topic = forum::topic_in(session, space, made.topic);
    ASSERT_TRUE(topic.has_value());
    EXPECT_EQ(topic->post_count, 1);
    EXPECT_FALSE(contains(forum::personal_data_json(session, student), "Merci"));
}

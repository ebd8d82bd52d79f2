// SPDX-License-Identifier: AGPL-3.0-or-later
// Every class and group has its space; who is what in it, as a table; the
// space's page tried by every kind of person (both engines).
#include "app/application.h"
#include "app/demo_school.h"
#include "core/identity/identity_store.h"
#include "services/class_space/class_space.h"
#include "tests/support/app_driver.h"
#include <gtest/gtest.h>

using namespace cartable;
using access::Profile;
using cartable::testing::AppDriver;
using cartable::testing::class_space_id;
using cartable::testing::contains;
using cartable::testing::query_value;
using cartable::testing::rows_of_tables;
using class_space::Membership;
using class_space::Role;

namespace {

identity::User person(Profile profile, long long structure = 10, bool active = true)
{
    identity::User user;
    user.id = 1;
    user.profile = profile;
    user.structure_id = structure;
    user.active = active;
    return user;
}

long long class_id(AppDriver& driver, std::string const& name)
{
    auto lease = driver.services().database->lease();
    long long id = 0;
    lease.session() << "SELECT id FROM identity_class WHERE name = :name", soci::use(name), soci::into(id);
    return id;
}

} // namespace

TEST(ClassSpacePolicy, RolesAsATable)
{
    class_space::Space closed;
    closed.structure_id = 10;
    closed.class_id = 3;
    auto open = closed;
    open.visitors_allowed = true;
    struct Row {
        char const* what;
        identity::User who;
        class_space::Space space;
        Membership facts;
        Role role;
    };
    Row const rows[] = {
        { "a teacher of the class", person(Profile::Teacher), closed, { true, false, false }, Role::Manager },
        { "a teacher of other classes", person(Profile::Teacher), closed, {}, Role::None },
        { "a student of the class", person(Profile::Student), closed, { false, true, false }, Role::Contributor },
        { "a student of another class", person(Profile::Student), closed, {}, Role::None },
        { "a guardian, visitors not allowed", person(Profile::Guardian), closed, { false, false, true }, Role::None },
        { "a guardian, visitors allowed", person(Profile::Guardian), open, { false, false, true }, Role::Visitor },
        { "another family's guardian", person(Profile::Guardian), open, {}, Role::None },
        { "the structure's CPE", person(Profile::Staff), closed, {}, Role::Manager },
        { "the structure's administrator", person(Profile::Admin), closed, {}, Role::Manager },
        { "another structure's administrator", person(Profile::Admin, 20), closed, {}, Role::None },
        { "a deactivated student of the class", person(Profile::Student, 10, false), closed, { false, true, false },
            Role::None },
    };
    for (auto const& row : rows)
        EXPECT_EQ(class_space::role_of(row.who, row.space, row.facts), row.role) << row.what;
    EXPECT_TRUE(class_space::may_read(Role::Visitor));
    EXPECT_FALSE(class_space::may_post(Role::Visitor));
    EXPECT_TRUE(class_space::may_post(Role::Contributor));
    EXPECT_FALSE(class_space::may_manage(Role::Contributor));
    EXPECT_TRUE(class_space::may_manage(Role::Manager));
    EXPECT_FALSE(class_space::may_read(Role::None));
}

TEST(ClassSpace, EveryClassHasItsSpace)
{
    AppDriver driver;
    auto lease = driver.services().database->lease();
    long long classes = 0;
    long long spaces = 0;
    lease.session() << "SELECT COUNT(*) FROM identity_class", soci::into(classes);
    lease.session() << "SELECT COUNT(*) FROM class_space", soci::into(spaces);
    EXPECT_GT(classes, 0);
    EXPECT_EQ(spaces, classes);
    EXPECT_EQ(class_space::ensure_spaces(lease.session(), 0), 0); // nothing more to make
}

TEST(ClassSpace, ThePageByRole)
{
    AppDriver driver;
    auto space = class_space_id(driver, "TPRO");
    auto tpro = "/espaces/" + std::to_string(space) + "/membres";
    auto settings = "/espaces/" + std::to_string(space) + "/parametres";
    struct Visit {
        char const* login;
        int status;
        char const* role;
    };
    // The demo lets parents visit: closed first.
    ASSERT_EQ(driver.sign_in("samuel.beaumont", app::DEMO_PASSWORD).status, 303);
    driver.get(tpro);
    ASSERT_EQ(driver.post(settings, { { "csrf", driver.csrf_token() }, { "commentaires", "1" } }).status, 303);
    Visit const visits[] = {
        { "samuel.beaumont", 200, "gestionnaire" }, { "nathalie.vidal", 200, "gestionnaire" },
        { "louis.chamson", 200, "contributeur" }, { "pauline.chamson", 404, nullptr }, // T STMG
        { "achamson", 404, nullptr }, // a teacher of no class
        { "andre.chamson", 404, nullptr }, // visitors not allowed yet
    };
    for (auto const& visit : visits) {
        driver.forget_cookies();
        ASSERT_EQ(driver.sign_in(visit.login, app::DEMO_PASSWORD).status, 303) << visit.login;
        auto page = driver.get(tpro);
        EXPECT_EQ(page.status, visit.status) << visit.login;
        if (visit.role) {
            EXPECT_TRUE(contains(page.body, visit.role)) << visit.login;
        }
    }
    EXPECT_EQ(driver.get("/classes/999999").status, 404);
    EXPECT_EQ(driver.get("/espaces/999999").status, 404);

    // A student cannot change the settings.
    driver.forget_cookies();
    ASSERT_EQ(driver.sign_in("louis.chamson", app::DEMO_PASSWORD).status, 303);
    driver.get(tpro);
    EXPECT_EQ(driver.post(settings, { { "csrf", driver.csrf_token() }, { "visiteurs", "1" } }).status, 403);

    // The teacher lets parents in as visitors. The menu's class leads to its space.
    driver.forget_cookies();
    ASSERT_EQ(driver.sign_in("samuel.beaumont", app::DEMO_PASSWORD).status, 303);
    auto by_class = driver.get("/classes/" + std::to_string(class_id(driver, "TPRO")));
    EXPECT_EQ(by_class.status, 303);
    EXPECT_EQ(by_class.header("Location"), "/espaces/" + std::to_string(space));
    auto page = driver.get(tpro);
    EXPECT_TRUE(contains(page.body, "Louis CHAMSON"));
    EXPECT_TRUE(contains(page.body, "Paramètres de l"));
    EXPECT_EQ(driver.post(settings, { { "csrf", driver.csrf_token() }, { "visiteurs", "1" }, { "commentaires", "1" } })
                  .status,
        303);

    driver.forget_cookies();
    ASSERT_EQ(driver.sign_in("andre.chamson", app::DEMO_PASSWORD).status, 303);
    auto visitor = driver.get(tpro);
    ASSERT_EQ(visitor.status, 200);
    EXPECT_TRUE(contains(visitor.body, "visiteur"));
    EXPECT_TRUE(contains(visitor.body, "Samuel BEAUMONT"));
    EXPECT_FALSE(contains(visitor.body, "Emma ROUX")); // the other families' children
    EXPECT_FALSE(contains(visitor.body, "Paramètres de l"));
    EXPECT_EQ(driver.post(settings, { { "csrf", driver.csrf_token() }, { "visiteurs", "0" } }).status, 403);
    // Sophie ROUX's daughter Emma is in TPRO too; Karim BENALI's children are not.
    driver.forget_cookies();
    ASSERT_EQ(driver.sign_in("karim.benali", app::DEMO_PASSWORD).status, 303);
    EXPECT_EQ(driver.get(tpro).status, 404);
}

namespace {

// The route's path with the TPRO space and, for any other parameter, the
// smallest id of the space's objects of that kind when known, else 1.
std::string path_of(AppDriver& driver, std::string pattern, long long space)
{
    std::string path;
    for (std::size_t at = 0; at < pattern.size();) {
        auto open = pattern.find('{', at);
        if (open == std::string::npos) {
            path += pattern.substr(at);
            break;
        }
        path += pattern.substr(at, open - at);
        auto close = pattern.find('}', open);
        auto name = pattern.substr(open + 1, close - open - 1);
        long long value = 1;
        if (name == "space")
            value = space;
        else if (name == "article")
            value = query_value(driver, "SELECT COALESCE(MIN(id), 1) FROM class_space_article");
        else if (name == "comment")
            value = query_value(driver, "SELECT COALESCE(MIN(id), 1) FROM class_space_comment");
        else if (name == "category")
            value = query_value(driver, "SELECT COALESCE(MIN(id), 1) FROM class_space_category");
        path += std::to_string(value);
        at = close + 1;
    }
    return path;
}

} // namespace

// Every route of a space, whatever part it belongs to: nobody outside the
// space reaches it (not found), a visitor posts nothing, a contributor
// moderates nothing; and a refused request changes nothing.
TEST(ClassSpacePolicy, EveryRouteOfASpaceByRole)
{
    AppDriver driver;
    auto const space = class_space_id(driver, "TPRO");
    access::CapabilityRegistry registry;
    auto router = app::build_router(registry);
    ASSERT_FALSE(router.is_error());
    std::vector<http::Route const*> routes;
    for (auto const& route : router->routes()) {
        if (route.pattern.starts_with("/espaces/{space}"))
            routes.push_back(&route);
    }
    ASSERT_GT(routes.size(), 10U);
    std::vector<std::pair<std::string, std::string>> const form { { "titre", "Essai" }, { "contenu", "Essai" },
        { "commentaire", "Essai" }, { "nom", "Essai" }, { "texte", "Essai" }, { "message", "Essai" },
        { "visiteurs", "1" }, { "role", "manager" }, { "personne", "1" } };
    auto send = [&](http::Route const& route) {
        auto path = path_of(driver, route.pattern, space);
        if (route.method == http::Method::Get)
            return driver.get(path).status;
        auto fields = form;
        fields.emplace_back("csrf", driver.csrf_token());
        return driver.post(path, fields).status;
    };
    auto const before = rows_of_tables(driver, "class_space%");
    for (auto const* login : { "pauline.chamson", "karim.benali", "achamson" }) {
        driver.forget_cookies();
        ASSERT_EQ(driver.sign_in(login, app::DEMO_PASSWORD).status, 303);
        driver.get("/accueil");
        for (auto const* route : routes)
            EXPECT_EQ(send(*route), 404) << login << " " << route->pattern;
    }
    // André, Louis's father: a visitor of TPRO (the demo lets parents in).
    driver.forget_cookies();
    ASSERT_EQ(driver.sign_in("andre.chamson", app::DEMO_PASSWORD).status, 303);
    driver.get("/accueil");
    for (auto const* route : routes) {
        if (route->capability == "class_space.read")
            continue;
        auto status = send(*route);
        EXPECT_TRUE(status == 403 || status == 404) << "visitor " << route->pattern << " " << status;
    }
    // Louis: a contributor, no moderation.
    driver.forget_cookies();
    ASSERT_EQ(driver.sign_in("louis.chamson", app::DEMO_PASSWORD).status, 303);
    driver.get("/accueil");
    for (auto const* route : routes) {
        if (route->capability != "class_space.manage")
            continue;
        auto status = send(*route);
        EXPECT_TRUE(status == 403 || status == 404) << "contributor " << route->pattern << " " << status;
    }
    EXPECT_EQ(rows_of_tables(driver, "class_space%"), before);
}

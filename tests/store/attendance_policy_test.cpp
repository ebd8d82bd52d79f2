// SPDX-License-Identifier: AGPL-3.0-or-later
// Who sees, records, justifies, decides and punishes a student's
// attendance, and who takes or corrects a call: the policy as tables of
// facts, the same over the demo's real people, then every route of the roll
// call and the desk tried by every kind of person (both engines).
#include "core/identity/identity_store.h"
#include "services/attendance/attendance_internal.h"
#include "tests/store/attendance_fixture.h"
#include <algorithm>
#include <gtest/gtest.h>

using namespace cartable;
using namespace cartable::testing::attendance_fixture;
using cartable::attendance::Facts;
using cartable::attendance::Rights;
using cartable::testing::AppDriver;
using cartable::testing::rows_of_tables;
using cartable::testing::user_id;

namespace {

std::string text_of(Rights const& rights)
{
    std::string text;
    auto add = [&](bool flag, char const* name) {
        if (flag)
            text += text.empty() ? name : std::string(" ") + name;
    };
    add(rights.sees, "sees");
    add(rights.records, "records");
    add(rights.justifies, "justifies");
    add(rights.decides, "decides");
    add(rights.punishes, "punishes");
    return text.empty() ? "nothing" : text;
}

Facts facts(access::Profile profile, auto change)
{
    Facts made;
    made.profile = profile;
    made.same_structure = true;
    change(made);
    return made;
}

} // namespace

TEST(AttendancePolicy, RightsAsATable)
{
    using access::Profile;
    struct Case {
        char const* who;
        Facts facts;
        char const* expected;
    };
    Case const cases[] = {
        { "legal guardian of the student",
            facts(Profile::Guardian, [](Facts& f) { f.guardian = f.legal_guardian = true; }), "sees justifies" },
        { "guardian without legal responsibility", facts(Profile::Guardian, [](Facts& f) { f.guardian = true; }),
            "sees" },
        { "guardian of another student", facts(Profile::Guardian, [](Facts&) {}), "nothing" },
        { "the student", facts(Profile::Student, [](Facts& f) { f.is_self = true; }), "sees" },
        { "another student", facts(Profile::Student, [](Facts&) {}), "nothing" },
        { "teacher of the class", facts(Profile::Teacher, [](Facts& f) { f.teaches_student = true; }),
            "sees punishes" },
        { "other teacher", facts(Profile::Teacher, [](Facts&) {}), "nothing" },
        { "CPE", facts(Profile::Staff, [](Facts& f) { f.vie_scolaire = true; }), "sees records decides punishes" },
        { "principal", facts(Profile::Staff, [](Facts& f) { f.direction = true; }), "sees punishes" },
        { "administrator", facts(Profile::Admin, [](Facts& f) { f.direction = true; }), "sees punishes" },
        { "secretary (staff, neither)", facts(Profile::Staff, [](Facts&) {}), "nothing" },
        { "CPE of another structure",
            [] {
                Facts other;
                other.profile = Profile::Staff;
                other.vie_scolaire = true;
                return other;
            }(),
            "nothing" },
        { "principal of another structure",
            [] {
                Facts other;
                other.profile = Profile::Staff;
                other.direction = true;
                return other;
            }(),
            "nothing" },
        { "teacher of another structure teaching a namesake class",
            [] {
                Facts other;
                other.profile = Profile::Teacher;
                other.teaches_student = true;
                return other;
            }(),
            "nothing" },
    };
    for (auto const& item : cases)
        EXPECT_EQ(text_of(attendance::right_from(item.facts)), item.expected) << item.who;
}

TEST(AttendancePolicy, RightsOverTheDemoPeople)
{
    AppDriver driver;
    auto const louis = user_id(driver, "louis.chamson");
    struct Case {
        char const* login;
        char const* expected;
    };
    Case const cases[] = {
        { "andre.chamson", "sees justifies" },
        { "sophie.roux", "nothing" },
        { "louis.chamson", "sees" },
        { "emma.roux", "nothing" },
        { "samuel.beaumont", "sees punishes" },
        { "achamson", "nothing" },
        { "nathalie.vidal", "sees records decides punishes" },
        { "philippe.garnier", "sees punishes" },
        { "olivier.pradel", "sees punishes" },
    };
    auto lease = driver.services().database->lease();
    for (auto const& item : cases) {
        auto const person = identity::store::find_user(lease.session(), user_id(driver, item.login));
        ASSERT_TRUE(person) << item.login;
        EXPECT_EQ(text_of(attendance::rights_toward(lease.session(), *person, louis)), item.expected) << item.login;
    }
}

TEST(AttendancePolicy, MayEditCallAsATable)
{
    identity::User teacher;
    teacher.id = 5;
    teacher.profile = access::Profile::Teacher;
    identity::User other = teacher;
    other.id = 6;
    identity::User cpe;
    cpe.id = 7;
    cpe.profile = access::Profile::Staff;
    cpe.function = "CPE";
    identity::User principal;
    principal.id = 8;
    principal.profile = access::Profile::Staff;
    principal.function = "Proviseur";
    struct Case {
        char const* who;
        identity::User const* person;
        long long today;
        bool expected;
    };
    long long const day = 20'000;
    Case const cases[] = {
        { "the teacher on the day", &teacher, day, true },
        { "the teacher the day after", &teacher, day + 1, false },
        { "the teacher the day before", &teacher, day - 1, false },
        { "another teacher on the day", &other, day, false },
        { "the CPE on the day", &cpe, day, true },
        { "the CPE the day after", &cpe, day + 1, true },
        { "the CPE a month after", &cpe, day + 30, true },
        { "the principal on the day", &principal, day, false },
    };
    for (auto const& item : cases)
        EXPECT_EQ(attendance::may_edit_call(*item.person, 5, day, item.today), item.expected) << item.who;
}

// Every route of the roll call and the desk, GET and POST, by people who may
// not use it on these objects: 403 or 404, never data, nothing written.
TEST(AttendancePolicy, EveryRouteByPerson)
{
    AppDriver driver;
    auto const slot = samuel_tpro_slot(driver);
    ASSERT_NE(slot, 0);
    auto const slot_day = monday_in(1);
    auto const louis = user_id(driver, "louis.chamson");
    auto const event = query_value(driver, "SELECT MIN(id) FROM attendance_event");
    ASSERT_NE(event, 0) << "the demo records absences";
    access::CapabilityRegistry registry;
    auto router = app::build_router(registry);
    ASSERT_FALSE(router.is_error());
    std::vector<http::Route const*> routes;
    for (auto const& route : router->routes()) {
        for (auto const* prefix :
            { "/vie-scolaire/appel", "/vie-scolaire/bureau", "/vie-scolaire/eleves", "/vie-scolaire/evenements",
                "/vie-scolaire/incidents", "/vie-scolaire/punitions", "/vie-scolaire/parametres" })
            if (route.pattern.starts_with(prefix))
                routes.push_back(&route);
    }
    ASSERT_GE(routes.size(), 16U);
    auto path_of = [&](std::string pattern) {
        auto replace = [&](std::string const& name, std::string const& value) {
            if (auto at = pattern.find(name); at != std::string::npos)
                pattern.replace(at, name.size(), value);
        };
        replace("{slot}", std::to_string(slot));
        replace("{day}", school_time::iso_day(slot_day));
        replace("{id}", pattern.starts_with("/vie-scolaire/eleves") ? std::to_string(louis) : std::to_string(event));
        return pattern;
    };
    auto const student = std::to_string(louis);
    std::vector<std::pair<std::string, std::string>> const form { { "eleve-" + student, "absent" },
        { "eleve", student }, { "eleves", student }, { "date", school_time::iso_day(today()) }, { "heure", "10:00" },
        { "type", "retenue" }, { "motif", "Bavardages répétés" }, { "description", "Bousculade" }, { "lieu", "Cour" },
        { "duree", "60" }, { "moment", "matin" }, { "etat", "justifiee" }, { "commentaire", "Vu" },
        { "seuil_demi_journees", "9" }, { "seuil_retards", "9" }, { "libelle-nouveau", "Essai" },
        { "ordre-nouveau", "9" } };
    auto send = [&](http::Route const& route) {
        auto const path = path_of(route.pattern);
        if (route.method == http::Method::Get)
            return driver.get(path);
        auto fields = form;
        fields.emplace_back("csrf", driver.csrf_token());
        return driver.post(path, fields);
    };
    auto const before = rows_of_tables(driver, "attendance%");
    auto const before_events = query_value(driver, "SELECT COUNT(*) FROM attendance_event WHERE state = 'justifiee'");
    // Families and a teacher of no class: nothing but their own (empty) lists and forms.
    struct Person {
        char const* login;
        std::vector<std::string> readable; // GET patterns that answer 200 (their own lists and forms)
    };
    Person const people[] = {
        { "louis.chamson", {} },
        { "andre.chamson", {} },
        { "achamson",
            { "/vie-scolaire/appel", "/vie-scolaire/incidents", "/vie-scolaire/incidents/nouveau",
                "/vie-scolaire/punitions/nouvelle" } },
        { "marie.delmas",
            { "/vie-scolaire/appel", "/vie-scolaire/incidents", "/vie-scolaire/incidents/nouveau",
                "/vie-scolaire/punitions/nouvelle", "/vie-scolaire/eleves/{id}" } },
    };
    for (auto const& person : people) {
        ASSERT_EQ(sign_in_as(driver, person.login), 303) << person.login;
        for (auto const* route : routes) {
            bool const readable = route->method == http::Method::Get
                && std::find(person.readable.begin(), person.readable.end(), route->pattern) != person.readable.end();
            if (readable)
                continue;
            // Marie teaches Louis: she may report an incident about him or punish him.
            if (std::string(person.login) == "marie.delmas"
                && (route->pattern == "/vie-scolaire/incidents/nouveau"
                    || route->pattern == "/vie-scolaire/punitions/nouvelle"))
                continue;
            auto const response = send(*route);
            EXPECT_TRUE(response.status == 403 || response.status == 404)
                << person.login << " " << route->pattern << " " << response.status;
            EXPECT_FALSE(cartable::testing::contains(response.body, "CHAMSON Louis"))
                << person.login << " " << route->pattern;
        }
    }
    // The principal reads the desk but neither takes a call, nor enters an
    // absence, nor decides on one.
    ASSERT_EQ(sign_in_as(driver, "philippe.garnier"), 303);
    for (auto const* route : routes) {
        if (route->method != http::Method::Post)
            continue;
        if (route->pattern == "/vie-scolaire/appel/{slot}/{day}" || route->pattern == "/vie-scolaire/bureau/absences"
            || route->pattern == "/vie-scolaire/evenements/{id}") {
            EXPECT_EQ(send(*route).status, 403) << route->pattern;
        }
    }
    EXPECT_EQ(rows_of_tables(driver, "attendance%"), before);
    EXPECT_EQ(query_value(driver, "SELECT COUNT(*) FROM attendance_event WHERE state = 'justifiee'"), before_events);
}

// SPDX-License-Identifier: AGPL-3.0-or-later
// Who reads and writes a class's lesson book in a subject: the policy as a
// table of facts, then the same over the demo school's real people (both
// engines).
#include "app/demo_school.h"
#include "core/identity/identity_store.h"
#include "services/lesson_book/lesson_book_internal.h"
#include "tests/support/app_driver.h"
#include <gtest/gtest.h>

using namespace cartable;
using cartable::lesson_book::Facts;
using cartable::lesson_book::Right;
using cartable::testing::AppDriver;
using cartable::testing::query_value;
using cartable::testing::user_id;

namespace {

char const* name_of(Right right)
{
    switch (right) {
    case Right::None:
        return "None";
    case Right::ReadPublished:
        return "ReadPublished";
    case Right::ReadAll:
        return "ReadAll";
    case Right::Write:
        return "Write";
    }
    return "?";
}

} // namespace

TEST(LessonBookPolicy, RightsAsATable)
{
    struct Case {
        char const* who;
        Facts facts;
        Right expected;
    };
    auto facts = [](auto change) {
        Facts made;
        made.same_structure = true;
        change(made);
        return made;
    };
    Case const cases[] = {
        { "teacher of the class and subject", facts([](Facts& f) { f.teaches_subject = f.teaches_class = true; }),
            Right::Write },
        { "other teacher of the class", facts([](Facts& f) { f.teaches_class = true; }), Right::ReadPublished },
        { "teacher of no class", facts([](Facts&) {}), Right::None },
        { "student of the class", facts([](Facts& f) { f.student = true; }), Right::ReadPublished },
        { "student of another class", facts([](Facts&) {}), Right::None },
        { "guardian of a student of the class", facts([](Facts& f) { f.guardian = true; }), Right::ReadPublished },
        { "guardian of another class", facts([](Facts&) {}), Right::None },
        { "direction", facts([](Facts& f) { f.direction = true; }), Right::ReadAll },
        { "inspector granted", facts([](Facts& f) { f.reader = true; }), Right::ReadAll },
        { "inspector of another structure", Facts {}, Right::None },
        { "person of another structure, teaching there",
            [] {
                Facts other;
                other.teaches_subject = other.teaches_class = true;
                return other;
            }(),
            Right::None },
    };
    for (auto const& item : cases)
        EXPECT_STREQ(name_of(lesson_book::right_from(item.facts)), name_of(item.expected)) << item.who;
    Facts direction;
    direction.same_structure = direction.direction = true;
    EXPECT_TRUE(lesson_book::may_visa(direction));
    Facts teacher;
    teacher.same_structure = teacher.teaches_subject = true;
    EXPECT_FALSE(lesson_book::may_visa(teacher));
    EXPECT_TRUE(lesson_book::sees_planned(Right::Write));
    EXPECT_TRUE(lesson_book::sees_planned(Right::ReadAll));
    EXPECT_FALSE(lesson_book::sees_planned(Right::ReadPublished));
}

TEST(LessonBookPolicy, RightsOfRealPeople)
{
    AppDriver driver;
    auto const tpro = query_value(driver, "SELECT id FROM identity_class WHERE name = 'TPRO'");
    auto const gestion = query_value(driver, "SELECT id FROM identity_subject WHERE code = '042400'");
    ASSERT_NE(tpro, 0);
    ASSERT_NE(gestion, 0);
    long long other_structure = 0;
    long long inspector = 0;
    long long foreign_admin = 0;
    auto const nathalie = user_id(driver, "nathalie.vidal");
    {
        auto lease = driver.services().database->lease();
        identity::Structure structure;
        structure.uai = "0340001B";
        structure.name = "Collège Jean Moulin";
        structure.city = "Montpellier";
        structure.academy = "Montpellier";
        other_structure = identity::store::create_structure(lease.session(), structure);
        identity::User person;
        person.login = "ien.eco";
        person.first_name = "Claire";
        person.last_name = "MARTIN";
        person.profile = access::Profile::Staff;
        person.function = "Inspectrice";
        person.structure_id = other_structure;
        inspector = identity::store::create_user(lease.session(), person, "");
        person.login = "admin.moulin";
        person.profile = access::Profile::Admin;
        person.function = "";
        foreign_admin = identity::store::create_user(lease.session(), person, "");
    }
    auto right = [&](long long person_id) {
        auto lease = driver.services().database->lease();
        auto person = identity::store::find_user(lease.session(), person_id);
        EXPECT_TRUE(person.has_value());
        return name_of(lesson_book::right_of(lease.session(), *person, tpro, gestion));
    };
    auto grant = [&](long long person_id, long long structure_id) {
        auto lease = driver.services().database->lease();
        lease.session() << "INSERT INTO lesson_book_reader (user_id, structure_id, created_at) VALUES (:user, "
                           ":structure, 1)",
            soci::use(person_id), soci::use(structure_id);
    };
    struct Case {
        char const* login;
        Right expected;
    };
    Case const cases[] = {
        { "samuel.beaumont", Right::Write }, // ÉCONOMIE-GESTION in TPRO
        { "marie.delmas", Right::ReadPublished }, // another subject in TPRO
        { "achamson", Right::None }, // teacher of no class
        { "louis.chamson", Right::ReadPublished }, // student of TPRO
        { "pauline.chamson", Right::None }, // student of T STMG
        { "andre.chamson", Right::ReadPublished }, // Louis's father
        { "karim.benali", Right::None }, // Inès's father (T STMG)
        { "philippe.garnier", Right::ReadAll }, // proviseur
        { "admin.ent", Right::ReadAll }, { "nathalie.vidal", Right::None }, // the CPE reads no lesson book by default
    };
    for (auto const& item : cases)
        EXPECT_STREQ(right(user_id(driver, item.login)), name_of(item.expected)) << item.login;
    EXPECT_STREQ(right(inspector), "None");
    EXPECT_STREQ(right(foreign_admin), "None");
    // An inspector granted another structure's book reads none of ours.
    grant(inspector, other_structure);
    EXPECT_STREQ(right(inspector), "None");
    // Granted ours by its administrator: reads all of it.
    grant(inspector, query_value(driver, "SELECT id FROM identity_structure WHERE uai = '0300027A'"));
    EXPECT_STREQ(right(inspector), "ReadAll");
    grant(nathalie, query_value(driver, "SELECT id FROM identity_structure WHERE uai = '0300027A'"));
    EXPECT_STREQ(right(nathalie), "ReadAll");
    EXPECT_STREQ(right(foreign_admin), "None");
}

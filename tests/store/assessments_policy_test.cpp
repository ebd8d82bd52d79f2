// SPDX-License-Identifier: AGPL-3.0-or-later
// Who grades and who reads a class's marks: the policy of the évaluations
// as a table of facts, then the same over the demo school's real people
// through rights_toward (both engines).
#include "app/demo_school.h"
#include "core/identity/identity_store.h"
#include "services/assessments/assessments_internal.h"
#include "tests/support/app_driver.h"
#include <gtest/gtest.h>

using namespace cartable;
using cartable::assessments::Facts;
using cartable::assessments::Rights;
using cartable::testing::AppDriver;
using cartable::testing::query_value;
using cartable::testing::user_id;

namespace {

// « grades,reads_all », « reads_published », « none »: the rights held.
std::string name_of(Rights const& rights)
{
    std::string names;
    auto add = [&](bool held, char const* name) {
        if (!held)
            return;
        if (!names.empty())
            names += ',';
        names += name;
    };
    add(rights.grades, "grades");
    add(rights.reads_all, "reads_all");
    add(rights.reads_published, "reads_published");
    add(rights.appraises_class, "appraises_class");
    add(rights.publishes_reports, "publishes_reports");
    return names.empty() ? std::string("none") : names;
}

} // namespace

TEST(AssessmentsPolicy, RightsAsATable)
{
    auto facts = [](access::Profile profile, auto change) {
        Facts made;
        made.profile = profile;
        made.same_structure = true;
        change(made);
        return made;
    };
    using access::Profile;
    struct Case {
        char const* who;
        Facts facts;
        char const* expected;
    };
    Case const cases[] = {
        { "student of the class", facts(Profile::Student, [](Facts& f) { f.member = true; }), "reads_published" },
        { "student of another class", facts(Profile::Student, [](Facts&) {}), "none" },
        { "guardian of a student of the class", facts(Profile::Guardian, [](Facts& f) { f.guardian_of_member = true; }),
            "reads_published" },
        { "other guardian", facts(Profile::Guardian, [](Facts&) {}), "none" },
        { "teacher of the class and subject",
            facts(Profile::Teacher, [](Facts& f) { f.teaches_subject = f.teaches_class = true; }), "grades,reads_all" },
        { "teacher of the class in another subject", facts(Profile::Teacher, [](Facts& f) { f.teaches_class = true; }),
            "reads_all" },
        { "head teacher", facts(Profile::Teacher, [](Facts& f) { f.head_teacher = true; }),
            "reads_all,appraises_class" },
        { "teacher of no class", facts(Profile::Teacher, [](Facts&) {}), "none" },
        { "CPE", facts(Profile::Staff, [](Facts& f) { f.vie_scolaire = true; }), "reads_all" },
        { "staff of no function", facts(Profile::Staff, [](Facts&) {}), "none" },
        { "principal", facts(Profile::Staff, [](Facts& f) { f.direction = true; }), "reads_all,publishes_reports" },
        { "administrator", facts(Profile::Admin, [](Facts& f) { f.direction = true; }), "reads_all,publishes_reports" },
        { "another structure's staff (principal there)",
            [] {
                Facts other;
                other.profile = Profile::Staff;
                other.direction = true;
                return other;
            }(),
            "none" },
        { "another structure's teacher of the same subject",
            [] {
                Facts other;
                other.profile = Profile::Teacher;
                other.teaches_subject = other.teaches_class = true;
                return other;
            }(),
            "none" },
    };
    for (auto const& item : cases)
        EXPECT_EQ(name_of(assessments::right_from(item.facts)), item.expected) << item.who;
}

TEST(AssessmentsPolicy, RightsOfRealPeople)
{
    AppDriver driver;
    auto const tpro = query_value(driver, "SELECT id FROM identity_class WHERE name = 'TPRO'");
    auto const gestion = query_value(driver, "SELECT id FROM identity_subject WHERE code = '042400'");
    ASSERT_NE(tpro, 0);
    ASSERT_NE(gestion, 0);
    long long foreign_principal = 0;
    {
        auto lease = driver.services().database->lease();
        identity::Structure structure;
        structure.uai = "0340001B";
        structure.name = "Collège Jean Moulin";
        structure.city = "Montpellier";
        structure.academy = "Montpellier";
        auto const other_structure = identity::store::create_structure(lease.session(), structure);
        identity::User person;
        person.login = "principal.moulin";
        person.first_name = "Claire";
        person.last_name = "MARTIN";
        person.profile = access::Profile::Staff;
        person.function = "Principale";
        person.structure_id = other_structure;
        foreign_principal = identity::store::create_user(lease.session(), person, "");
    }
    auto rights = [&](long long person_id) {
        auto lease = driver.services().database->lease();
        auto person = identity::store::find_user(lease.session(), person_id);
        EXPECT_TRUE(person.has_value());
        return name_of(assessments::rights_toward(lease.session(), *person, tpro, gestion));
    };
    struct Case {
        char const* login;
        char const* expected;
    };
    Case const cases[] = {
        { "samuel.beaumont", "grades,reads_all" }, // ÉCONOMIE-GESTION in TPRO
        { "marie.delmas", "reads_all" }, // MATHÉMATIQUES in TPRO
        { "achamson", "none" }, // teacher of no class
        { "louis.chamson", "reads_published" }, // student of TPRO
        { "pauline.chamson", "none" }, // student of T STMG
        { "andre.chamson", "reads_published" }, // Louis's father
        { "sophie.roux", "reads_published" }, // Emma's mother (TPRO)
        { "karim.benali", "none" }, // Inès's father (T STMG)
        { "nathalie.vidal", "reads_all" }, // CPE
        { "philippe.garnier", "reads_all,publishes_reports" }, // proviseur
        { "admin.ent", "reads_all,publishes_reports" },
    };
    for (auto const& item : cases) {
        auto const id = user_id(driver, item.login);
        ASSERT_NE(id, 0) << item.login;
        EXPECT_EQ(rights(id), item.expected) << item.login;
    }
    EXPECT_EQ(rights(foreign_principal), "none");
}

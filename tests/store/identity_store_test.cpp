// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/identity/identity_store.h"
#include "core/identity/sessions.h"
#include "tests/support/test_database.h"
#include <gtest/gtest.h>

using namespace cartable;

namespace {

struct School {
    long long structure { 0 };
    long long guardian { 0 };
    long long child { 0 };
    long long other_student { 0 };
    long long teacher { 0 };
    long long class_a { 0 };
    long long class_b { 0 };
};

School make_school(soci::session& session)
{
    School school;
    identity::Structure structure;
    structure.uai = "0300027A";
    structure.name = "CITE SCOLAIRE ANDRE CHAMSON";
    structure.academy = "Montpellier";
    school.structure = identity::store::create_structure(session, structure);
    auto person = [&](char const* login, access::Profile profile) {
        identity::User user;
        user.login = login;
        user.first_name = login;
        user.last_name = "TEST";
        user.profile = profile;
        user.structure_id = school.structure;
        return identity::store::create_user(session, user, "");
    };
    school.guardian = person("andre.chamson", access::Profile::Guardian);
    school.child = person("louis.chamson", access::Profile::Student);
    school.other_student = person("emma.roux", access::Profile::Student);
    school.teacher = person("samuel.beaumont", access::Profile::Teacher);
    school.class_a = identity::store::create_class(session, { 0, school.structure, "TPRO", "class" });
    school.class_b = identity::store::create_class(session, { 0, school.structure, "T STMG", "class" });
    identity::store::add_class_member(session, school.class_a, school.child);
    identity::store::add_class_member(session, school.class_b, school.other_student);
    identity::store::link_guardian(session, school.guardian, school.child, "père");
    auto subject = identity::store::create_subject(session, school.structure, "042400", "ÉCONOMIE-GESTION");
    identity::store::add_teaching(session, school.teacher, school.class_b, subject);
    return school;
}

class IdentityStore : public ::testing::Test {
protected:
    std::unique_ptr<Services> services = cartable::testing::fresh_services();
};

TEST_F(IdentityStore, GuardianSeesOnlyTheirChildrenAndTheirClasses)
{
    auto result = services->database->write([](soci::session& session) -> ErrorOr<bool> {
        auto school = make_school(session);
        auto guardian = identity::store::find_user(session, school.guardian);
        EXPECT_TRUE(guardian.has_value());
        auto children = identity::store::children_of(session, school.guardian);
        EXPECT_EQ(children.size(), 1u);
        EXPECT_EQ(children.at(0).login, "louis.chamson");
        auto classes = identity::store::classes_of(session, *guardian);
        EXPECT_EQ(classes.size(), 1u);
        EXPECT_EQ(classes.at(0).name, "TPRO");
        auto teacher = identity::store::find_user(session, school.teacher);
        auto taught = identity::store::classes_of(session, *teacher);
        EXPECT_EQ(taught.size(), 1u);
        EXPECT_EQ(taught.at(0).name, "T STMG");
        return true;
    });
    ASSERT_FALSE(result.is_error()) << result.error().detail;
}

TEST_F(IdentityStore, LoginsAreUnique)
{
    auto first = services->database->write([](soci::session& session) -> ErrorOr<bool> {
        make_school(session);
        return true;
    });
    ASSERT_FALSE(first.is_error());
    auto again = services->database->write([](soci::session& session) -> ErrorOr<bool> {
        identity::User user;
        user.login = "andre.chamson";
        user.first_name = "Autre";
        user.last_name = "PERSONNE";
        user.structure_id = 1;
        identity::store::create_user(session, user, "");
        return true;
    });
    EXPECT_TRUE(again.is_error());
}

TEST_F(IdentityStore, FailedTransactionLeavesNothingBehind)
{
    auto failed = services->database->write([](soci::session& session) -> ErrorOr<bool> {
        make_school(session);
        return Error::invalid("abandon");
    });
    EXPECT_TRUE(failed.is_error());
    auto empty = services->database->read(
        [](soci::session& session) -> ErrorOr<bool> { return identity::store::is_empty(session); });
    ASSERT_FALSE(empty.is_error());
    EXPECT_TRUE(empty.value());
}

TEST_F(IdentityStore, SessionsExpireWhenIdleAndAfterTheirAbsoluteLimit)
{
    identity::SessionLimits limits { 100, 1000 };
    auto result = services->database->write([&](soci::session& session) -> ErrorOr<bool> {
        auto school = make_school(session);
        auto created = identity::sessions::create(session, school.guardian, "127.0.0.1", 5000);
        auto active = identity::sessions::resume(session, created.token, 5050, limits);
        EXPECT_TRUE(active.has_value());
        EXPECT_EQ(active->user.id, school.guardian);
        EXPECT_EQ(active->csrf_token, created.csrf_token);
        EXPECT_FALSE(identity::sessions::resume(session, created.token + "x", 5050, limits).has_value());
        identity::sessions::touch(session, active->digest, 5090);
        EXPECT_TRUE(identity::sessions::resume(session, created.token, 5180, limits).has_value());
        // Unused for 100 s: gone, and deleted.
        EXPECT_FALSE(identity::sessions::resume(session, created.token, 5290, limits).has_value());
        EXPECT_FALSE(identity::sessions::resume(session, created.token, 5100, limits).has_value());

        auto second = identity::sessions::create(session, school.guardian, "127.0.0.1", 10000);
        for (long long now = 10050; now < 11000; now += 50)
            identity::sessions::touch(session, identity::token_digest(second.token), now);
        EXPECT_FALSE(identity::sessions::resume(session, second.token, 11000, limits).has_value());
        return true;
    });
    ASSERT_FALSE(result.is_error()) << result.error().detail;
}

TEST_F(IdentityStore, SessionIdIsNotStoredInClear)
{
    auto result = services->database->write([&](soci::session& session) -> ErrorOr<bool> {
        auto school = make_school(session);
        auto created = identity::sessions::create(session, school.guardian, "127.0.0.1", 5000);
        long long clear = -1;
        session << "SELECT COUNT(*) FROM identity_session WHERE id_digest = :token", soci::use(created.token),
            soci::into(clear);
        EXPECT_EQ(clear, 0);
        return true;
    });
    ASSERT_FALSE(result.is_error()) << result.error().detail;
}

TEST_F(IdentityStore, FailuresAreCountedWithinTheWindow)
{
    auto result = services->database->write([&](soci::session& session) -> ErrorOr<bool> {
        for (long long at : { 100, 200, 300 })
            identity::sessions::record_failure(session, "account:louis", at);
        identity::sessions::record_failure(session, "account:emma", 300);
        EXPECT_EQ(identity::sessions::recent_failures(session, "account:louis", 150), 2);
        EXPECT_EQ(identity::sessions::recent_failures(session, "account:louis", 0), 3);
        identity::sessions::clear_failures(session, "account:louis");
        EXPECT_EQ(identity::sessions::recent_failures(session, "account:louis", 0), 0);
        EXPECT_EQ(identity::sessions::recent_failures(session, "account:emma", 0), 1);
        return true;
    });
    ASSERT_FALSE(result.is_error()) << result.error().detail;
}

} // namespace

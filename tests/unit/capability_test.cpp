// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/access/capability.h"
#include <gtest/gtest.h>

using namespace cartable;
using namespace cartable::access;

namespace {

CapabilityRegistry registry()
{
    CapabilityRegistry result;
    EXPECT_FALSE(result.declare({ "portal.read_public", Scope::Public, {}, Risk::Read, "" }).is_error());
    EXPECT_FALSE(result.declare({ "portal.read_home", Scope::SignedIn, {}, Risk::Read, "" }).is_error());
    EXPECT_FALSE(
        result.declare({ "lesson_book.write", Scope::Structure, { Profile::Teacher, Profile::Staff }, Risk::Write, "" })
            .is_error());
    EXPECT_FALSE(result.declare({ "admin.configure", Scope::Deployment, {}, Risk::Configuration, "" }).is_error());
    return result;
}

} // namespace

// Profile × capability → allowed, as a table.
TEST(Capabilities, DefaultsByProfileAndScope)
{
    auto const table = registry();
    struct Row {
        char const* capability;
        std::optional<Profile> profile;
        bool allowed;
        bool platform_admin { false };
    };
    Row const rows[] = {
        { "portal.read_public", std::nullopt, true },
        { "portal.read_public", Profile::Guardian, true },
        { "portal.read_home", std::nullopt, false },
        { "portal.read_home", Profile::Student, true },
        { "lesson_book.write", Profile::Teacher, true },
        { "lesson_book.write", Profile::Staff, true },
        { "lesson_book.write", Profile::Guardian, false },
        { "lesson_book.write", Profile::Student, false },
        { "lesson_book.write", std::nullopt, false },
        { "admin.configure", Profile::Admin, true, true }, // the platform's administrator
        { "admin.configure", Profile::Admin, false }, // a structure's administrator
        { "admin.configure", Profile::Staff, false, true },
        { "admin.configure", std::nullopt, false },
        { "unknown.capability", Profile::Admin, false },
    };
    for (auto const& row : rows) {
        EXPECT_EQ(table.allows(row.capability, row.profile, row.platform_admin), row.allowed)
            << row.capability << " for " << (row.profile ? profile_code(*row.profile) : "nobody");
    }
}

TEST(Capabilities, DeclaredOnceWithAWellFormedName)
{
    CapabilityRegistry registry;
    EXPECT_FALSE(registry.declare({ "mail.send", Scope::SignedIn, {}, Risk::Write, "" }).is_error());
    EXPECT_TRUE(registry.declare({ "mail.send", Scope::SignedIn, {}, Risk::Write, "" }).is_error());
    EXPECT_TRUE(registry.declare({ "sans_point", Scope::SignedIn, {}, Risk::Write, "" }).is_error());
    EXPECT_TRUE(registry.declare({ "Mail.Send", Scope::SignedIn, {}, Risk::Write, "" }).is_error());
    EXPECT_TRUE(registry.declare({ "mail.", Scope::SignedIn, {}, Risk::Write, "" }).is_error());
    // A structure capability nobody holds is a mistake.
    EXPECT_TRUE(registry.declare({ "mail.moderate", Scope::Structure, {}, Risk::Write, "" }).is_error());
}

TEST(Capabilities, ProfileCodesRoundTrip)
{
    for (auto profile : { Profile::Student, Profile::Guardian, Profile::Teacher, Profile::Staff, Profile::Admin }) {
        EXPECT_EQ(profile_from_code(profile_code(profile)), profile);
        EXPECT_FALSE(profile_label(profile).empty());
    }
    EXPECT_FALSE(profile_from_code("pirate").has_value());
    EXPECT_EQ(profile_label(Profile::Guardian), "Responsable légal");
}

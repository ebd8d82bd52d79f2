// SPDX-License-Identifier: AGPL-3.0-or-later
// Who sees a person's coordinates on their directory card: a table of
// viewers, people and liste rouge states.
#include "services/directory/directory.h"
#include <gtest/gtest.h>

using namespace cartable;
using access::Profile;

namespace {

identity::User person(long long id, Profile profile, long long structure, char const* function = "")
{
    identity::User user;
    user.id = id;
    user.profile = profile;
    user.structure_id = structure;
    user.function = function;
    return user;
}

} // namespace

TEST(DirectoryPolicy, CoordinatesByViewerStructureAndListeRouge)
{
    auto const andre = person(1, Profile::Guardian, 10);
    struct Case {
        char const* who;
        identity::User viewer;
        bool unlisted;
        bool sees;
    };
    Case const cases[] = {
        { "the person himself, on the liste rouge", person(1, Profile::Guardian, 10), true, true },
        { "another guardian, not on the liste rouge", person(2, Profile::Guardian, 10), false, true },
        { "another guardian, liste rouge", person(2, Profile::Guardian, 10), true, false },
        { "a teacher, liste rouge", person(3, Profile::Teacher, 10), true, false },
        { "a student, liste rouge", person(4, Profile::Student, 10), true, false },
        { "the CPE, liste rouge", person(5, Profile::Staff, 10, "CPE"), true, true },
        { "the proviseur, liste rouge", person(6, Profile::Staff, 10, "Proviseur"), true, true },
        { "the principale adjointe, liste rouge", person(7, Profile::Staff, 10, "Principale adjointe"), true, true },
        { "the secretariat, liste rouge", person(8, Profile::Staff, 10, "Secrétaire de direction"), true, true },
        { "a kitchen agent, liste rouge", person(9, Profile::Staff, 10, "Agent de restauration"), true, false },
        { "an administrator, liste rouge", person(11, Profile::Admin, 10), true, true },
        { "a guardian of another structure, not on the liste rouge", person(12, Profile::Guardian, 20), false, false },
        { "the CPE of another structure, liste rouge", person(13, Profile::Staff, 20, "CPE"), true, false },
        { "an administrator of another structure", person(14, Profile::Admin, 20), false, false },
    };
    for (auto const& entry : cases) {
        identity::Contact contact;
        contact.unlisted = entry.unlisted;
        EXPECT_EQ(directory::may_see_coordinates(entry.viewer, andre, contact), entry.sees) << entry.who;
    }
}

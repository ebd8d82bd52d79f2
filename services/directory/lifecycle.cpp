// SPDX-License-Identifier: AGPL-3.0-or-later
#include "services/directory/lifecycle.h"
#include "core/identity/identity_store.h"
#include <string>
#include <vector>

namespace cartable::directory {

long long delete_expired_personal_data(
    soci::session& session, long long now, std::vector<DepartureHandler> const& handlers)
{
    long long before = now - RETENTION_SECONDS;
    std::vector<long long> people;
    long long id = 0;
    soci::statement statement = (session.prepare << "SELECT id FROM identity_user WHERE active = 0 AND departed_at > 0 "
                                                    "AND departed_at <= :before AND personal_data_deleted_at = 0",
        soci::use(before), soci::into(id));
    statement.execute();
    while (statement.fetch())
        people.push_back(id);
    for (auto person : people) {
        if (auto former = identity::store::find_user(session, person)) {
            long long erase = 0;
            session << "SELECT erase_contributions FROM identity_user WHERE id = :id", soci::use(person),
                soci::into(erase);
            for (auto const& handler : handlers)
                handler(session, *former, erase != 0);
        }
        auto login = "ancien-membre-" + std::to_string(person);
        session << "UPDATE identity_user SET login = :login, civility = '', first_name = 'Ancien', "
                   "last_name = 'membre', function = '', password_hash = '', birth_date = '', external_id = '', "
                   "mef_id = '', personal_data_deleted_at = :now WHERE id = :id",
            soci::use(login), soci::use(now), soci::use(person);
        for (char const* table : { "identity_contact", "preferences_person", "identity_session", "identity_api_token",
                 "identity_class_member", "directory_function", "identity_charter_acceptance" }) {
            session << (std::string("DELETE FROM ") + table + " WHERE user_id = :id"), soci::use(person);
        }
        session << "DELETE FROM identity_guardian_link WHERE guardian_id = :id OR student_id = :again",
            soci::use(person), soci::use(person);
        session << "DELETE FROM identity_account_link WHERE first_id = :id OR second_id = :again", soci::use(person),
            soci::use(person);
        session << "DELETE FROM identity_teaching WHERE teacher_id = :id", soci::use(person);
        session << "DELETE FROM directory_head_teacher WHERE teacher_id = :id", soci::use(person);
        identity::store::audit(session, std::nullopt, "personal_data_deleted", "user " + std::to_string(person));
    }
    return static_cast<long long>(people.size());
}

} // namespace cartable::directory

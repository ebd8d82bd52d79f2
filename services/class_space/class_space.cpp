// SPDX-License-Identifier: AGPL-3.0-or-later
#include "services/class_space/class_space.h"
#include "core/context.h"
#include "core/log.h"
#include <ctime>

namespace cartable::class_space {

Role role_of(identity::User const& person, Space const& space, Membership const& facts)
{
    if (!person.active || person.structure_id != space.structure_id)
        return Role::None;
    switch (person.profile) {
    case access::Profile::Admin:
    case access::Profile::Staff:
        return Role::Manager;
    case access::Profile::Teacher:
        return facts.teaches ? Role::Manager : Role::None;
    case access::Profile::Student:
        return facts.member ? Role::Contributor : Role::None;
    case access::Profile::Guardian:
        return facts.guardian_of_member && space.visitors_allowed ? Role::Visitor : Role::None;
    }
    return Role::None;
}

std::string_view role_label(Role role)
{
    switch (role) {
    case Role::Manager:
        return "gestionnaire";
    case Role::Contributor:
        return "contributeur";
    case Role::Visitor:
        return "visiteur";
    case Role::None:
        break;
    }
    return "";
}

bool may_read(Role role)
{
    return role != Role::None;
}

bool may_post(Role role)
{
    return role == Role::Contributor || role == Role::Manager;
}

bool may_manage(Role role)
{
    return role == Role::Manager;
}

long long ensure_spaces(soci::session& session, long long now)
{
    soci::statement statement = (session.prepare
            << "INSERT INTO class_space (structure_id, class_id, name, kind, created_at) SELECT c.structure_id, "
               "c.id, c.name, c.kind, :now FROM identity_class c WHERE NOT EXISTS (SELECT 1 FROM class_space s "
               "WHERE s.class_id = c.id)",
        soci::use(now));
    statement.execute(true);
    return statement.get_affected_rows();
}

std::optional<Space> space_of_class(soci::session& session, long long class_id)
{
    Space space;
    long long visitors = 0;
    long long comments = 0;
    session << "SELECT id, structure_id, class_id, name, kind, visitors_allowed, comments_allowed, archived_at FROM "
               "class_space WHERE class_id = :class",
        soci::use(class_id), soci::into(space.id), soci::into(space.structure_id), soci::into(space.class_id),
        soci::into(space.name), soci::into(space.kind), soci::into(visitors), soci::into(comments),
        soci::into(space.archived_at);
    if (!session.got_data())
        return std::nullopt;
    space.visitors_allowed = visitors != 0;
    space.comments_allowed = comments != 0;
    return space;
}

Membership membership(soci::session& session, identity::User const& person, Space const& space)
{
    Membership facts;
    long long count = 0;
    switch (person.profile) {
    case access::Profile::Teacher:
        session << "SELECT COUNT(*) FROM identity_teaching WHERE teacher_id = :person AND class_id = :class",
            soci::use(person.id), soci::use(space.class_id), soci::into(count);
        facts.teaches = count > 0;
        break;
    case access::Profile::Student:
        session << "SELECT COUNT(*) FROM identity_class_member WHERE user_id = :person AND class_id = :class",
            soci::use(person.id), soci::use(space.class_id), soci::into(count);
        facts.member = count > 0;
        break;
    case access::Profile::Guardian:
        session << "SELECT COUNT(*) FROM identity_guardian_link g JOIN identity_class_member m ON m.user_id = "
                   "g.student_id JOIN identity_user u ON u.id = g.student_id WHERE g.guardian_id = :person AND "
                   "m.class_id = :class AND u.active = 1",
            soci::use(person.id), soci::use(space.class_id), soci::into(count);
        facts.guardian_of_member = count > 0;
        break;
    default:
        break;
    }
    return facts;
}

ErrorOr<void> start(Services& services)
{
    auto made = services.database->write([](soci::session& session) -> ErrorOr<long long> {
        return ensure_spaces(session, static_cast<long long>(std::time(nullptr)));
    });
    if (made.is_error())
        return made.error();
    if (made.value() > 0)
        log::info("class spaces made for " + std::to_string(made.value()) + " classes and groups");
    return {};
}

} // namespace cartable::class_space

// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/context.h"
#include "core/log.h"
#include "services/class_space/class_space_internal.h"
#include "services/class_space/forum_internal.h"
#include <algorithm>
#include <ctime>

namespace cartable::class_space {

Role role_of(identity::User const& person, Space const& space, Membership const& facts)
{
    if (!person.active || person.structure_id != space.structure_id)
        return Role::None;
    auto const from_directory = [&] {
        if (space.class_id == 0) // a free space: its members only, and the structure's administrators
            return person.profile == access::Profile::Admin ? Role::Manager : Role::None;
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
    }();
    return std::max(from_directory, facts.invited);
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

namespace {

constexpr char const* SPACE_COLUMNS = "SELECT id, structure_id, COALESCE(class_id, 0), name, kind, visitors_allowed, "
                                      "comments_allowed, archived_at, COALESCE(owner_id, 0), description FROM "
                                      "class_space ";

struct SpaceRow {
    Space space;
    long long visitors { 0 };
    long long comments { 0 };
};

void bind_space(soci::statement& statement, SpaceRow& row)
{
    statement.exchange(soci::into(row.space.id));
    statement.exchange(soci::into(row.space.structure_id));
    statement.exchange(soci::into(row.space.class_id));
    statement.exchange(soci::into(row.space.name));
    statement.exchange(soci::into(row.space.kind));
    statement.exchange(soci::into(row.visitors));
    statement.exchange(soci::into(row.comments));
    statement.exchange(soci::into(row.space.archived_at));
    statement.exchange(soci::into(row.space.owner_id));
    statement.exchange(soci::into(row.space.description));
}

Space finished(SpaceRow const& row)
{
    auto space = row.space;
    space.visitors_allowed = row.visitors != 0;
    space.comments_allowed = row.comments != 0;
    return space;
}

std::optional<Space> one_space(soci::session& session, std::string const& where, long long id)
{
    SpaceRow row;
    soci::statement statement(session);
    bind_space(statement, row);
    statement.exchange(soci::use(id));
    statement.alloc();
    statement.prepare(std::string(SPACE_COLUMNS) + where);
    statement.define_and_bind();
    if (!statement.execute(true))
        return std::nullopt;
    return finished(row);
}

} // namespace

std::optional<Space> space_of_class(soci::session& session, long long class_id)
{
    return one_space(session, "WHERE class_id = :class", class_id);
}

std::optional<Space> space_by_id(soci::session& session, long long space_id)
{
    return one_space(session, "WHERE id = :id", space_id);
}

std::vector<Space> spaces_of(soci::session& session, identity::User const& person)
{
    std::vector<Space> result;
    if (!person.active)
        return result;
    // Candidates from the directory and the invitations, then the policy.
    std::string where;
    switch (person.profile) {
    case access::Profile::Admin:
    case access::Profile::Staff:
        where = "WHERE structure_id = :structure AND (class_id IS NOT NULL OR owner_id = :person OR id IN (SELECT "
                "space_id FROM class_space_member WHERE user_id = :person))";
        break;
    case access::Profile::Teacher:
        where = "WHERE structure_id = :structure AND (class_id IN (SELECT class_id FROM identity_teaching WHERE "
                "teacher_id = :person) OR owner_id = :person OR id IN (SELECT space_id FROM class_space_member "
                "WHERE user_id = :person))";
        break;
    case access::Profile::Student:
        where = "WHERE structure_id = :structure AND (class_id IN (SELECT class_id FROM identity_class_member "
                "WHERE user_id = :person) OR owner_id = :person OR id IN (SELECT space_id FROM "
                "class_space_member WHERE user_id = :person))";
        break;
    case access::Profile::Guardian:
        where = "WHERE structure_id = :structure AND ((visitors_allowed = 1 AND class_id IN (SELECT m.class_id FROM "
                "identity_guardian_link g JOIN identity_class_member m ON m.user_id = g.student_id JOIN "
                "identity_user u ON u.id = g.student_id WHERE g.guardian_id = :person AND u.active = 1)) OR "
                "owner_id = :person OR id IN (SELECT space_id FROM class_space_member WHERE user_id = :person))";
        break;
    }
    SpaceRow row;
    soci::statement statement(session);
    bind_space(statement, row);
    // soci binds by position: the person's id once for each placeholder.
    statement.exchange(soci::use(person.structure_id));
    std::size_t placeholders = 0;
    for (auto at = where.find(":person"); at != std::string::npos; at = where.find(":person", at + 1))
        where.insert(at + 7, std::to_string(++placeholders)); // distinct names: ":person1", ":person2"
    std::vector<long long> ids(placeholders, person.id);
    for (auto& id : ids)
        statement.exchange(soci::use(id));
    statement.alloc();
    statement.prepare(std::string(SPACE_COLUMNS) + where + " ORDER BY archived_at <> 0, kind, name, id");
    statement.define_and_bind();
    statement.execute();
    while (statement.fetch())
        result.push_back(finished(row));
    // Staff and administrators manage every class, but their menu lists the
    // classes they are in: the others are reached from the console.
    return result;
}

Membership membership(soci::session& session, identity::User const& person, Space const& space)
{
    Membership facts;
    long long count = 0;
    std::string invited;
    session << "SELECT role FROM class_space_member WHERE space_id = :space AND user_id = :person", soci::use(space.id),
        soci::use(person.id), soci::into(invited);
    if (session.got_data())
        facts.invited = invited == "manager" ? Role::Manager
            : invited == "contributor"       ? Role::Contributor
                                             : Role::Visitor;
    if (space.class_id == 0)
        return facts;
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
    forum::add_hooks(services);
    auto made = services.database->write([](soci::session& session) -> ErrorOr<long long> {
        return ensure_spaces(session, static_cast<long long>(std::time(nullptr)));
    });
    if (made.is_error())
        return made.error();
    if (made.value() > 0)
        log::info("class spaces made for " + std::to_string(made.value()) + " classes and groups");
    auto purged = services.database->write([](soci::session& session) -> ErrorOr<long long> {
        return purge_archived_spaces(session, static_cast<long long>(std::time(nullptr)));
    });
    if (purged.is_error())
        return purged.error();
    if (purged.value() > 0)
        log::info("class spaces archived more than a year ago deleted: " + std::to_string(purged.value()));
    start_space_list(services);
    return {};
}

} // namespace cartable::class_space

// SPDX-License-Identifier: AGPL-3.0-or-later
// The page of a class's space (« Classe TPRO »): who is in it and, for its
// managers, its settings. Nobody outside the space learns anything of it,
// not even that it exists.
#include "core/context.h"
#include "core/identity/identity_store.h"
#include "core/text.h"
#include "core/view/frame.h"
#include "services/class_space/class_space.h"
#include <charconv>
#include <ctime>

namespace cartable::class_space {

namespace {

constexpr char const* READ = "class_space.read";
constexpr char const* MANAGE = "class_space.manage";

struct Loaded {
    Space space;
    Role role { Role::None };
};

// The space of the path's class, and the person's role in it; « not found »
// when the person has none.
ErrorOr<Loaded> space_in_reach(Context& context)
{
    auto class_id = parse_id(context.request.parameter("id"));
    if (class_id == 0)
        return Error::not_found();
    auto const& person = context.user();
    auto loaded = TRY(context.database().read([&](soci::session& session) -> ErrorOr<std::optional<Loaded>> {
        auto space = space_of_class(session, class_id);
        if (!space)
            return std::optional<Loaded>();
        return std::optional<Loaded>(Loaded { *space, role_of(person, *space, membership(session, person, *space)) });
    }));
    if (!loaded) {
        // A class made since the last start: its space is made now.
        TRY(context.database().write(
            [&](soci::session& session) -> ErrorOr<long long> { return ensure_spaces(session, context.now); }));
        loaded = TRY(context.database().read([&](soci::session& session) -> ErrorOr<std::optional<Loaded>> {
            auto space = space_of_class(session, class_id);
            if (!space)
                return std::optional<Loaded>();
            return std::optional<Loaded>(
                Loaded { *space, role_of(person, *space, membership(session, person, *space)) });
        }));
    }
    if (!loaded || loaded->role == Role::None)
        return Error::not_found();
    return *loaded;
}

std::string title_of(Space const& space)
{
    return (space.kind == "group" ? "Groupe " : "Classe ") + space.name;
}

ErrorOr<http::Response> show_space(Context& context)
{
    auto const loaded = TRY(space_in_reach(context));
    auto const& space = loaded.space;
    auto const role = loaded.role;
    struct People {
        std::vector<std::pair<std::string, std::string>> teachers; // name, subject
        std::vector<std::string> students;
    };
    auto people = TRY(context.database().read([&](soci::session& session) -> ErrorOr<People> {
        People result;
        std::string first;
        std::string last;
        std::string subject;
        {
            soci::statement statement = (session.prepare
                    << "SELECT u.first_name, u.last_name, s.label FROM identity_teaching t JOIN identity_user u ON "
                       "u.id = t.teacher_id JOIN identity_subject s ON s.id = t.subject_id WHERE t.class_id = :class "
                       "AND u.active = 1 ORDER BY u.last_name, u.first_name",
                soci::use(space.class_id), soci::into(first), soci::into(last), soci::into(subject));
            statement.execute();
            while (statement.fetch())
                result.teachers.emplace_back(std::string(first).append(" ").append(last), subject);
        }
        soci::statement statement = (session.prepare
                << "SELECT u.first_name, u.last_name FROM identity_class_member m JOIN identity_user u ON u.id = "
                   "m.user_id WHERE m.class_id = :class AND u.active = 1 ORDER BY u.last_name, u.first_name",
            soci::use(space.class_id), soci::into(first), soci::into(last));
        statement.execute();
        while (statement.fetch())
            result.students.push_back(std::string(first).append(" ").append(last));
        return result;
    }));
    view::Data data;
    data.set("title", title_of(space));
    data.set("class_id", std::to_string(space.class_id));
    data.set("role", std::string(role_label(role)));
    data.set("visitor", role == Role::Visitor);
    data.set("manager", may_manage(role));
    data.set("visitors_allowed", space.visitors_allowed);
    data.set("comments_allowed", space.comments_allowed);
    data.set("archived", space.archived_at != 0);
    data.set("saved", context.request.query.get("enregistre") == "1");
    view::List teachers;
    for (auto const& [name, subject] : people.teachers) {
        view::Data entry;
        entry.set("name", name);
        entry.set("subject", subject);
        teachers.push_back(std::move(entry));
    }
    data.set("teachers", std::move(teachers));
    // Guardians visit: the class's teachers, not the other families' children.
    if (role != Role::Visitor) {
        view::List students;
        for (auto const& name : people.students) {
            view::Data entry;
            entry.set("name", name);
            students.push_back(std::move(entry));
        }
        data.set("show_students", true);
        data.set("student_count", std::to_string(people.students.size()));
        data.set("students", std::move(students));
    }
    return view::render(context, "class_space/space", std::move(data), title_of(space));
}

ErrorOr<http::Response> save_settings(Context& context)
{
    auto const loaded = TRY(space_in_reach(context));
    auto const& space = loaded.space;
    auto const role = loaded.role;
    if (!may_manage(role))
        return Error::forbidden("Seuls les gestionnaires de l'espace (ses enseignants) en changent les paramètres.",
            "space settings refused to a " + std::string(role_label(role)));
    long long visitors = context.request.form.get("visiteurs") == "1" ? 1 : 0;
    long long comments = context.request.form.get("commentaires") == "1" ? 1 : 0;
    auto const actor = context.user().id;
    TRY(context.database().write([&](soci::session& session) -> ErrorOr<bool> {
        session << "UPDATE class_space SET visitors_allowed = :visitors, comments_allowed = :comments WHERE id = :id",
            soci::use(visitors), soci::use(comments), soci::use(space.id);
        identity::store::audit(session, actor, "class_space_settings",
            title_of(space) + (visitors ? " : parents visiteurs" : " : sans visiteurs")
                + (comments ? ", commentaires" : ", sans commentaires"));
        return true;
    }));
    return http::Response::redirect("/classes/" + std::to_string(space.class_id) + "?enregistre=1");
}

} // namespace

ErrorOr<void> declare_capabilities(access::CapabilityRegistry& registry)
{
    TRY(registry.declare({ READ, access::Scope::SignedIn, {}, access::Risk::Read,
        "Entrer dans l'espace d'une de ses classes (selon son rôle dans l'espace)" }));
    return registry.declare({ MANAGE, access::Scope::SignedIn, {}, access::Risk::Write,
        "Changer les paramètres d'un espace de classe (ses gestionnaires)" });
}

std::vector<http::Route> routes()
{
    using http::Method;
    return {
        { Method::Get, "/classes/{id}", READ, show_space },
        { Method::Post, "/classes/{id}/parametres", MANAGE, save_settings },
    };
}

} // namespace cartable::class_space

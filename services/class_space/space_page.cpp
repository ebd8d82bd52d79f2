// SPDX-License-Identifier: AGPL-3.0-or-later
// The page of a class's space (« Classe TPRO »): who is in it and, for its
// managers, its settings. Nobody outside the space learns anything of it,
// not even that it exists.
#include "core/context.h"
#include "core/identity/identity_store.h"
#include "core/text.h"
#include "core/view/frame.h"
#include "services/class_space/class_space_internal.h"
#include <charconv>
#include <ctime>

namespace cartable::class_space {

namespace {

// The space, and the person's role; a class made since the last start gets
// its space first.
ErrorOr<std::optional<Loaded>> load(Context& context, long long space_id)
{
    auto const& person = context.user();
    return context.database().read([&](soci::session& session) -> ErrorOr<std::optional<Loaded>> {
        auto space = space_by_id(session, space_id);
        if (!space)
            return std::optional<Loaded>();
        return std::optional<Loaded>(Loaded { *space, role_of(person, *space, membership(session, person, *space)) });
    });
}

} // namespace

ErrorOr<Loaded> space_in_reach(Context& context, long long space_id)
{
    if (space_id == 0 || !context.signed_in())
        return Error::not_found();
    auto loaded = TRY(load(context, space_id));
    if (!loaded || loaded->role == Role::None)
        return Error::not_found();
    return *loaded;
}

ErrorOr<Loaded> space_in_reach(Context& context)
{
    return space_in_reach(context, parse_id(context.request.parameter("space")));
}

ErrorOr<void> require_post(Loaded const& loaded)
{
    if (loaded.space.archived_at != 0)
        return Error::forbidden("Cet espace est archivé : il se lit sans se modifier.", "archived space");
    if (!may_post(loaded.role))
        return Error::forbidden("En visiteur, vous pouvez lire cet espace, sans y publier.",
            "post refused to a " + std::string(role_label(loaded.role)));
    return {};
}

ErrorOr<void> require_manage(Loaded const& loaded)
{
    if (!may_manage(loaded.role))
        return Error::forbidden("Seuls les gestionnaires de l'espace (ses enseignants) peuvent le faire.",
            "management refused to a " + std::string(role_label(loaded.role)));
    if (loaded.space.archived_at != 0)
        return Error::forbidden("Cet espace est archivé : il se lit sans se modifier.", "archived space");
    return {};
}

std::string space_path(Space const& space)
{
    return "/espaces/" + std::to_string(space.id);
}

std::string title_of(Space const& space)
{
    if (space.kind == "free")
        return space.name;
    return (space.kind == "group" ? "Groupe " : "Classe ") + space.name;
}

http::Response render_tab(Context& context, Loaded const& loaded, Tab tab, std::string_view template_name,
    view::Data data, std::string const& page_title)
{
    auto const& space = loaded.space;
    auto const base = space_path(space);
    auto const archived = space.archived_at != 0;
    data.set("space_path", base);
    data.set("may_post", may_post(loaded.role) && !archived);
    data.set("may_manage", may_manage(loaded.role) && !archived);
    data.set("archived", archived);
    data.set("csrf_token", context.csrf_token());
    view::Data frame;
    frame.set("title", title_of(space));
    frame.set("role", std::string(role_label(loaded.role)));
    frame.set("visitor", loaded.role == Role::Visitor);
    frame.set("archived", archived);
    frame.set("restorable", archived && may_manage(loaded.role));
    frame.set("space_path", base);
    frame.set("csrf_token", context.csrf_token());
    struct Entry {
        Tab tab;
        char const* label;
        char const* path;
    };
    static constexpr Entry ENTRIES[] = {
        { Tab::Blog, "Blog", "" },
        { Tab::Agenda, "Agenda", "/agenda" },
        { Tab::Forum, "Forum", "/forum" },
        { Tab::Chat, "Chat", "/chat" },
        { Tab::Folders, "Dossiers partagés", "/dossiers" },
        { Tab::Members, "Membres", "/membres" },
    };
    view::List tabs;
    for (auto const& entry : ENTRIES) {
        view::Data item;
        item.set("label", entry.label);
        item.set("url", base + entry.path);
        item.set("current", entry.tab == tab);
        tabs.push_back(std::move(item));
    }
    frame.set("tabs", std::move(tabs));
    frame.set("body", view::Templates::instance().render(template_name, data));
    auto title = page_title.empty() ? title_of(space) : page_title + " – " + title_of(space);
    return view::render(context, "class_space/space_frame", std::move(frame), std::move(title));
}

namespace {

ErrorOr<http::Response> class_to_space(Context& context)
{
    auto class_id = parse_id(context.request.parameter("id"));
    if (class_id == 0)
        return Error::not_found();
    auto space = TRY(context.database().read(
        [&](soci::session& session) -> ErrorOr<std::optional<Space>> { return space_of_class(session, class_id); }));
    if (!space) {
        // A class made since the last start: its space is made now.
        TRY(context.database().write(
            [&](soci::session& session) -> ErrorOr<long long> { return ensure_spaces(session, context.now); }));
        space = TRY(context.database().read([&](soci::session& session) -> ErrorOr<std::optional<Space>> {
            return space_of_class(session, class_id);
        }));
    }
    if (!space)
        return Error::not_found();
    auto loaded = TRY(space_in_reach(context, space->id));
    return http::Response::redirect(space_path(loaded.space));
}

ErrorOr<http::Response> show_members(Context& context)
{
    auto const loaded = TRY(space_in_reach(context));
    auto const& space = loaded.space;
    auto const role = loaded.role;
    struct Invited {
        long long id;
        std::string name;
        std::string role;
    };
    struct People {
        std::vector<std::pair<std::string, std::string>> teachers; // name, subject
        std::vector<std::string> students;
        std::vector<Invited> invited;
        std::vector<identity::User> found;
    };
    auto const query = std::string(trim_text(context.request.query.get("q")));
    auto const searching = may_manage(role) && space.archived_at == 0 && query.size() >= 2;
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
        {
            soci::statement statement = (session.prepare
                    << "SELECT u.first_name, u.last_name FROM identity_class_member m JOIN identity_user u ON u.id = "
                       "m.user_id WHERE m.class_id = :class AND u.active = 1 ORDER BY u.last_name, u.first_name",
                soci::use(space.class_id), soci::into(first), soci::into(last));
            statement.execute();
            while (statement.fetch())
                result.students.push_back(std::string(first).append(" ").append(last));
        }
        long long id = 0;
        std::string code;
        {
            soci::statement statement = (session.prepare
                    << "SELECT u.id, u.first_name, u.last_name, m.role FROM class_space_member m JOIN identity_user u "
                       "ON u.id = m.user_id WHERE m.space_id = :space ORDER BY u.last_name, u.first_name",
                soci::use(space.id), soci::into(id), soci::into(first), soci::into(last), soci::into(code));
            statement.execute();
            while (statement.fetch()) {
                auto const invited = code == "manager" ? Role::Manager
                    : code == "contributor"            ? Role::Contributor
                                                       : Role::Visitor;
                result.invited.push_back(
                    { id, std::string(first).append(" ").append(last), std::string(role_label(invited)) });
            }
        }
        if (searching) {
            auto pattern = like_containing(query);
            std::vector<long long> ids;
            soci::statement statement = (session.prepare
                    << "SELECT id FROM identity_user WHERE structure_id = :structure AND active = 1 AND "
                       "LOWER(first_name || ' ' || last_name) LIKE :pattern ESCAPE '\\' ORDER BY last_name, "
                       "first_name, id LIMIT 20",
                soci::use(space.structure_id), soci::use(pattern), soci::into(id));
            statement.execute();
            while (statement.fetch())
                ids.push_back(id);
            result.found = identity::store::find_users(session, ids);
        }
        return result;
    }));
    view::Data data;
    data.set("manager", may_manage(role) && space.archived_at == 0);
    data.set("visitors_allowed", space.visitors_allowed);
    data.set("comments_allowed", space.comments_allowed);
    data.set("saved", context.request.query.get("enregistre") == "1");
    view::List teachers;
    for (auto const& [name, subject] : people.teachers) {
        view::Data entry;
        entry.set("name", name);
        entry.set("subject", subject);
        teachers.push_back(std::move(entry));
    }
    data.set("teachers", std::move(teachers));
    auto const base = space_path(space);
    view::List invited;
    for (auto const& member : people.invited) {
        view::Data entry;
        entry.set("name", member.name);
        entry.set("role", member.role);
        entry.set("remove_url", base + "/membres/" + std::to_string(member.id) + "/retirer");
        invited.push_back(std::move(entry));
    }
    data.set("has_invited", !invited.empty());
    data.set("invited", std::move(invited));
    data.set("free", space.class_id == 0);
    data.set("description", space.description);
    data.set("query", query);
    data.set("searching", searching);
    view::List found;
    for (auto const& person : people.found) {
        view::Data entry;
        entry.set("id", std::to_string(person.id));
        entry.set("name", person.display_name());
        entry.set("profile", std::string(access::profile_label(person.profile)));
        entry.set("guardian", person.profile == access::Profile::Guardian);
        found.push_back(std::move(entry));
    }
    data.set("has_found", !found.empty());
    data.set("found", std::move(found));
    auto notice = context.request.query.get("fait");
    if (notice == "invite")
        data.set("notice", "La personne est ajoutée à l'espace.");
    else if (notice == "retire")
        data.set("notice", "La personne est retirée de l'espace.");
    else if (notice == "cree")
        data.set("notice", "L'espace est créé. Invitez-y ses membres.");
    auto error = context.request.query.get("erreur");
    if (error == "personne")
        data.set("error", "Cette personne ne peut pas être ajoutée à l'espace.");
    else if (error == "role")
        data.set("error", "Choisissez le rôle de la personne dans l'espace.");
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
    return render_tab(context, loaded, Tab::Members, "class_space/members", std::move(data), "Membres");
}

ErrorOr<http::Response> save_settings(Context& context)
{
    auto const loaded = TRY(space_in_reach(context));
    auto const& space = loaded.space;
    TRY(require_manage(loaded));
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
    forget_latest(context.services);
    forget_spaces(context);
    return http::Response::redirect(space_path(space) + "/membres?enregistre=1");
}

} // namespace

ErrorOr<void> declare_capabilities(access::CapabilityRegistry& registry)
{
    TRY(registry.declare({ READ, access::Scope::SignedIn, {}, access::Risk::Read,
        "Entrer dans l'espace d'une de ses classes (selon son rôle dans l'espace)" }));
    TRY(declare_space_list_capabilities(registry));
    TRY(registry.declare({ POST, access::Scope::SignedIn, {}, access::Risk::Write,
        "Publier dans un espace de classe : article, commentaire, message, fichier (ses contributeurs)" }));
    TRY(declare_agenda_capabilities(registry));
    return registry.declare({ MANAGE, access::Scope::SignedIn, {}, access::Risk::Write,
        "Changer les paramètres d'un espace de classe (ses gestionnaires)" });
}

std::vector<http::Route> routes()
{
    using http::Method;
    std::vector<http::Route> all {
        { Method::Get, "/classes/{id}", READ, class_to_space },
        { Method::Get, "/espaces/{space}/membres", READ, show_members },
        { Method::Post, "/espaces/{space}/parametres", MANAGE, save_settings },
    };
    for (auto part : { space_list_routes, blog_routes, agenda_routes, forum_routes, chat_routes, folder_routes }) {
        for (auto& route : part())
            all.push_back(std::move(route));
    }
    return all;
}

} // namespace cartable::class_space

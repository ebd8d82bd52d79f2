// SPDX-License-Identifier: AGPL-3.0-or-later
// The person's spaces: the menu's « ESPACE DES CLASSES », « Mes espaces »
// with the free spaces teachers make and the people they invite, the end
// of the school year (archived read-only, restorable for a year), and the
// Accueil's « Blogs & Forums ».
#include "core/db/id_lists.h"
#include "core/html/rich_text.h"
#include "core/i18n/format.h"
#include "core/identity/identity_store.h"
#include "core/log.h"
#include "core/text.h"
#include "core/validate.h"
#include "core/view/frame.h"
#include "services/class_space/class_space_internal.h"
#include <algorithm>

namespace cartable::class_space {

namespace {

constexpr char const* CREATE = "class_space.create";
constexpr char const* ARCHIVE = "class_space.archive";
constexpr long long YEAR = 365LL * 24 * 3600;
constexpr std::size_t MAX_NAME = 80;
constexpr std::size_t MAX_DESCRIPTION = 500;

std::string spaces_key(long long person_id)
{
    return "class_space.spaces." + std::to_string(person_id);
}

} // namespace

ErrorOr<std::vector<Space>> cached_spaces(Context& context)
{
    auto const& person = context.user();
    return cached_personal_result<std::vector<Space>>(context, spaces_key(person.id),
        [&](soci::session& session) -> ErrorOr<std::vector<Space>> { return spaces_of(session, person); });
}

void forget_spaces(Context& context)
{
    // Who sees a space changes for many people at once (the guardians of a
    // class when visitors are let in): everyone's list is read again.
    context.services.personal_results.forget_all();
}

namespace {

void add_spaces_to_frame(Context& context, view::Data& data)
{
    auto spaces = cached_spaces(context);
    if (spaces.is_error()) {
        log::error("class spaces in the frame: " + spaces.error().detail);
        return;
    }
    view::List list;
    auto const& path = context.request.path;
    for (auto const& space : spaces.value()) {
        if (space.archived_at != 0)
            continue;
        view::Data entry;
        entry.set("label", title_of(space));
        auto url = space_path(space);
        entry.set("current", path == url || path.starts_with(url + "/"));
        entry.set("url", std::move(url));
        list.push_back(std::move(entry));
    }
    data.set("classes", std::move(list));
}

bool may_create(identity::User const& person)
{
    return person.profile == access::Profile::Teacher || person.profile == access::Profile::Staff
        || person.profile == access::Profile::Admin;
}

// ---------------------------------------------------------------- « Mes espaces »

ErrorOr<http::Response> render_spaces(Context& context, std::string const& name, std::string const& description,
    std::vector<std::string> const& errors, int status)
{
    auto spaces = TRY(context.database().read(
        [&](soci::session& session) -> ErrorOr<std::vector<Space>> { return spaces_of(session, context.user()); }));
    view::Data data;
    view::List current;
    view::List archived;
    for (auto const& space : spaces) {
        view::Data entry;
        entry.set("title", title_of(space));
        entry.set("url", space_path(space));
        entry.set("description", space.description);
        if (space.archived_at != 0) {
            entry.set("archived_on", i18n::format_long_date(space.archived_at));
            entry.set("until", i18n::format_long_date(space.archived_at + YEAR));
            archived.push_back(std::move(entry));
        } else {
            current.push_back(std::move(entry));
        }
    }
    data.set("has_spaces", !current.empty());
    data.set("spaces", std::move(current));
    data.set("has_archived", !archived.empty());
    data.set("archived", std::move(archived));
    data.set("may_create", may_create(context.user()));
    data.set("may_archive_year", context.user().profile == access::Profile::Admin);
    data.set("name", name);
    data.set("description", description);
    data.set("has_errors", !errors.empty());
    data.set("errors", text_list(errors));
    auto notice = context.request.query.get("fait");
    if (notice == "archives")
        data.set("notice", "Les espaces de l'année sont archivés : ils se lisent sans se modifier pendant un an.");
    return view::render(context, "class_space/spaces", std::move(data), "Mes espaces", view::MenuEntry::None, status);
}

ErrorOr<http::Response> show_spaces(Context& context)
{
    return render_spaces(context, {}, {}, {}, 200);
}

ErrorOr<http::Response> create_space(Context& context)
{
    auto const& person = context.user();
    if (!may_create(person))
        return Error::forbidden(
            "Seuls les enseignants et les personnels créent des espaces.", "space creation refused");
    auto name = std::string(trim_text(context.request.form.get("nom")));
    auto description = std::string(trim_text(context.request.form.get("description")));
    std::vector<std::string> errors;
    if (name.empty())
        errors.emplace_back("Donnez un nom à l'espace.");
    else if (!validate::is_utf8(name) || validate::character_count(name) > MAX_NAME)
        errors.emplace_back("Le nom de l'espace ne doit pas dépasser 80 caractères.");
    if (!validate::is_utf8(description) || validate::character_count(description) > MAX_DESCRIPTION)
        errors.emplace_back("La description ne doit pas dépasser 500 caractères.");
    if (!errors.empty())
        return render_spaces(context, name, description, errors, 400);
    auto const now = context.now;
    auto id = TRY(context.database().write([&](soci::session& session) -> ErrorOr<long long> {
        std::string const kind = "free";
        auto space_id = insert_returning_id(session,
            "INSERT INTO class_space (structure_id, name, kind, owner_id, description, created_at) VALUES "
            "(:structure, :name, :kind, :owner, :description, :now)",
            person.structure_id, name, kind, person.id, description, now);
        session << "INSERT INTO class_space_member (space_id, user_id, role, added_by, added_at) VALUES (:space, "
                   ":user, 'manager', :by, :now)",
            soci::use(space_id), soci::use(person.id), soci::use(person.id), soci::use(now);
        identity::store::audit(session, person.id, "class_space_created", name);
        return space_id;
    }));
    forget_spaces(context);
    return http::Response::redirect("/espaces/" + std::to_string(id) + "/membres?fait=cree");
}

// ---------------------------------------------------------------- invitations

Role role_named(std::string_view text)
{
    if (text == "manager")
        return Role::Manager;
    if (text == "contributor")
        return Role::Contributor;
    if (text == "visitor")
        return Role::Visitor;
    return Role::None;
}

std::string_view role_code(Role role)
{
    switch (role) {
    case Role::Manager:
        return "manager";
    case Role::Contributor:
        return "contributor";
    case Role::Visitor:
        return "visitor";
    case Role::None:
        break;
    }
    return "";
}

ErrorOr<http::Response> invite_member(Context& context)
{
    auto const loaded = TRY(space_in_reach(context));
    TRY(require_manage(loaded));
    auto const user_id = parse_id(context.request.form.get("personne"));
    auto const role = role_named(context.request.form.get("role"));
    auto const base = space_path(loaded.space) + "/membres";
    if (role == Role::None)
        return http::Response::redirect(base + "?erreur=role");
    auto const actor = context.user().id;
    auto const now = context.now;
    auto invited = TRY(context.database().write([&](soci::session& session) -> ErrorOr<bool> {
        auto person = identity::store::find_user(session, user_id);
        // Only a person of the space's structure; guardians come in as visitors at most.
        if (!person || !person->active || person->structure_id != loaded.space.structure_id)
            return false;
        auto const given = person->profile == access::Profile::Guardian ? Role::Visitor : role;
        std::string const code(role_code(given));
        session << "DELETE FROM class_space_member WHERE space_id = :space AND user_id = :user",
            soci::use(loaded.space.id), soci::use(user_id);
        session << "INSERT INTO class_space_member (space_id, user_id, role, added_by, added_at) VALUES (:space, "
                   ":user, :role, :by, :now)",
            soci::use(loaded.space.id), soci::use(user_id), soci::use(code), soci::use(actor), soci::use(now);
        identity::store::audit(session, actor, "class_space_member_added",
            title_of(loaded.space) + " : " + person->display_name() + " (" + std::string(role_label(given)) + ")");
        return true;
    }));
    if (!invited)
        return http::Response::redirect(base + "?erreur=personne");
    forget_spaces(context);
    return http::Response::redirect(base + "?fait=invite");
}

ErrorOr<http::Response> remove_member(Context& context)
{
    auto const loaded = TRY(space_in_reach(context));
    TRY(require_manage(loaded));
    auto const user_id = parse_id(context.request.parameter("user"));
    auto const actor = context.user().id;
    auto removed = TRY(context.database().write([&](soci::session& session) -> ErrorOr<bool> {
        long long managers = 0;
        session << "SELECT COUNT(*) FROM class_space_member WHERE space_id = :space AND role = 'manager' AND user_id "
                   "<> :user",
            soci::use(loaded.space.id), soci::use(user_id), soci::into(managers);
        // A free space keeps at least one manager.
        if (loaded.space.class_id == 0 && managers == 0)
            return Error::forbidden("Un espace garde au moins un gestionnaire.", "last manager");
        soci::statement statement
            = (session.prepare << "DELETE FROM class_space_member WHERE space_id = :space AND user_id = :user",
                soci::use(loaded.space.id), soci::use(user_id));
        statement.execute(true);
        if (statement.get_affected_rows() == 0)
            return false;
        identity::store::audit(session, actor, "class_space_member_removed", title_of(loaded.space));
        return true;
    }));
    if (!removed)
        return Error::not_found();
    forget_spaces(context);
    return http::Response::redirect(space_path(loaded.space) + "/membres?fait=retire");
}

// ---------------------------------------------------------------- the end of the year

ErrorOr<http::Response> archive_year(Context& context)
{
    auto const& person = context.user();
    auto const now = context.now;
    auto archived = TRY(context.database().write([&](soci::session& session) -> ErrorOr<long long> {
        soci::statement statement = (session.prepare
                << "UPDATE class_space SET archived_at = :now WHERE structure_id = :structure AND archived_at = 0",
            soci::use(now), soci::use(person.structure_id));
        statement.execute(true);
        auto count = static_cast<long long>(statement.get_affected_rows());
        identity::store::audit(
            session, person.id, "class_spaces_archived", std::to_string(count) + " espaces archivés (fin d'année)");
        return count;
    }));
    log::info("class spaces archived: " + std::to_string(archived));
    forget_spaces(context);
    return http::Response::redirect("/espaces?fait=archives");
}

ErrorOr<http::Response> restore_space(Context& context)
{
    auto const loaded = TRY(space_in_reach(context));
    if (!may_manage(loaded.role))
        return Error::forbidden("Seuls les gestionnaires de l'espace peuvent le restaurer.", "restore refused");
    if (loaded.space.archived_at == 0)
        return http::Response::redirect(space_path(loaded.space));
    auto const actor = context.user().id;
    TRY(context.database().write([&](soci::session& session) -> ErrorOr<bool> {
        session << "UPDATE class_space SET archived_at = 0 WHERE id = :id", soci::use(loaded.space.id);
        identity::store::audit(session, actor, "class_space_restored", title_of(loaded.space));
        return true;
    }));
    forget_spaces(context);
    return http::Response::redirect(space_path(loaded.space));
}

// ---------------------------------------------------------------- the Accueil

constexpr char const* LATEST_PREFIX = "class_space.latest:";

// The latest articles of the person's spaces; for a guardian following a
// child, those of the spaces of the child's classes the guardian visits.
ErrorOr<std::vector<HomeItem>> latest_of_spaces(Context& context, identity::User const& subject)
{
    auto spaces = TRY(cached_spaces(context));
    std::vector<long long> ids;
    std::vector<long long> child_classes;
    if (subject.id != context.user().id) {
        auto classes = TRY(context.services.classes_of(subject, context.now));
        for (auto const& school_class : classes)
            child_classes.push_back(school_class.id);
    }
    for (auto const& space : spaces) {
        if (space.archived_at != 0)
            continue;
        if (subject.id != context.user().id
            && std::find(child_classes.begin(), child_classes.end(), space.class_id) == child_classes.end())
            continue;
        ids.push_back(space.id);
    }
    if (ids.empty())
        return std::vector<HomeItem> {};
    auto const key = std::string(LATEST_PREFIX) + db::id_list(ids);
    if (auto cached = context.services.shared_results.find(key, context.now))
        return *std::static_pointer_cast<std::vector<HomeItem> const>(*cached);
    auto items = TRY(context.database().read([&](soci::session& session) -> ErrorOr<std::vector<HomeItem>> {
        return latest_items(session, spaces, ids, 5);
    }));
    context.services.shared_results.store(key, std::make_shared<std::vector<HomeItem> const>(items), context.now);
    return items;
}

} // namespace

void forget_latest(Services& services)
{
    services.shared_results.forget_if([](std::string const& key) { return key.starts_with(LATEST_PREFIX); });
}

std::vector<http::Route> space_list_routes()
{
    using http::Method;
    return {
        { Method::Get, "/espaces", READ, show_spaces },
        { Method::Post, "/espaces", CREATE, create_space },
        { Method::Post, "/espaces/archiver-annee", ARCHIVE, archive_year },
        { Method::Post, "/espaces/{space}/membres", MANAGE, invite_member },
        { Method::Post, "/espaces/{space}/membres/{user}/retirer", MANAGE, remove_member },
        { Method::Post, "/espaces/{space}/restaurer", MANAGE, restore_space },
    };
}

ErrorOr<void> declare_space_list_capabilities(access::CapabilityRegistry& registry)
{
    TRY(registry.declare({ CREATE, access::Scope::Structure,
        { access::Profile::Teacher, access::Profile::Staff, access::Profile::Admin }, access::Risk::Write,
        "Créer un espace de travail et y inviter des membres" }));
    return registry.declare({ ARCHIVE, access::Scope::Structure, { access::Profile::Admin }, access::Risk::Write,
        "Archiver les espaces de l'année scolaire (lecture seule, restaurables un an)" });
}

void start_space_list(Services& services)
{
    services.frame_contributors.emplace_back(add_spaces_to_frame);
    services.home_block_sources[HomeBlock::Spaces] = latest_of_spaces;
    start_blog(services);
}

long long purge_archived_spaces(soci::session& session, long long now)
{
    long long const before = now - YEAR;
    soci::statement statement
        = (session.prepare << "DELETE FROM class_space WHERE archived_at <> 0 AND archived_at < :before",
            soci::use(before));
    statement.execute(true);
    return static_cast<long long>(statement.get_affected_rows());
}

} // namespace cartable::class_space

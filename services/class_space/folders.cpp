// SPDX-License-Identifier: AGPL-3.0-or-later
// The space's « Dossiers partagés » tab: a folder's page, the trash, and
// the downloads, always as attachments that cannot run in our origin.
#include "core/http/static_files.h"
#include "core/i18n/format.h"
#include "core/text.h"
#include "services/class_space/folder_pages.h"
#include <algorithm>

namespace cartable::class_space {

namespace folders {

std::string folder_url(Space const& space, long long folder)
{
    return space_path(space) + "/dossiers" + (folder == 0 ? std::string() : "/" + std::to_string(folder));
}

std::string trash_url(Space const& space)
{
    return space_path(space) + "/dossiers/corbeille";
}

bool may_change(Loaded const& loaded, Item const& item, long long person)
{
    if (loaded.space.archived_at != 0)
        return false;
    return may_manage(loaded.role) || (may_post(loaded.role) && item.added_by == person);
}

ErrorOr<void> require_change(Loaded const& loaded, Item const& item, long long person)
{
    TRY(require_post(loaded));
    if (!may_change(loaded, item, person))
        return Error::forbidden("Vous pouvez modifier ce que vous avez ajouté ; le reste, seuls les gestionnaires de "
                                "l'espace le peuvent.",
            "folder change refused to a " + std::string(role_label(loaded.role)));
    return {};
}

namespace {

constexpr std::size_t ITEMS_PER_PAGE = 100;

std::string file_url(Space const& space, long long id)
{
    return space_path(space) + "/fichiers/" + std::to_string(id);
}

std::string item_url(Space const& space, long long id)
{
    return space_path(space) + "/elements/" + std::to_string(id);
}

view::Data item_data(Loaded const& loaded, Tree const& tree, Item const& item, long long person)
{
    auto const& space = loaded.space;
    view::Data data;
    data.set("name", item.name);
    data.set("is_folder", item.is_folder());
    data.set("kind", item.is_folder() ? "Dossier" : "Fichier");
    data.set("url", item.is_folder() ? folder_url(space, item.id) : file_url(space, item.id));
    data.set("description", item.description);
    data.set("added_by", item.added_by_name);
    data.set("size", i18n::format_size(static_cast<std::uint64_t>(tree.size_of(item))));
    data.set("date", i18n::format_short_date(item.added_at));
    data.set("thumbnail", item.thumbnail);
    data.set("thumbnail_url", file_url(space, item.id) + "/vignette");
    data.set("may_change", may_change(loaded, item, person));
    data.set("edit_url", item_url(space, item.id) + "/modifier");
    data.set("delete_url", item_url(space, item.id) + "/supprimer");
    if (item.deleted_at != 0) {
        data.set("restore_url", item_url(space, item.id) + "/restaurer");
        data.set("deleted_date", i18n::format_short_date(item.deleted_at));
    }
    return data;
}

ErrorOr<std::pair<Tree, long long>> tree_and_quota(Context& context, long long space_id)
{
    return context.database().read([&](soci::session& session) -> ErrorOr<std::pair<Tree, long long>> {
        auto tree = load_tree(session, space_id);
        return std::pair<Tree, long long>(std::move(tree), quota_of(session, space_id));
    });
}

std::string success_of(http::Request const& request)
{
    auto const& query = request.query;
    if (auto sent = parse_id(query.get("envoye")); sent > 0)
        return sent == 1 ? "Le fichier est ajouté." : std::to_string(sent) + " fichiers sont ajoutés.";
    if (query.get("cree") == "1")
        return "Le dossier est créé.";
    if (query.get("modifie") == "1")
        return "Les modifications sont enregistrées.";
    if (query.get("supprime") == "1")
        return "L'élément est dans la corbeille : vous pouvez l'y restaurer.";
    if (query.get("restaure") == "1")
        return "L'élément est restauré.";
    if (query.get("vide") == "1")
        return "La corbeille est vidée.";
    return {};
}

ErrorOr<http::Response> show_folder(Context& context)
{
    auto const loaded = TRY(space_in_reach(context));
    auto folder = 0LL;
    if (auto const parameter = context.request.parameter("folder"); !parameter.empty()) {
        folder = parse_id(parameter);
        if (folder == 0)
            return Error::not_found();
    }
    Notice notice;
    notice.success = success_of(context.request);
    return show_folder_with(context, loaded, folder, notice);
}

ErrorOr<http::Response> show_trash(Context& context)
{
    auto const loaded = TRY(space_in_reach(context));
    if (!may_post(loaded.role))
        return Error::forbidden("En visiteur, vous pouvez lire les dossiers de cet espace, sans ouvrir sa corbeille.",
            "trash refused to a visitor");
    auto [tree, quota] = TRY(tree_and_quota(context, loaded.space.id));
    auto const person = context.user().id;
    view::List items;
    for (auto const* item : tree.trashed())
        items.push_back(item_data(loaded, tree, *item, person));
    view::Data data;
    data.set("has_items", !items.empty());
    data.set("items", std::move(items));
    data.set("folders_url", folder_url(loaded.space, 0));
    data.set("empty_url", trash_url(loaded.space) + "/vider");
    data.set("quota_line", quota_line(tree.used_bytes(), quota));
    data.set("success", success_of(context.request));
    return render_tab(context, loaded, Tab::Folders, "class_space/folder_trash", std::move(data), "Corbeille");
}

// The item of the path, in this space: a file outside the trash.
ErrorOr<Item> live_file(Context& context, Loaded const& loaded)
{
    auto id = parse_id(context.request.parameter("item"));
    auto tree = TRY(context.database().read(
        [&](soci::session& session) -> ErrorOr<Tree> { return load_tree(session, loaded.space.id); }));
    auto const* item = tree.find(id);
    if (!item || item->is_folder() || !tree.live(*item))
        return Error::not_found("Ce fichier n'existe pas ou n'est plus dans les dossiers de l'espace.");
    return *item;
}

// The server adds X-Content-Type-Options: nosniff to every response; a file
// is also sandboxed, should a browser ever render it.
void protect(http::Response& response)
{
    response.set_header("Content-Security-Policy", "sandbox");
    response.set_header("Cache-Control", "private, no-cache");
}

ErrorOr<http::Response> download_file(Context& context)
{
    auto const loaded = TRY(space_in_reach(context));
    auto const item = TRY(live_file(context, loaded));
    auto response = http::serve_file(context.request, files_directory(context.config()) / item.stored_name,
        served_type(item.content_type), item.name);
    if (response.status == 404)
        return Error::not_found("Ce fichier n'existe pas ou n'est plus dans les dossiers de l'espace.");
    protect(response);
    return response;
}

ErrorOr<http::Response> show_thumbnail(Context& context)
{
    auto const loaded = TRY(space_in_reach(context));
    auto const item = TRY(live_file(context, loaded));
    if (!item.thumbnail)
        return Error::not_found();
    auto response = http::serve_file(
        context.request, thumbnails_directory(context.config()) / (item.stored_name + ".jpg"), "image/jpeg", {});
    if (response.status == 404)
        return Error::not_found();
    protect(response);
    return response;
}

} // namespace

http::Response render_folder(
    Context& context, Loaded const& loaded, Tree const& tree, long long quota, long long folder, Notice const& notice)
{
    auto const& space = loaded.space;
    auto const person = context.user().id;
    view::Data data;
    view::List crumbs;
    {
        view::Data root;
        root.set("label", "Dossiers partagés");
        root.set("url", folder_url(space, 0));
        root.set("current", folder == 0);
        crumbs.push_back(std::move(root));
    }
    std::string title = "Dossiers partagés";
    for (auto const* step : tree.path_to(folder)) {
        view::Data crumb;
        crumb.set("label", step->name);
        crumb.set("url", folder_url(space, step->id));
        crumb.set("current", step->id == folder);
        crumbs.push_back(std::move(crumb));
        title = step->name;
    }
    data.set("crumbs", std::move(crumbs));
    data.set("heading", title);
    if (auto const* current = tree.find(folder))
        data.set("folder_description", current->description);
    // A hundred items a page: a folder of a thousand files stays quick.
    auto const children = tree.children(folder);
    auto const pages = std::max<std::size_t>(1, (children.size() + ITEMS_PER_PAGE - 1) / ITEMS_PER_PAGE);
    auto const page = std::min<std::size_t>(
        pages, static_cast<std::size_t>(std::max(1LL, parse_id(context.request.query.get("page")))));
    view::List items;
    for (auto index = (page - 1) * ITEMS_PER_PAGE; index < children.size() && index < page * ITEMS_PER_PAGE; ++index)
        items.push_back(item_data(loaded, tree, *children[index], person));
    if (pages > 1) {
        auto const here = folder_url(space, folder) + "?page=";
        data.set("paged", true);
        data.set("page_label",
            "Page " + std::to_string(page) + " sur " + std::to_string(pages) + " (" + std::to_string(children.size())
                + " éléments)");
        if (page > 1)
            data.set("previous_url", here + std::to_string(page - 1));
        if (page < pages)
            data.set("next_url", here + std::to_string(page + 1));
    }
    data.set("has_items", !items.empty());
    data.set("items", std::move(items));
    data.set("quota_line", quota_line(tree.used_bytes(), quota));
    data.set("folder_id", std::to_string(folder));
    data.set("upload_url", space_path(space) + "/fichiers");
    data.set("create_url", space_path(space) + "/dossiers");
    data.set("trash_url", trash_url(space));
    data.set("show_trash", may_post(loaded.role));
    data.set("error", notice.error);
    data.set("success", notice.success);
    data.set("new_name", notice.folder_name);
    data.set("new_description", notice.folder_description);
    auto response = render_tab(context, loaded, Tab::Folders, "class_space/folders", std::move(data),
        folder == 0 ? std::string("Dossiers partagés") : title + " – Dossiers partagés");
    response.status = notice.status;
    return response;
}

ErrorOr<http::Response> show_folder_with(Context& context, Loaded const& loaded, long long folder, Notice const& notice)
{
    auto [tree, quota] = TRY(tree_and_quota(context, loaded.space.id));
    if (!tree.live_folder(folder))
        return Error::not_found("Ce dossier n'existe pas ou est dans la corbeille.");
    return render_folder(context, loaded, tree, quota, folder, notice);
}

} // namespace folders

std::vector<http::Route> folder_routes()
{
    using http::Method;
    using namespace folders;
    // The trash before « {folder} », which would take its name.
    return {
        { Method::Get, "/espaces/{space}/dossiers", READ, show_folder },
        { Method::Get, "/espaces/{space}/dossiers/corbeille", READ, show_trash },
        { Method::Post, "/espaces/{space}/dossiers/corbeille/vider", MANAGE, empty_trash },
        { Method::Get, "/espaces/{space}/dossiers/{folder}", READ, show_folder },
        { Method::Post, "/espaces/{space}/dossiers", POST, create_folder },
        { Method::Post, "/espaces/{space}/fichiers", POST, upload_files },
        { Method::Get, "/espaces/{space}/fichiers/{item}", READ, download_file },
        { Method::Get, "/espaces/{space}/fichiers/{item}/vignette", READ, show_thumbnail },
        { Method::Get, "/espaces/{space}/elements/{item}/modifier", POST, show_item_form },
        { Method::Post, "/espaces/{space}/elements/{item}/modifier", POST, change_item },
        { Method::Post, "/espaces/{space}/elements/{item}/supprimer", POST, trash_item },
        { Method::Post, "/espaces/{space}/elements/{item}/restaurer", POST, restore_item },
    };
}

} // namespace cartable::class_space

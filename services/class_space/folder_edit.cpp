// SPDX-License-Identifier: AGPL-3.0-or-later
// « Modifier » an item of a space's folders: its name, its description, and
// the folder it is in (never into itself or one of its sub-folders).
#include "core/text.h"
#include "services/class_space/folder_pages.h"

namespace cartable::class_space::folders {

namespace {

struct EditForm {
    std::string name;
    std::string description;
    long long destination { 0 };
    std::string error;
};

// « Stage en entreprise / Photos »
std::string path_label(Tree const& tree, long long folder)
{
    std::string label;
    for (auto const* step : tree.path_to(folder))
        label.append(label.empty() ? "" : " / ").append(step->name);
    return label;
}

http::Response render_edit(
    Context& context, Loaded const& loaded, Tree const& tree, Item const& item, EditForm const& form)
{
    view::Data data;
    data.set("is_folder", item.is_folder());
    data.set("kind", item.is_folder() ? "le dossier" : "le fichier");
    data.set("current_name", item.name);
    data.set("name", form.name);
    data.set("description", form.description);
    data.set("error", form.error);
    data.set("action", space_path(loaded.space) + "/elements/" + std::to_string(item.id) + "/modifier");
    data.set("back_url", folder_url(loaded.space, item.parent_id));
    view::List destinations;
    {
        view::Data root;
        root.set("id", "0");
        root.set("label", "Dossiers partagés (racine)");
        root.set("selected", form.destination == 0);
        destinations.push_back(std::move(root));
    }
    std::vector<std::pair<std::string, long long>> folders;
    for (auto const& candidate : tree.items()) {
        if (!candidate.is_folder() || !tree.live(candidate) || tree.within(candidate.id, item.id))
            continue;
        folders.emplace_back(path_label(tree, candidate.id), candidate.id);
    }
    std::sort(folders.begin(), folders.end());
    for (auto const& [label, id] : folders) {
        view::Data entry;
        entry.set("id", std::to_string(id));
        entry.set("label", "Dossiers partagés / " + label);
        entry.set("selected", form.destination == id);
        destinations.push_back(std::move(entry));
    }
    data.set("destinations", std::move(destinations));
    auto response = render_tab(
        context, loaded, Tab::Folders, "class_space/folder_edit", std::move(data), "Modifier « " + item.name + " »");
    if (!form.error.empty())
        response.status = 422;
    return response;
}

ErrorOr<std::pair<Tree, Item>> changeable_item(Context& context, Loaded const& loaded, soci::session& session)
{
    auto tree = load_tree(session, loaded.space.id);
    auto const* item = tree.find(parse_id(context.request.parameter("item")));
    if (!item || !tree.live(*item))
        return Error::not_found("Cet élément n'existe pas ou est dans la corbeille.");
    TRY(require_change(loaded, *item, context.user().id));
    auto copy = *item;
    return std::pair<Tree, Item>(std::move(tree), std::move(copy));
}

} // namespace

// GET /espaces/{space}/elements/{item}/modifier
ErrorOr<http::Response> show_item_form(Context& context)
{
    auto const loaded = TRY(space_in_reach(context));
    TRY(require_post(loaded));
    auto [tree, item] = TRY(context.database().read([&](soci::session& session) -> ErrorOr<std::pair<Tree, Item>> {
        return changeable_item(context, loaded, session);
    }));
    EditForm form { item.name, item.description, item.parent_id, {} };
    return render_edit(context, loaded, tree, item, form);
}

// POST /espaces/{space}/elements/{item}/modifier: nom, description, destination.
ErrorOr<http::Response> change_item(Context& context)
{
    auto const loaded = TRY(space_in_reach(context));
    TRY(require_post(loaded));
    auto const& request_form = context.request.form;
    EditForm form { request_form.get("nom"), request_form.get("description"), parse_id(request_form.get("destination")),
        {} };
    std::optional<std::pair<Tree, Item>> shown;
    auto outcome = context.database().write([&](soci::session& session) -> ErrorOr<long long> {
        auto found = TRY(changeable_item(context, loaded, session));
        auto const& tree = found.first;
        auto const& item = found.second;
        auto refuse = [&shown, &found](Error error) -> ErrorOr<long long> {
            shown.emplace(std::move(found));
            return error;
        };
        auto name = clean_name(form.name, NameSource::Typed);
        if (name.is_error())
            return refuse(name.release_error());
        auto description = clean_description(form.description);
        if (description.is_error())
            return refuse(description.release_error());
        auto const destination = form.destination;
        if (!tree.live_folder(destination))
            return refuse(Error::invalid("Choisissez un dossier de destination de la liste."));
        if (item.is_folder() && tree.within(destination, item.id))
            return refuse(
                Error::invalid("Un dossier ne peut aller ni dans lui-même, ni dans l'un de ses sous-dossiers."));
        if (tree.name_taken(destination, name.value(), item.id))
            return refuse(Error::conflict("Le dossier de destination contient déjà un élément nommé « " + name.value()
                + " » : choisissez un autre nom."));
        auto parent = destination;
        soci::indicator parent_null = destination != 0 ? soci::i_ok : soci::i_null;
        session << "UPDATE class_space_item SET name = :name, description = :description, parent_id = :parent WHERE id "
                   "= :id AND space_id = :space",
            soci::use(name.value()), soci::use(description.value()), soci::use(parent, parent_null), soci::use(item.id),
            soci::use(loaded.space.id);
        return destination;
    });
    if (outcome.is_error()) {
        if (!shown)
            return outcome.release_error();
        form.error = outcome.error().message_key;
        return render_edit(context, loaded, shown->first, shown->second, form);
    }
    return http::Response::redirect(folder_url(loaded.space, outcome.value()) + "?modifie=1");
}

} // namespace cartable::class_space::folders

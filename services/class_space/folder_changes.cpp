// SPDX-License-Identifier: AGPL-3.0-or-later
// Changes to a space's folders: uploads (checked against the quota before
// anything is stored, then moved into place and recorded in one
// transaction), new folders, rename and move, the trash.
#include "core/db/id_lists.h"
#include "core/i18n/format.h"
#include "core/identity/identity_store.h"
#include "core/identity/tokens.h"
#include "core/text.h"
#include "services/class_space/folder_pages.h"

namespace cartable::class_space::folders {

namespace {

constexpr std::size_t MAX_FILES_AT_ONCE = 100;

// The uploaded files of a request are removed whatever happens, unless
// they were moved into the store (the server does so as well; the guard
// makes it true wherever the handler is called from).
class UploadsRemoved {
public:
    explicit UploadsRemoved(http::Request const& request)
        : m_request(request)
    { }
    UploadsRemoved(UploadsRemoved const&) = delete;
    UploadsRemoved& operator=(UploadsRemoved const&) = delete;
    ~UploadsRemoved()
    {
        std::error_code ignored;
        for (auto const& file : m_request.files)
            std::filesystem::remove(file.path, ignored);
    }

private:
    http::Request const& m_request;
};

// A file ready to be moved into the store.
struct Prepared {
    http::UploadedFile const* upload { nullptr };
    std::string name;
    std::string stored_name;
    std::string content_type;
    bool thumbnail { false };
};

Error quota_refusal(long long used, long long quota, long long added)
{
    return { ErrorKind::QuotaExceeded,
        "Ce dépôt (" + i18n::format_size(static_cast<std::uint64_t>(added)) + ") dépasse la place libre de l'espace. "
            + quota_line(used, quota)
            + ". Aucun fichier n'est ajouté : supprimez des fichiers et videz la corbeille, ou envoyez-en moins.",
        "folder quota" };
}

int status_of(Error const& error)
{
    return error.kind == ErrorKind::QuotaExceeded ? 413 : 422;
}

bool shown_on_form(Error const& error)
{
    return error.kind == ErrorKind::Invalid || error.kind == ErrorKind::QuotaExceeded
        || error.kind == ErrorKind::Conflict;
}

ErrorOr<void> move_into_store(std::filesystem::path const& from, std::filesystem::path const& to)
{
    std::error_code error;
    std::filesystem::rename(from, to, error);
    if (!error)
        return {};
    // Another file system: copy under a temporary name, then rename.
    auto partial = to;
    partial += ".part";
    error.clear();
    std::filesystem::copy_file(from, partial, std::filesystem::copy_options::overwrite_existing, error);
    if (!error)
        std::filesystem::rename(partial, to, error);
    if (error) {
        std::error_code ignored;
        std::filesystem::remove(partial, ignored);
        return Error::internal("cannot store a shared file: " + error.message());
    }
    return {};
}

// Records the files, checking the quota again under the space's lock, and
// moves each into place; on any failure the transaction is rolled back and
// the caller removes what was moved.
ErrorOr<long long> record_files(Context& context, Loaded const& loaded, long long folder,
    std::vector<Prepared>& prepared, long long added, std::vector<std::filesystem::path>& moved)
{
    auto const& config = context.config();
    auto const person = context.user().id;
    auto const space_id = loaded.space.id;
    return context.database().write([&](soci::session& session) -> ErrorOr<long long> {
        lock_space(session, space_id);
        auto tree = load_tree(session, space_id);
        if (!tree.live_folder(folder))
            return Error::not_found("Ce dossier n'existe pas ou est dans la corbeille.");
        auto quota = quota_of(session, space_id);
        auto used = tree.used_bytes();
        if (used + added > quota)
            return quota_refusal(used, quota, added);
        std::vector<std::string> chosen;
        for (auto& file : prepared) {
            auto name = tree.free_name(folder, file.name, chosen);
            chosen.push_back(name);
            auto size = static_cast<long long>(file.upload->size);
            long long thumbnail = file.thumbnail ? 1 : 0;
            auto parent = folder;
            soci::indicator parent_null = folder != 0 ? soci::i_ok : soci::i_null;
            session << "INSERT INTO class_space_item (space_id, parent_id, kind, name, description, size, "
                       "content_type, stored_name, thumbnail, added_by, added_at) VALUES (:space, :parent, :kind, "
                       ":name, '', :size, :type, :stored, :thumbnail, :person, :now)",
                soci::use(space_id), soci::use(parent, parent_null), soci::use(std::string(FILE)), soci::use(name),
                soci::use(size), soci::use(file.content_type), soci::use(file.stored_name), soci::use(thumbnail),
                soci::use(person), soci::use(context.now);
            auto target = files_directory(config) / file.stored_name;
            TRY(move_into_store(file.upload->path, target));
            moved.push_back(target);
        }
        return static_cast<long long>(prepared.size());
    });
}

} // namespace

// POST /espaces/{space}/fichiers: dossier (0: the root), fichiers (several).
ErrorOr<http::Response> upload_files(Context& context)
{
    UploadsRemoved removed(context.request);
    auto const loaded = TRY(space_in_reach(context));
    TRY(require_post(loaded));
    auto const folder = parse_id(context.request.form.get("dossier"));
    std::vector<http::UploadedFile const*> files;
    for (auto const& file : context.request.files) {
        if (file.field_name == "fichiers" && !file.file_name.empty())
            files.push_back(&file);
    }
    auto [tree, quota]
        = TRY(context.database().read([&](soci::session& session) -> ErrorOr<std::pair<Tree, long long>> {
              auto loaded_tree = load_tree(session, loaded.space.id);
              return std::pair<Tree, long long>(std::move(loaded_tree), quota_of(session, loaded.space.id));
          }));
    if (!tree.live_folder(folder))
        return Error::not_found("Ce dossier n'existe pas ou est dans la corbeille.");
    Notice notice;
    notice.status = 422;
    if (files.empty())
        notice.error = "Choisissez au moins un fichier à envoyer.";
    else if (files.size() > MAX_FILES_AT_ONCE)
        notice.error = "Envoyez au plus 100 fichiers à la fois.";
    long long added = 0;
    for (auto const* file : files)
        added += static_cast<long long>(file->size);
    // The quota, from the sizes of the parts, before anything is stored.
    if (notice.error.empty() && tree.used_bytes() + added > quota) {
        auto refusal = quota_refusal(tree.used_bytes(), quota, added);
        notice.error = refusal.message_key;
        notice.status = status_of(refusal);
    }
    if (!notice.error.empty())
        return render_folder(context, loaded, tree, quota, folder, notice);

    auto const& config = context.config();
    std::error_code error;
    for (auto const& directory : { files_directory(config), thumbnails_directory(config) }) {
        std::filesystem::create_directories(directory, error);
        if (error)
            return Error::internal("cannot create the shared files' directory: " + error.message());
    }
    std::vector<Prepared> prepared;
    for (auto const* file : files) {
        Prepared entry;
        entry.upload = file;
        auto name = clean_name(file->file_name, NameSource::Uploaded);
        if (name.is_error()) {
            for (auto const& made : prepared)
                remove_stored(config, made.stored_name);
            return name.release_error();
        }
        entry.name = name.release_value();
        entry.stored_name = identity::random_token();
        entry.content_type = sniffed_type(file->path, entry.name);
        if (thumbnailable(entry.content_type) && file->size <= (40ULL << 20)) {
            entry.thumbnail = make_thumbnail(file->path, thumbnails_directory(config) / (entry.stored_name + ".jpg"));
        }
        prepared.push_back(std::move(entry));
    }
    std::vector<std::filesystem::path> moved;
    auto recorded = record_files(context, loaded, folder, prepared, added, moved);
    if (recorded.is_error()) {
        for (auto const& entry : prepared)
            remove_stored(config, entry.stored_name);
        for (auto const& path : moved)
            std::filesystem::remove(path, error);
        auto const& failure = recorded.error();
        if (!shown_on_form(failure))
            return failure;
        notice.error = failure.message_key;
        notice.status = status_of(failure);
        return show_folder_with(context, loaded, folder, notice);
    }
    return http::Response::redirect(folder_url(loaded.space, folder) + "?envoye=" + std::to_string(recorded.value()));
}

// POST /espaces/{space}/dossiers: dossier (the parent), nom, description.
ErrorOr<http::Response> create_folder(Context& context)
{
    auto const loaded = TRY(space_in_reach(context));
    TRY(require_post(loaded));
    auto const& form = context.request.form;
    auto const parent = parse_id(form.get("dossier"));
    auto const person = context.user().id;
    auto outcome = context.database().write([&](soci::session& session) -> ErrorOr<long long> {
        auto tree = load_tree(session, loaded.space.id);
        if (!tree.live_folder(parent))
            return Error::not_found("Ce dossier n'existe pas ou est dans la corbeille.");
        auto name = TRY(clean_name(form.get("nom"), NameSource::Typed));
        auto description = TRY(clean_description(form.get("description")));
        if (tree.name_taken(parent, name))
            return Error::conflict(
                "Ce dossier contient déjà un élément nommé « " + name + " » : choisissez un autre nom.");
        auto parent_id = parent;
        soci::indicator parent_null = parent != 0 ? soci::i_ok : soci::i_null;
        session << "INSERT INTO class_space_item (space_id, parent_id, kind, name, description, added_by, added_at) "
                   "VALUES (:space, :parent, :kind, :name, :description, :person, :now)",
            soci::use(loaded.space.id), soci::use(parent_id, parent_null), soci::use(std::string(FOLDER)),
            soci::use(name), soci::use(description), soci::use(person), soci::use(context.now);
        return 1LL;
    });
    if (outcome.is_error()) {
        if (!shown_on_form(outcome.error()))
            return outcome.release_error();
        Notice notice;
        notice.error = outcome.error().message_key;
        notice.status = 422;
        notice.folder_name = form.get("nom");
        notice.folder_description = form.get("description");
        return show_folder_with(context, loaded, parent, notice);
    }
    return http::Response::redirect(folders::folder_url(loaded.space, parent) + "?cree=1");
}

// POST /espaces/{space}/elements/{item}/supprimer: into the « Corbeille ».
ErrorOr<http::Response> trash_item(Context& context)
{
    auto const loaded = TRY(space_in_reach(context));
    TRY(require_post(loaded));
    auto const id = parse_id(context.request.parameter("item"));
    auto const person = context.user().id;
    auto parent = TRY(context.database().write([&](soci::session& session) -> ErrorOr<long long> {
        auto tree = load_tree(session, loaded.space.id);
        auto const* item = tree.find(id);
        if (!item || !tree.live(*item))
            return Error::not_found("Cet élément n'existe pas ou est déjà dans la corbeille.");
        TRY(require_change(loaded, *item, person));
        session << "UPDATE class_space_item SET deleted_at = :now, deleted_by = :person WHERE id = :id AND space_id = "
                   ":space",
            soci::use(context.now), soci::use(person), soci::use(id), soci::use(loaded.space.id);
        return item->parent_id;
    }));
    return http::Response::redirect(folder_url(loaded.space, parent) + "?supprime=1");
}

// POST /espaces/{space}/elements/{item}/restaurer: back where it was, or to
// the root when that folder is gone; numbered if its name is taken there.
ErrorOr<http::Response> restore_item(Context& context)
{
    auto const loaded = TRY(space_in_reach(context));
    TRY(require_post(loaded));
    auto const id = parse_id(context.request.parameter("item"));
    auto const person = context.user().id;
    TRY(context.database().write([&](soci::session& session) -> ErrorOr<bool> {
        auto tree = load_tree(session, loaded.space.id);
        auto const* item = tree.find(id);
        if (!item || item->deleted_at == 0)
            return Error::not_found("Cet élément n'est pas dans la corbeille.");
        TRY(require_change(loaded, *item, person));
        auto parent = tree.live_folder(item->parent_id) ? item->parent_id : 0;
        auto name = tree.free_name(parent, item->name);
        auto parent_id = parent;
        soci::indicator parent_null = parent != 0 ? soci::i_ok : soci::i_null;
        session << "UPDATE class_space_item SET deleted_at = 0, deleted_by = NULL, parent_id = :parent, name = :name "
                   "WHERE id = :id AND space_id = :space",
            soci::use(parent_id, parent_null), soci::use(name), soci::use(id), soci::use(loaded.space.id);
        return true;
    }));
    return http::Response::redirect(trash_url(loaded.space) + "?restaure=1");
}

// POST /espaces/{space}/dossiers/corbeille/vider (managers): the rows go in
// one transaction, then their files.
ErrorOr<http::Response> empty_trash(Context& context)
{
    auto const loaded = TRY(space_in_reach(context));
    TRY(require_manage(loaded));
    auto const person = context.user().id;
    auto stored = TRY(context.database().write([&](soci::session& session) -> ErrorOr<std::vector<std::string>> {
        auto tree = load_tree(session, loaded.space.id);
        std::vector<long long> ids;
        std::vector<std::string> names;
        for (auto const* item : tree.trashed()) {
            for (auto id : tree.subtree(item->id)) {
                if (std::find(ids.begin(), ids.end(), id) != ids.end())
                    continue;
                ids.push_back(id);
                if (auto const* gone = tree.find(id); !gone->is_folder())
                    names.push_back(gone->stored_name);
            }
        }
        if (ids.empty())
            return names;
        // Numbers only (db::id_list), never text from the request.
        session << "DELETE FROM class_space_item WHERE space_id = :space AND id IN (" + db::id_list(ids) + ")",
            soci::use(loaded.space.id);
        identity::store::audit(session, person, "class_space_trash_emptied",
            title_of(loaded.space) + " : " + std::to_string(ids.size()) + " élément(s)");
        return names;
    }));
    for (auto const& name : stored)
        remove_stored(context.config(), name);
    return http::Response::redirect(trash_url(loaded.space) + "?vide=1");
}

} // namespace cartable::class_space::folders

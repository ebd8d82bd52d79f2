// SPDX-License-Identifier: AGPL-3.0-or-later
#include "services/admin/import_inbox.h"
#include "core/http/static_files.h"
#include "core/i18n/format.h"
#include "core/identity/identity_store.h"
#include "core/log.h"
#include "core/view/frame.h"
#include <algorithm>
#include <sys/stat.h>

namespace cartable::admin {

std::filesystem::path import_inbox_directory(Config const& config, std::string const& destination)
{
    return config.data_directory / "import" / "inbox" / destination;
}

std::string safe_file_name(std::string const& name)
{
    std::string result;
    for (char c : name) {
        bool allowed = std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_';
        result += allowed ? c : '_';
    }
    while (!result.empty() && result.front() == '.')
        result.erase(result.begin());
    if (result.empty())
        result = "fichier";
    return result.substr(0, 200);
}

namespace {

// The inbox the request names: the académie's (its administrators only) or
// the administrator's structure's (by its UAI).
ErrorOr<std::string> destination_of(Context& context, std::string const& asked)
{
    if (asked == ACADEMY_INBOX) {
        if (!context.user().platform_admin)
            return Error::forbidden(
                "Seul un administrateur de la plateforme dépose l'export de l'académie.", "académie inbox refused");
        return std::string(ACADEMY_INBOX);
    }
    auto structure = context.services.structure(context.user().structure_id, context.now);
    if (!structure)
        return Error::not_found();
    return structure->uai;
}

view::List files_of(Context& context, std::string const& destination)
{
    auto directory = import_inbox_directory(context.config(), destination);
    std::vector<std::tuple<std::string, std::uint64_t, long long>> entries;
    std::error_code ignored;
    for (auto const& entry : std::filesystem::directory_iterator(directory, ignored)) {
        if (!entry.is_regular_file(ignored) || entry.path().filename().string().starts_with("."))
            continue;
        struct stat status_of_file { };
        ::stat(entry.path().c_str(), &status_of_file);
        entries.emplace_back(entry.path().filename().string(), entry.file_size(ignored), status_of_file.st_mtime);
    }
    std::sort(entries.begin(), entries.end());
    view::List files;
    for (auto const& [name, size, modified] : entries) {
        view::Data row;
        row.set("name", name);
        row.set("url",
            "/admin/depot/" + http::percent_encode(name)
                + (destination == ACADEMY_INBOX ? "?destination=" + std::string(ACADEMY_INBOX) : std::string()));
        row.set("size", i18n::format_size(size));
        row.set("date", i18n::format_long_datetime(modified));
        files.push_back(std::move(row));
    }
    return files;
}

http::Response inbox_page(Context& context, std::string const& message, std::string const& error, int status)
{
    view::Data data;
    auto structure = context.services.structure(context.user().structure_id, context.now);
    auto own = files_of(context, structure ? structure->uai : std::string("-"));
    data.set("has_files", !own.empty());
    data.set("files", std::move(own));
    data.set("structure_name", structure ? structure->name : std::string());
    if (context.user().platform_admin) {
        auto academy = files_of(context, ACADEMY_INBOX);
        data.set("platform_admin", true);
        data.set("has_academy_files", !academy.empty());
        data.set("academy_files", std::move(academy));
    }
    if (!message.empty())
        data.set("message", message);
    if (!error.empty())
        data.set("error", error);
    data.set("max_size", i18n::format_size(context.config().max_upload_bytes));
    return view::render(
        context, "admin/import_inbox", data, "Dépôt de fichiers d'import", view::MenuEntry::None, status);
}

} // namespace

ErrorOr<http::Response> show_import_inbox(Context& context)
{
    return inbox_page(context, {}, {}, 200);
}

// The files arrived already on disk (streamed by the server); each is moved
// into the inbox under a temporary name, then renamed, so a reader never
// sees half a file. All or nothing: on a failure, none is kept.
ErrorOr<http::Response> deposit_import_files(Context& context)
{
    auto& files = context.request.files;
    std::vector<http::UploadedFile const*> chosen;
    for (auto const& file : files) {
        if (file.field_name == "fichiers")
            chosen.push_back(&file);
    }
    if (chosen.empty())
        return inbox_page(context, {}, "Choisissez au moins un fichier à déposer.", 400);
    auto destination = TRY(destination_of(context, context.request.form.get("destination")));
    auto directory = import_inbox_directory(context.config(), destination);
    std::error_code error;
    std::filesystem::create_directories(directory, error);
    if (error)
        return Error::internal("cannot create the import inbox: " + error.message());

    std::vector<std::pair<std::filesystem::path, std::filesystem::path>> moves;
    for (auto const* file : chosen) {
        auto final_name = directory / safe_file_name(file->file_name);
        auto temporary = directory / ("." + final_name.filename().string() + ".partial");
        std::filesystem::rename(file->path, temporary, error);
        if (error) {
            // Another file system: copy, then drop the upload.
            error.clear();
            std::filesystem::copy_file(file->path, temporary, std::filesystem::copy_options::overwrite_existing, error);
        }
        if (error) {
            for (auto const& [done, unused] : moves)
                std::filesystem::remove(done);
            return Error::internal("cannot store an uploaded import file: " + error.message());
        }
        moves.emplace_back(temporary, final_name);
    }
    for (auto const& [temporary, final_name] : moves)
        std::filesystem::rename(temporary, final_name);
    auto actor = context.user().id;
    TRY(context.database().write([&](soci::session& session) -> ErrorOr<bool> {
        for (auto const& [unused, final_name] : moves)
            identity::store::audit(session, actor, "import_file_deposited", final_name.filename().string());
        return true;
    }));
    auto count = moves.size();
    return inbox_page(
        context, count == 1 ? "1 fichier déposé." : std::to_string(count) + " fichiers déposés.", {}, 200);
}

} // namespace cartable::admin

namespace cartable::admin {

// A deposited file, back to the administrator (Range supported, so a large
// export can be fetched again in parts).
ErrorOr<http::Response> download_import_file(Context& context)
{
    auto name = context.request.parameter("file");
    if (name.empty() || safe_file_name(name) != name)
        return Error::not_found();
    auto destination = TRY(destination_of(context, context.request.query.get("destination")));
    auto path = import_inbox_directory(context.config(), destination) / name;
    auto response = http::serve_file(context.request, path, http::content_type_for(name), name);
    if (response.status == 404)
        return Error::not_found("Ce fichier n'est plus dans le dépôt.");
    return response;
}

} // namespace cartable::admin

// SPDX-License-Identifier: AGPL-3.0-or-later
// « Lancer l'import » from the console: a structure's CSV files run at once
// (a structure is small) and lead to their report; the académie's AAF
// export runs in the background and shows « en cours » in the history.
// After a real import, the files leave the inbox for the archive.
#include "services/directory/import_launch.h"
#include "core/identity/identity_store.h"
#include "core/log.h"
#include "services/class_space/class_space.h"
#include "services/directory/directory.h"
#include "services/directory/import/aaf_import.h"
#include "services/directory/import/csv_import.h"

namespace cartable::directory {

namespace {

std::filesystem::path inbox_of(Config const& config, std::string const& destination)
{
    return config.data_directory / "import" / "inbox" / destination;
}

bool has_files(std::filesystem::path const& directory)
{
    std::error_code ignored;
    for (auto const& entry : std::filesystem::directory_iterator(directory, ignored)) {
        if (entry.is_regular_file(ignored) && !entry.path().filename().string().starts_with("."))
            return true;
    }
    return false;
}

// The imported files, kept with their import's number.
void archive(Config const& config, std::string const& destination, long long import_id)
{
    auto from = inbox_of(config, destination);
    auto to = config.data_directory / "import" / "archive" / destination / std::to_string(import_id);
    std::error_code error;
    std::filesystem::create_directories(to, error);
    for (auto const& entry : std::filesystem::directory_iterator(from, error)) {
        auto name = entry.path().filename().string();
        if (!entry.is_regular_file() || name.starts_with("."))
            continue;
        std::filesystem::rename(entry.path(), to / name, error);
        if (error)
            log::error("import: cannot archive " + name + ": " + error.message());
    }
}

} // namespace

void make_class_spaces(db::Database* database, long long now)
{
    auto made = database->write(
        [&](soci::session& session) -> ErrorOr<long long> { return class_space::ensure_spaces(session, now); });
    if (made.is_error())
        log::error("import: class spaces not made: " + made.error().detail);
}

ErrorOr<void> attach_import_to_structure(soci::session& session, long long import_id, std::string const& uai_given)
{
    auto uai = uai_given;
    for (auto& c : uai)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    auto structure = identity::store::find_structure_by_uai(session, uai);
    if (!structure)
        return Error::not_found("Aucun établissement n'a l'UAI « " + uai + " ».");
    session << "UPDATE directory_import SET structure_id = :structure WHERE id = :id", soci::use(structure->id),
        soci::use(import_id);
    return {};
}

ErrorOr<http::Response> launch_import(Context& context)
{
    auto const type = context.request.form.get("type");
    bool dry_run = context.request.form.get("simulation") == "1";
    auto const actor = context.user().id;
    aaf::Options options;
    options.dry_run = dry_run;
    options.now = context.now;

    if (type == "aaf") {
        if (!context.user().platform_admin)
            return Error::forbidden("Seul un administrateur de la plateforme importe l'export de l'académie.",
                "AAF import refused to a structure administrator");
        auto directory = inbox_of(context.config(), "academie");
        if (!has_files(directory))
            return Error::invalid("Aucun fichier AAF n'attend dans le dépôt : déposez d'abord l'export de l'académie.");
        TRY(context.database().write([&](soci::session& session) -> ErrorOr<bool> {
            identity::store::audit(session, actor, "import_started", dry_run ? "AAF (simulation)" : "AAF");
            return true;
        }));
        auto& services = context.services;
        services.background.start([&services, directory, options](std::stop_token const&) {
            auto report = aaf::import_directory(*services.database, directory, options);
            if (report.is_error()) {
                log::error("import: AAF import from the console failed: " + report.error().detail);
                return;
            }
            if (!options.dry_run) {
                archive(services.config, "academie", report->import_id);
                make_class_spaces(services.database.get(), options.now);
            }
            services.forget_directory();
            log::info("import: AAF import " + std::to_string(report->import_id) + " done");
        });
        return http::Response::redirect("/admin/imports?lance=1");
    }
    if (type != "csv")
        return Error::invalid("Choisissez le type d'import.");
    auto structure = context.services.structure(context.user().structure_id, context.now);
    if (!structure)
        return Error::not_found();
    auto directory = inbox_of(context.config(), structure->uai);
    if (!has_files(directory))
        return Error::invalid("Aucun fichier CSV n'attend dans le dépôt : déposez d'abord les fichiers de "
                              "l'établissement.");
    auto report = csv::import_directory(context.database(), directory, structure->uai, options);
    if (report.is_error()) {
        if (report.error().kind == ErrorKind::Internal)
            return report.error();
        return Error::invalid(report.error().message_key, report.error().detail);
    }
    TRY(context.database().write([&](soci::session& session) -> ErrorOr<bool> {
        TRY(attach_import_to_structure(session, report->import_id, structure->uai));
        identity::store::audit(session, actor, "import_started",
            std::string("CSV") + (dry_run ? " (simulation)" : "") + ", import n° " + std::to_string(report->import_id));
        return true;
    }));
    if (!dry_run) {
        archive(context.config(), structure->uai, report->import_id);
        make_class_spaces(context.services.database.get(), context.now);
    }
    context.services.forget_directory();
    return http::Response::redirect("/admin/imports/" + std::to_string(report->import_id));
}

} // namespace cartable::directory

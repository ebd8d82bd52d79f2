// SPDX-License-Identifier: AGPL-3.0-or-later
#include "services/directory/import/aaf_import.h"
#include "services/directory/import/aaf_importer.h"
#include "services/directory/import/aaf_reader.h"
#include "services/directory/import/import_run.h"
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <sstream>

namespace cartable::directory::aaf {

namespace {

struct InputFile {
    std::filesystem::path path;
    Kind kind { Kind::Structure };
    long long bytes { 0 };
};

std::string number(long long value)
{
    auto text = std::to_string(value);
    std::string result;
    int digits = 0;
    for (auto it = text.rbegin(); it != text.rend(); ++it) {
        if (digits > 0 && digits % 3 == 0 && *it != '-')
            result.insert(result.begin(), ' ');
        result.insert(result.begin(), *it);
        ++digits;
    }
    return result;
}

} // namespace

Counts Report::totals() const
{
    Counts total;
    for (auto const& [structure, profiles] : people) {
        for (auto const& [profile, counts] : profiles) {
            total.created += counts.created;
            total.updated += counts.updated;
            total.unchanged += counts.unchanged;
            total.departed += counts.departed;
            total.linked += counts.linked;
            total.rejected += counts.rejected;
        }
    }
    return total;
}

std::string Report::text() const
{
    std::ostringstream out;
    out << (dry_run ? "Simulation de l'import AAF (rien n'a été modifié)" : "Import AAF") << " – "
        << (full ? "export complet" : "export partiel (delta)") << " : " << files << " fichier(s), " << number(records)
        << " enregistrement(s)";
    char seconds_text[32];
    std::snprintf(seconds_text, sizeof seconds_text, "%.1f", seconds);
    out << " en " << seconds_text << " s\n";
    out << "Établissements : " << structures.created << " créé(s), " << structures.updated << " modifié(s), "
        << structures.unchanged << " inchangé(s)\n";
    out << "Classes créées : " << classes_created << " ; groupes créés : " << groups_created
        << " ; matières : " << subjects << " ; MEF : " << mefs << "\n";
    out << "Liens responsable–élève : " << guardian_links << " ; enseignements : " << teachings
        << " ; professeurs principaux : " << head_teachers << "\n";
    auto total = totals();
    out << "Personnes : " << number(total.created) << " créée(s), " << number(total.updated) << " modifiée(s), "
        << number(total.unchanged) << " inchangée(s), " << number(total.departed) << " partie(s), "
        << number(total.rejected) << " rejetée(s)\n";
    std::map<std::string, Counts> by_profile;
    for (auto const& [structure, profiles] : people) {
        for (auto const& [profile, counts] : profiles) {
            auto& total_of = by_profile[profile];
            total_of.created += counts.created;
            total_of.updated += counts.updated;
            total_of.unchanged += counts.unchanged;
            total_of.departed += counts.departed;
            total_of.rejected += counts.rejected;
        }
    }
    for (auto const& [profile, counts] : by_profile)
        out << "  Total " << profile << " : " << number(counts.created) << " créé(s), " << number(counts.updated)
            << " modifié(s), " << number(counts.unchanged) << " inchangé(s), " << number(counts.departed)
            << " parti(s), " << number(counts.rejected) << " rejeté(s)\n";
    out << "Par établissement :\n";
    for (auto const& [structure, profiles] : people) {
        out << "  " << structure << "\n";
        for (auto const& [profile, counts] : profiles)
            out << "    " << profile << " : " << counts.created << " créé(s), " << counts.updated << " modifié(s), "
                << counts.unchanged << " inchangé(s), " << counts.departed << " parti(s), " << counts.rejected
                << " rejeté(s)\n";
    }
    out << "Rejets : " << rejections.size() << "\n";
    for (auto const& rejection : rejections)
        out << "  " << rejection.file << " ligne " << rejection.line
            << (rejection.record_id.empty() ? "" : " (" + rejection.record_id + ")") << " : " << rejection.reason
            << "\n";
    return out.str();
}

ErrorOr<Report> import_directory(db::Database& database, std::filesystem::path const& directory, Options const& options)
{
    std::error_code error;
    if (!std::filesystem::is_directory(directory, error))
        return Error::invalid("Le dossier " + directory.string() + " n'existe pas.");
    std::vector<InputFile> files;
    int full_files = 0;
    for (auto const& entry : std::filesystem::directory_iterator(directory, error)) {
        if (!entry.is_regular_file())
            continue;
        auto name = entry.path().filename().string();
        auto kind = kind_of_file(name);
        if (!kind)
            continue;
        full_files += is_full_export(name) ? 1 : 0;
        files.push_back({ entry.path(), *kind, static_cast<long long>(entry.file_size()) });
    }
    if (files.empty())
        return Error::invalid(
            "Aucun fichier AAF (ENT…_Complet_… ou ENT…_Delta_….xml) dans " + directory.string() + ".");
    if (full_files != 0 && full_files != static_cast<int>(files.size()))
        return Error::invalid(
            "Ce dossier mélange un export complet et un export partiel (delta) : importez-les séparément.");
    std::sort(files.begin(), files.end(), [](InputFile const& a, InputFile const& b) {
        return a.kind != b.kind ? a.kind < b.kind : a.path.filename() < b.path.filename();
    });

    Report report;
    report.full = full_files != 0;
    report.dry_run = options.dry_run;
    report.files = static_cast<int>(files.size());
    long long bytes_total = 0;
    for (auto const& file : files)
        bytes_total += file.bytes;
    auto started = std::chrono::steady_clock::now();
    auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count(); };

    Importer importer(options, report);
    report.import_id = TRY(import::open_record(
        database, "aaf", report.full ? "complet" : "delta", options.dry_run, directory.string(), options.now));

    // Reads every file (on a thread of its own) and applies its records, a
    // batch per call of `apply_batch`.
    auto run = [&](import::ApplyBatch const& apply_batch) -> ErrorOr<void> {
        std::vector<std::filesystem::path> paths;
        paths.reserve(files.size());
        for (auto const& file : files)
            paths.push_back(file.path);
        ReadAhead ahead(paths, static_cast<std::size_t>(std::max(options.batch_size, 1)));
        long long bytes_before = 0; // of the files before the batch's
        std::size_t file_index = 0;
        while (true) {
            auto next = TRY(ahead.next());
            if (!next)
                break;
            auto const& batch = *next;
            for (; file_index < batch.file; ++file_index)
                bytes_before += files[file_index].bytes;
            auto const& file = files[batch.file];
            auto name = file.path.filename().string();
            if (!batch.error.empty())
                report.rejections.push_back({ name, 0, {}, batch.error });
            std::vector<Rejection> rejected;
            if (!batch.records.empty()) {
                TRY(apply_batch([&](soci::session& session) -> ErrorOr<bool> {
                    rejected.clear();
                    importer.apply_batch(session, file.kind, batch.records, name, rejected);
                    return true;
                }));
            }
            report.records += static_cast<long long>(batch.records.size());
            report.rejections.insert(report.rejections.end(), rejected.begin(), rejected.end());
            if (options.progress)
                options.progress({ name, static_cast<int>(batch.file) + 1, static_cast<int>(files.size()),
                    report.records, bytes_before + batch.bytes_read, bytes_total, elapsed() });
            ahead.recycle(std::move(*next));
        }
        return apply_batch([&](soci::session& session) -> ErrorOr<bool> {
            importer.finish(session);
            return true;
        });
    };

    auto outcome = import::run_batches(database, options.dry_run, run);
    report.seconds = elapsed();
    TRY(import::close_record(database, report, report.text(), outcome));
    return report;
}

} // namespace cartable::directory::aaf

// SPDX-License-Identifier: AGPL-3.0-or-later
// `cartable import aaf DIR [--dry-run]`: the académie's feed applied to the
// directory (docs/aaf.md).
#pragma once

#include "core/db/database.h"
#include "core/error.h"
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace cartable::directory::aaf {

struct Counts {
    long long created { 0 };
    long long updated { 0 };
    long long unchanged { 0 };
    long long departed { 0 };
    long long linked { 0 }; // guardian links (students) or teachings (teachers)
    long long rejected { 0 };
};

struct Rejection {
    std::string file;
    int line { 0 };
    std::string record_id;
    std::string reason;
};

struct Progress {
    std::string file;
    int file_index { 0 };
    int file_count { 0 };
    long long records { 0 };
    long long bytes_done { 0 };
    long long bytes_total { 0 };
    double seconds { 0 };
};

struct Options {
    bool dry_run { false };
    long long now { 0 };
    int batch_size { 2000 }; // records per transaction
    std::function<void(Progress const&)> progress; // called every few hundred records
};

struct Report {
    long long import_id { 0 };
    bool full { false };
    bool dry_run { false };
    int files { 0 };
    long long records { 0 };
    double seconds { 0 };
    // Per structure (« LYCEE JEAN MOULIN (0300021U) ») and profile (« Élève »).
    std::map<std::string, std::map<std::string, Counts>> people;
    Counts structures;
    long long classes_created { 0 };
    long long groups_created { 0 };
    long long subjects { 0 };
    long long mefs { 0 };
    long long guardian_links { 0 };
    long long teachings { 0 };
    long long head_teachers { 0 };
    std::vector<Rejection> rejections;

    Counts totals() const;
    // The report in French, as the console and the terminal show it.
    std::string text() const;
};

// Imports every AAF file of the directory. Bad records are rejected and
// listed, the rest goes on; an error only when the run cannot go on (no
// files, a mix of full and delta files, the database failing).
ErrorOr<Report> import_directory(db::Database&, std::filesystem::path const& directory, Options const&);

} // namespace cartable::directory::aaf

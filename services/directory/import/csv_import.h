// SPDX-License-Identifier: AGPL-3.0-or-later
// `cartable import csv DIR --structure UAI [--dry-run]`: the directory of a
// structure outside the académie's feed, from its own CSV files
// (docs/csv-import.md). Same report, dry run and idempotence as the AAF
// import.
#pragma once

#include "core/db/database.h"
#include "core/error.h"
#include "services/directory/import/aaf_import.h"
#include <filesystem>
#include <string>

namespace cartable::directory::csv {

using aaf::Counts;
using aaf::Options;
using aaf::Rejection;
using aaf::Report;

// The files read, in this order. Any of them may be missing: the people of
// its profiles are then left alone.
inline constexpr char const* STUDENTS_FILE = "eleves.csv";
inline constexpr char const* GUARDIANS_FILE = "responsables.csv";
inline constexpr char const* STAFF_FILE = "personnels.csv";

// Imports the CSV files of the directory into the structure `uai`, which
// must exist. Bad rows are rejected and listed, the rest goes on; an error
// only when the run cannot go on (no structure, no files, the database
// failing).
ErrorOr<Report> import_directory(
    db::Database&, std::filesystem::path const& directory, std::string const& uai, Options const&);

// The report in French (the AAF report's text, titled for a CSV import).
std::string report_text(Report const&, std::string const& uai);

} // namespace cartable::directory::csv

// SPDX-License-Identifier: AGPL-3.0-or-later
// What every directory import (AAF, CSV) does around its records: the row of
// directory_import, the batches in transactions (or one rolled-back
// transaction for a dry run), and the report kept at the end.
#pragma once

#include "core/db/database.h"
#include "core/error.h"
#include "services/directory/import/aaf_import.h"
#include <functional>
#include <string>

namespace cartable::directory::import {

// Applies one batch of work in a transaction.
using Batch = std::function<ErrorOr<bool>(soci::session&)>;
using ApplyBatch = std::function<ErrorOr<void>(Batch const&)>;

// The import's row in directory_import, « running » until finished.
ErrorOr<long long> open_record(db::Database&, std::string const& source, std::string const& mode, bool dry_run,
    std::string const& location, long long now);

// Runs `run`, which hands its batches to the ApplyBatch it is given: each
// batch its own transaction, or for a dry run all of them in one
// transaction rolled back at the end (later records see the earlier ones as
// a real run would, and nothing stays).
ErrorOr<void> run_batches(db::Database&, bool dry_run, std::function<ErrorOr<void>(ApplyBatch const&)> const& run);

// Writes the report and the rejections into the import's row; returns the
// outcome's error if the run failed, after noting it in the report.
ErrorOr<void> close_record(db::Database&, aaf::Report const&, std::string report_text, ErrorOr<void> const& outcome);

} // namespace cartable::directory::import

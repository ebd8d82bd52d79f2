// SPDX-License-Identifier: AGPL-3.0-or-later
#include "services/directory/import/import_run.h"
#include <ctime>

namespace cartable::directory::import {

ErrorOr<long long> open_record(db::Database& database, std::string const& source, std::string const& mode, bool dry_run,
    std::string const& location, long long now)
{
    long long dry = dry_run ? 1 : 0;
    return database.write([&](soci::session& session) -> ErrorOr<long long> {
        long long id = 0;
        session << "INSERT INTO directory_import (source, mode, dry_run, location, started_at) VALUES (:source, "
                   ":mode, :dry, :location, :started) RETURNING id",
            soci::use(source), soci::use(mode), soci::use(dry), soci::use(location), soci::use(now), soci::into(id);
        return id;
    });
}

ErrorOr<void> run_batches(
    db::Database& database, bool dry_run, std::function<ErrorOr<void>(ApplyBatch const&)> const& run)
{
    if (!dry_run) {
        return run([&](Batch const& work) -> ErrorOr<void> {
            TRY(database.write(work));
            return {};
        });
    }
    auto lease = database.lease();
    auto& session = lease.session();
    session.begin();
    ErrorOr<void> outcome;
    try {
        outcome = run([&](Batch const& work) -> ErrorOr<void> {
            TRY(work(session));
            return {};
        });
    } catch (std::exception const& failure) {
        outcome = Error::internal(std::string("database: ") + failure.what());
    }
    session.rollback();
    return outcome;
}

ErrorOr<void> close_record(
    db::Database& database, aaf::Report const& report, std::string report_text, ErrorOr<void> const& outcome)
{
    auto status = std::string(outcome.is_error() ? "failed" : "done");
    if (outcome.is_error())
        report_text += "L'import s'est arrêté : " + outcome.error().message_key + "\n";
    auto finished = static_cast<long long>(std::time(nullptr));
    auto rejected_count = static_cast<long long>(report.rejections.size());
    TRY(database.write([&](soci::session& session) -> ErrorOr<bool> {
        session << "UPDATE directory_import SET finished_at = :finished, status = :status, records = :records, "
                   "rejected = :rejected, report = :report WHERE id = :id",
            soci::use(finished), soci::use(status), soci::use(report.records), soci::use(rejected_count),
            soci::use(report_text), soci::use(report.import_id);
        for (auto const& rejection : report.rejections) {
            long long line = rejection.line;
            session << "INSERT INTO directory_import_rejection (import_id, file, line, record_id, reason) VALUES "
                       "(:import, :file, :line, :record, :reason)",
                soci::use(report.import_id), soci::use(rejection.file), soci::use(line), soci::use(rejection.record_id),
                soci::use(rejection.reason);
        }
        return true;
    }));
    if (outcome.is_error())
        return outcome.error();
    return {};
}

} // namespace cartable::directory::import

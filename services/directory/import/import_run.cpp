// SPDX-License-Identifier: AGPL-3.0-or-later
#include "services/directory/import/import_run.h"
#include "core/log.h"
#include <algorithm>
#include <chrono>
#include <ctime>
#include <optional>
#include <thread>

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

namespace {

// The connection an import writes with, for the time of the run. On
// SQLite, a page cache large enough for the indexes the import fills (the
// default 2 MB made it read and write the same pages again and again),
// temporary tables in memory, and fewer checkpoints of the write-ahead log;
// put back as they were afterwards, since the connection returns to the
// pool. (synchronous=NORMAL, the pool's setting, stays: under WAL it keeps
// the database whole through a crash, a committed batch at most is lost.)
class ImportConnection {
public:
    ImportConnection(db::Engine engine, soci::session& session)
        : m_engine(engine)
        , m_session(session)
    {
        if (m_engine != db::Engine::Sqlite)
            return;
        m_session << "PRAGMA cache_size", soci::into(m_cache_size);
        m_session << "PRAGMA wal_autocheckpoint", soci::into(m_autocheckpoint);
        m_session << "PRAGMA temp_store", soci::into(m_temp_store);
        m_session << "PRAGMA cache_size = -131072"; // KiB: 128 MiB
        m_session << "PRAGMA wal_autocheckpoint = 16384"; // pages: 64 MiB
        m_session << "PRAGMA temp_store = MEMORY";
    }

    ~ImportConnection()
    {
        if (m_engine != db::Engine::Sqlite)
            return;
        try {
            m_session << "PRAGMA cache_size = " + std::to_string(m_cache_size);
            m_session << "PRAGMA wal_autocheckpoint = " + std::to_string(m_autocheckpoint);
            m_session << "PRAGMA temp_store = " + std::to_string(m_temp_store);
        } catch (std::exception const& failure) {
            log::warning(std::string("import: the connection's settings could not be put back: ") + failure.what());
        }
    }

    ImportConnection(ImportConnection const&) = delete;
    ImportConnection& operator=(ImportConnection const&) = delete;

    // One batch: its own transaction. On PostgreSQL the commit need not wait
    // for the disk (a crash of the server may lose the last batches, never
    // half of one: the next run does them again), and the statements, the
    // same for every batch, are planned once rather than at each run (a
    // tenth of the server's time went into planning them).
    ErrorOr<void> transaction(Batch const& work)
    {
        auto started = std::chrono::steady_clock::now();
        auto outcome = run_transaction(work);
        // SQLite has one writer at a time, and the next batch is read while
        // this one is written: without a pause the import would hold the
        // lock from start to end, and the server's writes (sessions,
        // messages) would wait for it. A tenth of the batch's time, free.
        if (m_engine == db::Engine::Sqlite) {
            auto pause = (std::chrono::steady_clock::now() - started) / 10;
            std::this_thread::sleep_for(std::clamp<std::chrono::steady_clock::duration>(
                pause, std::chrono::milliseconds(1), std::chrono::milliseconds(50)));
        }
        return outcome;
    }

private:
    ErrorOr<void> run_transaction(Batch const& work)
    {
        try {
            if (m_engine == db::Engine::Sqlite) {
                m_session << "BEGIN IMMEDIATE";
            } else {
                m_session << "BEGIN";
                m_session << "SET LOCAL synchronous_commit TO OFF";
                // Planned once: the statistics are kept fresh (Pending).
                m_session << "SET LOCAL plan_cache_mode TO force_generic_plan";
            }
            auto outcome = work(m_session);
            if (outcome.is_error()) {
                rollback();
                return outcome.release_error();
            }
            m_session << "COMMIT";
            return {};
        } catch (std::exception const& failure) {
            rollback();
            return Error::internal(std::string("database: ") + failure.what());
        }
    }

    void rollback()
    {
        try {
            m_session << "ROLLBACK";
        } catch (std::exception const& failure) {
            log::warning(std::string("import: rollback failed: ") + failure.what());
        }
    }

    db::Engine m_engine;
    soci::session& m_session;
    long long m_cache_size { -2000 };
    long long m_autocheckpoint { 1000 };
    long long m_temp_store { 0 };
};

} // namespace

ErrorOr<void> run_batches(
    db::Database& database, bool dry_run, std::function<ErrorOr<void>(ApplyBatch const&)> const& run)
{
    // One connection for the whole run: its statements are prepared once.
    auto lease = database.lease();
    auto& session = lease.session();
    std::optional<ImportConnection> connection;
    try {
        connection.emplace(database.engine(), session);
    } catch (std::exception const& failure) {
        return Error::internal(std::string("database: ") + failure.what());
    }
    if (!dry_run)
        return run([&](Batch const& work) { return connection->transaction(work); });
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

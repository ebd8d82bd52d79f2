// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include "core/error.h"
#include <memory>
#include <soci/soci.h>
#include <string>
#include <type_traits>

namespace cartable::db {

enum class Engine { Sqlite, Postgresql };

// One interface over two engines (SOCI underneath): SQLite in WAL mode, the
// embedded default, and PostgreSQL for deployments of several nodes. Stores
// write SQL both engines accept, with named placeholders (:name) bound by
// value; where the engines differ, Database::dialect() says how.
class Database {
public:
    static ErrorOr<std::unique_ptr<Database>> open(std::string const& url, std::size_t pool_size);
    ~Database();

    Engine engine() const { return m_engine; }
    std::string const& redacted_url() const { return m_redacted_url; }

    // A pooled connection, returned to the pool when the lease ends: the
    // pooled session itself (not SOCI's proxy session), so statements
    // prepared on it can outlive the lease (see prepared.h).
    class Lease {
    public:
        explicit Lease(soci::connection_pool& pool)
            : m_pool(pool)
            , m_position(pool.lease())
        { }
        ~Lease() { m_pool.give_back(m_position); }
        Lease(Lease const&) = delete;
        Lease& operator=(Lease const&) = delete;
        soci::session& session() { return m_pool.at(m_position); }
        soci::session& operator*() { return session(); }

    private:
        soci::connection_pool& m_pool;
        std::size_t m_position;
    };
    Lease lease() { return Lease(*m_pool); }

    // Runs the work in one transaction: committed if it returns a value,
    // rolled back if it returns an error or throws. On SQLite the
    // transaction takes the write lock at once (BEGIN IMMEDIATE), so two
    // writers queue instead of failing on a lock upgrade.
    template<typename Work> auto transaction(Work&& work) -> std::invoke_result_t<Work, soci::session&>
    {
        auto lease = this->lease();
        auto& session = lease.session();
        begin(session);
        try {
            auto result = work(session);
            if (result.is_error())
                rollback(session);
            else
                commit(session);
            return result;
        } catch (...) {
            rollback(session);
            throw;
        }
    }

    // Runs read-only work on a pooled connection; database exceptions become
    // Internal errors, with the detail kept for the log.
    template<typename Work> auto read(Work&& work) -> std::invoke_result_t<Work, soci::session&>
    {
        try {
            auto lease = this->lease();
            return work(lease.session());
        } catch (std::exception const& error) {
            return Error::internal(std::string("database: ") + error.what());
        }
    }

    template<typename Work> auto write(Work&& work) -> std::invoke_result_t<Work, soci::session&>
    {
        try {
            return transaction(std::forward<Work>(work));
        } catch (std::exception const& error) {
            return Error::internal(std::string("database: ") + error.what());
        }
    }

private:
    Database() = default;
    void begin(soci::session&);
    void commit(soci::session&);
    void rollback(soci::session&);

    Engine m_engine { Engine::Sqlite };
    std::string m_redacted_url;
    std::unique_ptr<soci::connection_pool> m_pool;
    std::size_t m_pool_size { 0 };
};

// Replaces the password of a postgresql:// URL, for logs and messages.
std::string redact_database_url(std::string const& url);

} // namespace cartable::db

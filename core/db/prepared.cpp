// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/db/prepared.h"
#include <mutex>
#include <shared_mutex>
#include <soci/sqlite3/soci-sqlite3.h>
#include <unordered_map>

namespace cartable::db {

namespace {

// The queries of each connection, keyed by its backend: a session leased
// from the pool is a proxy, but its backend is the pooled connection's.
struct Registry {
    std::shared_mutex mutex;
    std::unordered_map<void const*, std::unordered_map<std::type_index, std::unique_ptr<PreparedQuery>>> connections;
};

Registry& registry()
{
    static Registry instance;
    return instance;
}

} // namespace

PreparedQuery::Release::~Release()
{
    // On SQLite, reset now: a statement left stepped keeps its read
    // transaction open. (PostgreSQL's backend keeps no such state.)
    if (!is_sqlite)
        return;
    auto* sqlite = static_cast<soci::sqlite3_statement_backend*>(statement.get_backend());
    if (sqlite && sqlite->stmt_)
        sqlite_api::sqlite3_reset(sqlite->stmt_);
}

bool PreparedQuery::fetch_one(soci::statement& statement)
{
    Release release { statement, m_is_sqlite };
    return statement.execute(true);
}

void PreparedQuery::run(soci::statement& statement)
{
    Release release { statement, m_is_sqlite };
    statement.execute(true);
}

namespace detail {

PreparedQuery* find_prepared(soci::session& session, std::type_index type)
{
    auto& shared = registry();
    std::shared_lock lock(shared.mutex);
    auto connection = shared.connections.find(session.get_backend());
    if (connection == shared.connections.end())
        return nullptr;
    auto query = connection->second.find(type);
    return query == connection->second.end() ? nullptr : query->second.get();
}

PreparedQuery& keep_prepared(soci::session& session, std::type_index type, std::unique_ptr<PreparedQuery> query)
{
    auto& shared = registry();
    std::unique_lock lock(shared.mutex);
    query->set_engine_is_sqlite(session.get_backend_name() == "sqlite3");
    auto& slot = shared.connections[session.get_backend()][type];
    slot = std::move(query);
    return *slot;
}

} // namespace detail

void forget_prepared(soci::session& session)
{
    auto& shared = registry();
    std::unique_lock lock(shared.mutex);
    shared.connections.erase(session.get_backend());
}

} // namespace cartable::db

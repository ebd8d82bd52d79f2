// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include <memory>
#include <soci/soci.h>
#include <typeindex>

namespace cartable::db {

// A query prepared once per pooled connection and run again and again:
// SQLite spends more time parsing and planning a join than running it
// (about 120 000 instructions for the session lookup of every page).
//
// A derived query declares its bound values and results as members, then
// the statement, prepared in its constructor from the connection's session;
// the members stay where they are, since the query lives on the heap until
// its connection closes. After each run the statement is reset, so an idle
// statement never holds SQLite's read snapshot (which would hide other
// connections' commits).
class PreparedQuery {
public:
    PreparedQuery() = default;
    PreparedQuery(PreparedQuery const&) = delete;
    PreparedQuery& operator=(PreparedQuery const&) = delete;
    virtual ~PreparedQuery() = default;

protected:
    // Runs a statement that yields at most one row; true if it did.
    bool fetch_one(soci::statement& statement);
    // Runs a statement and calls on_row for each row.
    template<typename OnRow> void fetch_all(soci::statement& statement, OnRow&& on_row)
    {
        Release release { statement, m_is_sqlite };
        if (statement.execute(true)) {
            do {
                on_row();
            } while (statement.fetch());
        }
    }
    // Runs a statement that yields no rows (INSERT, UPDATE, DELETE).
    void run(soci::statement& statement);

private:
    struct Release {
        soci::statement& statement;
        bool is_sqlite;
        ~Release();
    };
    bool m_is_sqlite { false };

public:
    void set_engine_is_sqlite(bool is_sqlite) { m_is_sqlite = is_sqlite; }
};

namespace detail {
PreparedQuery* find_prepared(soci::session& session, std::type_index type);
PreparedQuery& keep_prepared(soci::session& session, std::type_index type, std::unique_ptr<PreparedQuery> query);
} // namespace detail

// The connection's instance of Query, prepared on first use.
template<typename Query> Query& prepared(soci::session& session)
{
    if (auto* found = detail::find_prepared(session, typeid(Query)))
        return static_cast<Query&>(*found);
    return static_cast<Query&>(detail::keep_prepared(session, typeid(Query), std::make_unique<Query>(session)));
}

// Drops the prepared queries of a connection before it closes.
void forget_prepared(soci::session& session);

} // namespace cartable::db

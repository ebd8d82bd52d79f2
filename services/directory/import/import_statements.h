// SPDX-License-Identifier: AGPL-3.0-or-later
// The statements of the directory's imports, each prepared once per
// connection (db::prepared): parsing a statement again for each of 700 000
// records cost more than running it. The hot reads and inserts take many
// rows at a time, since on PostgreSQL every statement is a round trip to
// the server:
//   - ByKeys runs `… WHERE key IN (?)` for up to 64 keys at once;
//   - InsertRows runs `INSERT … VALUES (…), (…), …` for up to 64 rows, and
//     Pending keeps the rows of a batch until it is written.
// The SQL of these is the constant text given, its « ? » repeated for each
// key or row as numbered placeholders; values are always bound.
#pragma once

#include "core/db/prepared.h"
#include <algorithm>
#include <array>
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <tuple>
#include <vector>

namespace cartable::directory::import {

inline constexpr std::size_t MANY = 64; // keys or rows per statement

namespace detail {

// `sql` with each « ? » of `repeated` written `copies` times, numbered
// :v0, :v1…: « (?, ?) » three times is « (:v0, :v1), (:v2, :v3), (:v4, :v5) ».
inline std::string repeat(std::string const& head, std::string const& repeated, std::size_t copies,
    std::string const& tail, std::string const& separator = ", ")
{
    std::string text = head;
    std::size_t number = 0;
    for (std::size_t copy = 0; copy < copies; ++copy) {
        if (copy > 0)
            text += separator;
        for (char c : repeated) {
            if (c == '?')
                text.append(":v").append(std::to_string(number++));
            else
                text += c;
        }
    }
    return text + tail;
}

template<typename Tuple> void bind_uses(soci::statement& statement, Tuple& values)
{
    std::apply([&](auto&... value) { (statement.exchange(soci::use(value)), ...); }, values);
}

template<typename Tuple> void bind_intos(soci::statement& statement, Tuple& values)
{
    std::apply([&](auto&... value) { (statement.exchange(soci::into(value)), ...); }, values);
}

} // namespace detail

// A statement of Sql with its values bound in order; no row back (INSERT,
// UPDATE, DELETE). db::prepared<Run<SQL, long long>>(session)(id).
template<char const* Sql, typename... Values> struct Run : db::PreparedQuery {
    std::tuple<Values...> values;
    soci::statement statement;

    explicit Run(soci::session& session)
        : statement(session)
    {
        detail::bind_uses(statement, values);
        statement.alloc();
        statement.prepare(Sql);
        statement.define_and_bind();
    }

    // The number of rows changed.
    long long operator()(Values const&... given)
    {
        values = std::tuple<Values...>(given...);
        run(statement);
        return statement.get_affected_rows();
    }
};

// A query of Sql yielding Row (a tuple) for the values given.
template<char const* Sql, typename Row, typename... Values> struct Fetch : db::PreparedQuery {
    std::tuple<Values...> values;
    Row row;
    soci::statement statement;

    explicit Fetch(soci::session& session)
        : statement(session)
    {
        detail::bind_uses(statement, values);
        detail::bind_intos(statement, row);
        statement.alloc();
        statement.prepare(Sql);
        statement.define_and_bind();
    }

    // Calls on_row for each row.
    template<typename OnRow> void each(Values const&... given, OnRow&& on_row)
    {
        values = std::tuple<Values...>(given...);
        fetch_all(statement, [&] { on_row(row); });
    }

    // The first row, if any.
    std::optional<Row> first(Values const&... given)
    {
        values = std::tuple<Values...>(given...);
        if (!fetch_one(statement))
            return std::nullopt;
        return row;
    }
};

// `… WHERE key IN (?)` for MANY keys at a time (a shorter list repeats its
// first key: IN ignores duplicates), yielding Row (a tuple).
template<char const* Sql, typename Key, typename Row> struct ByKeys : db::PreparedQuery {
    std::array<Key, MANY> keys {};
    Row row;
    soci::statement statement;

    explicit ByKeys(soci::session& session)
        : statement(session)
    {
        for (auto& key : keys)
            statement.exchange(soci::use(key));
        detail::bind_intos(statement, row);
        std::string sql(Sql);
        auto list = sql.find("(?)");
        statement.alloc();
        statement.prepare(detail::repeat(sql.substr(0, list + 1), "?", MANY, sql.substr(list + 2)));
        statement.define_and_bind();
    }

    // Calls on_row for each row of any of the keys.
    template<typename OnRow> void each(std::span<Key const> given, OnRow&& on_row)
    {
        for (std::size_t start = 0; start < given.size(); start += MANY) {
            auto count = std::min(MANY, given.size() - start);
            for (std::size_t index = 0; index < MANY; ++index)
                keys[index] = given[start + (index < count ? index : 0)];
            fetch_all(statement, [&] { on_row(row); });
        }
    }
};

// `INSERT … VALUES ?` of Rows rows at once; Table gives TABLE, HEAD (« INSERT
// INTO t (a, b) VALUES »), ROW (« (?, ?) », constants allowed), TAIL (« » or
// « RETURNING … »), Row, a tuple of the values of a row in order, and
// Returned, a tuple of what RETURNING gives back of each.
template<typename Table, std::size_t Rows> struct InsertRows : db::PreparedQuery {
    std::array<typename Table::Row, Rows> rows {};
    typename Table::Returned returned {};
    soci::statement statement;

    explicit InsertRows(soci::session& session)
        : statement(session)
    {
        for (auto& row : rows)
            detail::bind_uses(statement, row);
        detail::bind_intos(statement, returned);
        statement.alloc();
        statement.prepare(detail::repeat(Table::HEAD, Table::ROW, Rows, Table::TAIL));
        statement.define_and_bind();
    }

    // Inserts rows [first, first + Rows) (moved from); on_returned for each
    // row given back.
    template<typename OnReturned> void insert(typename Table::Row* first, OnReturned&& on_returned)
    {
        std::move(first, first + Rows, rows.begin());
        if constexpr (std::tuple_size_v<typename Table::Returned> == 0)
            run(statement);
        else
            fetch_all(statement, [&] { on_returned(returned); });
    }
};

// The rows of one table waiting for the end of the batch, then inserted
// MANY at a time (the rest by 16, 4 and 1).
//
// PostgreSQL plans a prepared statement with the statistics of its table at
// the time: a table empty when the import began would then be read whole
// for each key (an import of 70 000 people took ten minutes once, a minute
// another time, as the autovacuum came by). The import renews the
// statistics of a table each time it has doubled it.
template<typename Table> class Pending {
public:
    using Row = typename Table::Row;

    std::vector<Row> rows;

    void add(Row row) { rows.push_back(std::move(row)); }
    bool empty() const { return rows.empty(); }

    template<typename OnReturned> void flush(soci::session& session, OnReturned&& on_returned)
    {
        std::size_t done = 0;
        insert_by<MANY>(session, done, on_returned);
        insert_by<16>(session, done, on_returned);
        insert_by<4>(session, done, on_returned);
        insert_by<1>(session, done, on_returned);
        m_added += rows.size();
        rows.clear();
        if (m_added >= MINIMUM_CHANGE && session.get_backend_name() == "postgresql")
            renew_statistics(session);
    }

    void flush(soci::session& session)
    {
        flush(session, [](auto const&) {});
    }

private:
    static constexpr std::size_t MINIMUM_CHANGE = 1000;
    std::optional<std::size_t> m_counted; // rows of the table at its last statistics
    std::size_t m_added { 0 }; // since

    void renew_statistics(soci::session& session)
    {
        if (!m_counted) {
            double rows_before = 0;
            std::string table(Table::TABLE);
            session << "SELECT GREATEST(reltuples, 0) FROM pg_class WHERE oid = to_regclass(:table)", soci::use(table),
                soci::into(rows_before);
            m_counted = static_cast<std::size_t>(rows_before);
        }
        if (m_added < *m_counted)
            return;
        session << std::string("ANALYZE ") + Table::TABLE;
        *m_counted += m_added;
        m_added = 0;
    }

    template<std::size_t Rows, typename OnReturned>
    void insert_by(soci::session& session, std::size_t& done, OnReturned& on_returned)
    {
        if (rows.size() - done < Rows)
            return;
        auto& statement = db::prepared<InsertRows<Table, Rows>>(session);
        for (; rows.size() - done >= Rows; done += Rows)
            statement.insert(rows.data() + done, on_returned);
    }
};

} // namespace cartable::directory::import

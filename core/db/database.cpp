// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/db/database.h"
#include "core/db/prepared.h"
#include "core/log.h"
#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>
#include <filesystem>
#include <mutex>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/sqlite3/soci-sqlite3.h>

namespace cartable::db {

namespace {

// SOCI's PostgreSQL backend takes a libpq keyword string; our URL is the
// usual postgresql://user:password@host:port/name.
ErrorOr<std::string> libpq_parameters(std::string const& url)
{
    auto parsed = boost::urls::parse_uri(url);
    if (!parsed)
        return Error::invalid("L'adresse de la base PostgreSQL est mal formée.");
    auto quote = [](std::string const& value) {
        std::string out = "'";
        for (char c : value) {
            if (c == '\'' || c == '\\')
                out += '\\';
            out += c;
        }
        return out + "'";
    };
    std::string result;
    if (parsed->has_userinfo()) {
        result += "user=" + quote(std::string(parsed->user())) + " ";
        if (parsed->has_password())
            result += "password=" + quote(std::string(parsed->password())) + " ";
    }
    if (!parsed->host().empty())
        result += "host=" + quote(std::string(parsed->host())) + " ";
    if (parsed->has_port())
        result += "port=" + std::string(parsed->port()) + " ";
    auto path = std::string(parsed->path());
    if (path.size() > 1)
        result += "dbname=" + quote(path.substr(1)) + " ";
    for (auto const& parameter : parsed->params())
        result += parameter.key + "=" + quote(parameter.value) + " ";
    return result;
}

} // namespace

std::string redact_database_url(std::string const& url)
{
    auto parsed = boost::urls::parse_uri(url);
    if (!parsed || !parsed->has_password())
        return url;
    boost::urls::url copy(*parsed);
    copy.set_password("***");
    return std::string(copy.buffer());
}

ErrorOr<std::unique_ptr<Database>> Database::open(std::string const& url, std::size_t pool_size)
{
    std::unique_ptr<Database> database(new Database);
    database->m_redacted_url = redact_database_url(url);
    database->m_pool_size = pool_size;
    database->m_pool = std::make_unique<soci::connection_pool>(pool_size);
    try {
        if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0) {
            database->m_engine = Engine::Postgresql;
            auto parameters = TRY(libpq_parameters(url));
            for (std::size_t index = 0; index < pool_size; ++index) {
                database->m_pool->at(index).open(soci::postgresql, parameters);
                database->m_pool->at(index) << "SET client_min_messages TO WARNING";
            }
        } else {
            // Before SQLite starts: each pooled connection is used by one
            // thread at a time, so SQLite's own per-connection mutexes and
            // its global memory statistics lock are pure cost.
            static std::once_flag configured;
            std::call_once(configured, [] {
                sqlite_api::sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
                sqlite_api::sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
            });
            std::string path = url.rfind("sqlite:", 0) == 0 ? url.substr(7) : url;
            if (path.empty())
                return Error::invalid("Le chemin de la base SQLite est vide.");
            auto parent = std::filesystem::path(path).parent_path();
            if (!parent.empty())
                std::filesystem::create_directories(parent);
            for (std::size_t index = 0; index < pool_size; ++index) {
                auto& session = database->m_pool->at(index);
                session.open(soci::sqlite3, "db=\"" + path + "\" timeout=10 shared_cache=false");
                session << "PRAGMA journal_mode=WAL";
                session << "PRAGMA synchronous=NORMAL";
                session << "PRAGMA foreign_keys=ON";
                session << "PRAGMA busy_timeout=10000";
            }
        }
    } catch (std::exception const& error) {
        return Error { ErrorKind::Internal, "Impossible d'ouvrir la base de données.",
            "opening " + database->m_redacted_url + ": " + error.what() };
    }
    return database;
}

Database::~Database()
{
    if (!m_pool)
        return;
    for (std::size_t index = 0; index < m_pool_size; ++index)
        forget_prepared(m_pool->at(index));
}

void Database::begin(soci::session& session)
{
    session << (m_engine == Engine::Sqlite ? "BEGIN IMMEDIATE" : "BEGIN");
}

void Database::commit(soci::session& session)
{
    session << "COMMIT";
}

void Database::rollback(soci::session& session)
{
    try {
        session << "ROLLBACK";
    } catch (std::exception const& error) {
        log::warning(std::string("rollback failed: ") + error.what());
    }
}

} // namespace cartable::db

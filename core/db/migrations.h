// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include "core/db/database.h"
#include "core/error.h"
#include <optional>
#include <string>
#include <vector>

namespace cartable::db {

// A numbered SQL file of one owner (core part or service), carried in the
// program: core/identity/migrations/001_identity.sql is owner "identity",
// version 1. Never edited once landed; a change is a new file. Where the
// engines need different SQL (full-text search), two files share a number:
// 001_help.sqlite.sql and 001_help.postgresql.sql.
struct Migration {
    std::string owner;
    int version { 0 };
    std::string name;
    std::string sql;
    std::optional<Engine> only_on;
    // 0: core/identity, 1: another core part (core/school), 2: a service.
    int rank { 2 };
};

// Every migration the program carries, core's first (identity, then the
// other core parts, whose tables the services refer to), then by owner and
// version.
std::vector<Migration> embedded_migrations();

// Writes the engine's spelling of the few things the engines say differently:
// {{ID}} (an auto-incremented primary key), {{BLOB}}.
std::string apply_dialect(std::string const& sql, Engine engine);

struct MigrationReport {
    std::vector<std::string> applied; // "identity 1 identity"
};

// Applies what is not yet applied, each migration in its own transaction.
ErrorOr<MigrationReport> migrate(Database& database);

} // namespace cartable::db

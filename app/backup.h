// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include "core/config/config.h"
#include <filesystem>

namespace cartable::app {

// `cartable backup DIR`: a consistent copy of the database (SQLite's
// VACUUM INTO while serving, or pg_dump) and of the files under the data
// directory. `cartable restore DIR` puts them back (server stopped).
int run_backup(Config const&, std::filesystem::path const& directory);
int run_restore(Config const&, std::filesystem::path const& directory);

} // namespace cartable::app

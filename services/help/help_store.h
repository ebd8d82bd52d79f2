// SPDX-License-Identifier: AGPL-3.0-or-later
#pragma once

#include "core/db/database.h"
#include "services/help/help_catalog.h"
#include <soci/soci.h>
#include <string>
#include <vector>

namespace cartable::help::store {

// Makes the index hold exactly the given pages (added, changed, removed).
void synchronise(soci::session&, db::Engine, std::vector<HelpPage> const& pages);

// Slugs of the pages matching the words, best first: SQLite's FTS5
// (accents folded, words as prefixes) or PostgreSQL's French text search.
std::vector<std::string> search(soci::session&, db::Engine, std::string const& words, int limit);

// The FTS5 query for the words a person typed: each word quoted (no
// operator can be injected), as a prefix, common French words dropped.
std::string fts5_query(std::string_view words);

} // namespace cartable::help::store

// SPDX-License-Identifier: AGPL-3.0-or-later
#include "services/help/help_store.h"
#include <array>
#include <map>

namespace cartable::help::store {

namespace {

constexpr std::array STOP_WORDS { "au", "aux", "ce", "ces", "comment", "dans", "de", "des", "du", "en", "est", "et",
    "il", "je", "la", "le", "les", "ma", "mes", "mon", "ne", "on", "ou", "par", "pas", "pour", "que", "qui", "sa", "se",
    "ses", "son", "sur", "ta", "tes", "ton", "un", "une", "vos", "votre", "à" };

bool is_stop_word(std::string const& word)
{
    for (auto const* stop : STOP_WORDS) {
        if (word == stop)
            return true;
    }
    return false;
}

void index_page(soci::session& session, db::Engine engine, long long id, HelpPage const& page)
{
    if (engine == db::Engine::Sqlite) {
        session << "DELETE FROM help_search WHERE rowid = :id", soci::use(id);
        session << "INSERT INTO help_search (rowid, title, body) VALUES (:id, :title, :body)", soci::use(id),
            soci::use(page.title), soci::use(page.text);
    } else {
        session << "UPDATE help_page SET search = setweight(to_tsvector('french', title), 'A') || "
                   "to_tsvector('french', body_text) WHERE id = :id",
            soci::use(id);
    }
}

} // namespace

std::string fts5_query(std::string_view words)
{
    std::string query;
    std::string word;
    auto flush = [&] {
        std::string lower;
        for (char c : word)
            lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (lower.size() >= 2 && !is_stop_word(lower))
            query += (query.empty() ? "\"" : " \"") + lower + "\"*";
        word.clear();
    };
    for (char c : words) {
        auto byte = static_cast<unsigned char>(c);
        // Letters, digits and any non-ASCII byte (accented letters) form words.
        if (std::isalnum(byte) || byte >= 0x80)
            word += c;
        else
            flush();
    }
    flush();
    return query;
}

void synchronise(soci::session& session, db::Engine engine, std::vector<HelpPage> const& pages)
{
    std::map<std::string, std::pair<long long, std::string>> indexed;
    {
        std::string slug;
        long long id = 0;
        std::string digest;
        soci::statement statement = (session.prepare << "SELECT id, slug, content_digest FROM help_page",
            soci::into(id), soci::into(slug), soci::into(digest));
        if (statement.execute(true)) {
            do {
                indexed[slug] = { id, digest };
            } while (statement.fetch());
        }
    }
    for (auto const& page : pages) {
        auto found = indexed.find(page.slug);
        long long id = 0;
        if (found == indexed.end()) {
            if (engine == db::Engine::Postgresql) {
                session << "INSERT INTO help_page (slug, title, section, body_text, content_digest, search) "
                           "VALUES (:slug, :title, :section, :body, :digest, to_tsvector('french', '')) RETURNING id",
                    soci::use(page.slug), soci::use(page.title), soci::use(page.section), soci::use(page.text),
                    soci::use(page.digest), soci::into(id);
            } else {
                session << "INSERT INTO help_page (slug, title, section, body_text, content_digest) "
                           "VALUES (:slug, :title, :section, :body, :digest) RETURNING id",
                    soci::use(page.slug), soci::use(page.title), soci::use(page.section), soci::use(page.text),
                    soci::use(page.digest), soci::into(id);
            }
        } else {
            id = found->second.first;
            bool unchanged = found->second.second == page.digest;
            indexed.erase(found);
            if (unchanged)
                continue;
            session << "UPDATE help_page SET title = :title, section = :section, body_text = :body, "
                       "content_digest = :digest WHERE id = :id",
                soci::use(page.title), soci::use(page.section), soci::use(page.text), soci::use(page.digest),
                soci::use(id);
        }
        index_page(session, engine, id, page);
    }
    for (auto const& [slug, entry] : indexed) {
        long long id = entry.first;
        if (engine == db::Engine::Sqlite)
            session << "DELETE FROM help_search WHERE rowid = :id", soci::use(id);
        session << "DELETE FROM help_page WHERE id = :id", soci::use(id);
    }
}

std::vector<std::string> search(soci::session& session, db::Engine engine, std::string const& words, int limit)
{
    std::vector<std::string> slugs;
    std::string slug;
    long long row_limit = limit;
    if (engine == db::Engine::Sqlite) {
        auto query = fts5_query(words);
        if (query.empty())
            return slugs;
        soci::statement statement
            = (session.prepare << "SELECT p.slug FROM help_search JOIN help_page p ON p.id = help_search.rowid "
                                  "WHERE help_search MATCH :query ORDER BY bm25(help_search, 5.0, 1.0) LIMIT :limit",
                soci::use(query), soci::use(row_limit), soci::into(slug));
        if (statement.execute(true)) {
            do {
                slugs.push_back(slug);
            } while (statement.fetch());
        }
        return slugs;
    }
    soci::statement statement
        = (session.prepare << "SELECT slug FROM help_page, plainto_tsquery('french', :words) query "
                              "WHERE search @@ query ORDER BY ts_rank(search, query) DESC, slug LIMIT :limit",
            soci::use(words), soci::use(row_limit), soci::into(slug));
    if (statement.execute(true)) {
        do {
            slugs.push_back(slug);
        } while (statement.fetch());
    }
    return slugs;
}

} // namespace cartable::help::store

// SPDX-License-Identifier: AGPL-3.0-or-later
// Announcements (« Annonces ») of every scope, in their display period.
#include "core/db/prepared.h"
#include "services/publishing/publishing_scopes.h"
#include <algorithm>

namespace cartable::publishing {

namespace {

constexpr char SELECT_ANNOUNCEMENTS[]
    = "SELECT id, scope, scope_key, author, title, body, link_url, profiles, starts_at, ends_at "
      "FROM publishing_announcement WHERE starts_at <= :now AND ends_at > :now2 AND (scope = 'platform' "
      "OR (scope = 'region' AND scope_key = :region) OR (scope = 'academy' AND scope_key = :academy) "
      "OR (scope = 'structure' AND scope_key = :uai)) ORDER BY starts_at DESC, id DESC";

// Read on every Accueil: prepared once per connection.
struct AnnouncementsQuery : db::PreparedQuery {
    long long now { 0 };
    long long now_again { 0 };
    std::string region;
    std::string academy;
    std::string uai;
    Announcement row;
    std::string scope;
    std::string profiles;
    soci::statement statement;

    explicit AnnouncementsQuery(soci::session& session)
        : statement((session.prepare << SELECT_ANNOUNCEMENTS, soci::use(now), soci::use(now_again), soci::use(region),
            soci::use(academy), soci::use(uai), soci::into(row.id), soci::into(scope), soci::into(row.scope_key),
            soci::into(row.author), soci::into(row.title), soci::into(row.body), soci::into(row.link_url),
            soci::into(profiles), soci::into(row.starts_at), soci::into(row.ends_at)))
    { }

    template<typename OnRow> void each(OnRow&& on_row) { fetch_all(statement, std::forward<OnRow>(on_row)); }
};

std::vector<access::Profile> parse_profiles(std::string const& text)
{
    std::vector<access::Profile> result;
    std::size_t start = 0;
    while (start < text.size()) {
        auto comma = text.find(',', start);
        if (comma == std::string::npos)
            comma = text.size();
        if (auto profile = access::profile_from_code(text.substr(start, comma - start)))
            result.push_back(*profile);
        start = comma + 1;
    }
    return result;
}

std::string profile_codes(std::vector<access::Profile> const& profiles)
{
    std::string text;
    for (auto profile : profiles)
        text += (text.empty() ? "" : ",") + std::string(access::profile_code(profile));
    return text;
}

} // namespace

std::vector<Announcement> announcements_for(soci::session& session, std::string const& uai, std::string const& academy,
    std::string const& region, access::Profile profile, long long now, int limit)
{
    auto& query = db::prepared<AnnouncementsQuery>(session);
    query.now = now;
    query.now_again = now;
    query.region = region;
    query.academy = academy;
    query.uai = uai;
    std::vector<Announcement> result;
    query.each([&] {
        auto announcement = query.row;
        announcement.scope = scope_from_code(query.scope);
        announcement.profiles = parse_profiles(query.profiles);
        bool reaches = announcement.profiles.empty()
            || std::find(announcement.profiles.begin(), announcement.profiles.end(), profile)
                != announcement.profiles.end();
        if (reaches && static_cast<int>(result.size()) < limit)
            result.push_back(std::move(announcement));
    });
    return result;
}

std::vector<Announcement> announcements_of_scope(
    soci::session& session, Scope scope, std::string const& scope_key, long long now, int limit)
{
    std::vector<Announcement> result;
    Announcement row;
    std::string profiles;
    auto code = scope_code(scope);
    long long row_limit = limit;
    soci::statement statement = (session.prepare
            << "SELECT id, scope_key, author, title, body, link_url, profiles, "
               "starts_at, ends_at FROM publishing_announcement WHERE scope = :scope "
               "AND scope_key = :key AND starts_at <= :now AND ends_at > :now2 "
               "ORDER BY starts_at DESC, id DESC LIMIT :limit",
        soci::use(code), soci::use(scope_key), soci::use(now), soci::use(now), soci::use(row_limit), soci::into(row.id),
        soci::into(row.scope_key), soci::into(row.author), soci::into(row.title), soci::into(row.body),
        soci::into(row.link_url), soci::into(profiles), soci::into(row.starts_at), soci::into(row.ends_at));
    if (statement.execute(true)) {
        do {
            row.scope = scope;
            row.profiles = parse_profiles(profiles);
            result.push_back(row);
        } while (statement.fetch());
    }
    return result;
}

long long add_announcement(soci::session& session, Announcement const& announcement, long long now)
{
    auto profiles = profile_codes(announcement.profiles);
    auto scope = scope_code(announcement.scope);
    long long id = 0;
    session << "INSERT INTO publishing_announcement (scope, scope_key, author, title, body, link_url, profiles, "
               "starts_at, ends_at, created_at) VALUES (:scope, :key, :author, :title, :body, :link, :profiles, "
               ":starts, :ends, :created) RETURNING id",
        soci::use(scope), soci::use(announcement.scope_key), soci::use(announcement.author),
        soci::use(announcement.title), soci::use(announcement.body), soci::use(announcement.link_url),
        soci::use(profiles), soci::use(announcement.starts_at), soci::use(announcement.ends_at), soci::use(now),
        soci::into(id);
    return id;
}

namespace {

#define ANNOUNCEMENT_COLUMNS                                                                                           \
    "SELECT id, scope, scope_key, author, title, body, link_url, profiles, starts_at, ends_at FROM "                   \
    "publishing_announcement "

// Runs a prepared SELECT of ANNOUNCEMENT_COLUMNS (its values already bound).
std::vector<Announcement> announcement_rows(soci::details::prepare_temp_type& prepared)
{
    Announcement row;
    std::string scope_text;
    std::string profiles;
    prepared, soci::into(row.id), soci::into(scope_text), soci::into(row.scope_key), soci::into(row.author),
        soci::into(row.title), soci::into(row.body), soci::into(row.link_url), soci::into(profiles),
        soci::into(row.starts_at), soci::into(row.ends_at);
    soci::statement statement(prepared);
    std::vector<Announcement> result;
    if (statement.execute(true)) {
        do {
            row.scope = scope_from_code(scope_text);
            row.profiles = parse_profiles(profiles);
            result.push_back(row);
        } while (statement.fetch());
    }
    return result;
}

} // namespace

std::vector<Announcement> all_announcements_of(soci::session& session, Scope scope, std::string const& key)
{
    auto code = scope_code(scope);
    auto prepared = (session.prepare << ANNOUNCEMENT_COLUMNS
        "WHERE scope = :scope AND scope_key = :key ORDER BY starts_at DESC, id DESC LIMIT 100");
    prepared, soci::use(code), soci::use(key);
    return announcement_rows(prepared);
}

std::optional<Announcement> find_announcement(soci::session& session, long long announcement_id)
{
    auto prepared = (session.prepare << ANNOUNCEMENT_COLUMNS "WHERE id = :id");
    prepared, soci::use(announcement_id);
    auto rows = announcement_rows(prepared);
    if (rows.empty())
        return std::nullopt;
    return rows.front();
}

void update_announcement(soci::session& session, Announcement const& announcement)
{
    auto profiles = profile_codes(announcement.profiles);
    session << "UPDATE publishing_announcement SET author = :author, title = :title, body = :body, link_url = :link, "
               "profiles = :profiles, starts_at = :starts, ends_at = :ends WHERE id = :id",
        soci::use(announcement.author), soci::use(announcement.title), soci::use(announcement.body),
        soci::use(announcement.link_url), soci::use(profiles), soci::use(announcement.starts_at),
        soci::use(announcement.ends_at), soci::use(announcement.id);
}

void delete_announcement(soci::session& session, long long announcement_id)
{
    session << "DELETE FROM publishing_announcement WHERE id = :id", soci::use(announcement_id);
}

} // namespace cartable::publishing

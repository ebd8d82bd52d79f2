// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/db/prepared.h"
#include "services/publishing/publishing.h"
#include <algorithm>

namespace cartable::publishing {

namespace {

constexpr char const* NEWS_COLUMNS = "id, structure_id, title, summary, body, is_public, published_at";

constexpr char SELECT_LATEST_PUBLIC_NEWS[]
    = "SELECT id, structure_id, title, summary, body, is_public, published_at FROM publishing_news "
      "WHERE structure_id = :structure AND is_public = 1 ORDER BY published_at DESC, id DESC LIMIT :limit";
constexpr char SELECT_LATEST_NEWS[]
    = "SELECT id, structure_id, title, summary, body, is_public, published_at FROM publishing_news "
      "WHERE structure_id = :structure ORDER BY published_at DESC, id DESC LIMIT :limit";
constexpr char const* SELECT_UPCOMING_EVENTS
    = "SELECT id, structure_id, title, place, starts_at, ends_at, is_public FROM publishing_event "
      "WHERE structure_id = :structure AND ends_at >= :from ORDER BY starts_at LIMIT :limit";

// Read on every Accueil: prepared once per connection.
template<char const* Sql> struct NewsQuery : db::PreparedQuery {
    long long structure_id { 0 };
    long long limit { 0 };
    NewsItem row;
    long long is_public { 0 };
    soci::statement statement;

    explicit NewsQuery(soci::session& session)
        : statement((session.prepare << Sql, soci::use(structure_id), soci::use(limit), soci::into(row.id),
            soci::into(row.structure_id), soci::into(row.title), soci::into(row.summary), soci::into(row.body),
            soci::into(is_public), soci::into(row.published_at)))
    { }

    std::vector<NewsItem> fetch(long long structure, long long count)
    {
        structure_id = structure;
        limit = count;
        std::vector<NewsItem> result;
        fetch_all(statement, [&] {
            row.is_public = is_public != 0;
            result.push_back(row);
        });
        return result;
    }
};

} // namespace

std::vector<NewsItem> latest_news(soci::session& session, long long structure_id, Audience audience, int limit)
{
    if (audience == Audience::Public)
        return db::prepared<NewsQuery<SELECT_LATEST_PUBLIC_NEWS>>(session).fetch(structure_id, limit);
    return db::prepared<NewsQuery<SELECT_LATEST_NEWS>>(session).fetch(structure_id, limit);
}

std::optional<NewsItem> find_news(soci::session& session, long long news_id)
{
    NewsItem row;
    long long is_public = 0;
    session << std::string("SELECT ") + NEWS_COLUMNS + " FROM publishing_news WHERE id = :id", soci::use(news_id),
        soci::into(row.id), soci::into(row.structure_id), soci::into(row.title), soci::into(row.summary),
        soci::into(row.body), soci::into(is_public), soci::into(row.published_at);
    if (!session.got_data())
        return std::nullopt;
    row.is_public = is_public != 0;
    return row;
}

std::vector<Event> upcoming_events(soci::session& session, long long structure_id, long long from, int limit)
{
    Event row;
    long long is_public = 0;
    long long row_limit = limit;
    soci::statement statement = (session.prepare << SELECT_UPCOMING_EVENTS, soci::use(structure_id), soci::use(from),
        soci::use(row_limit), soci::into(row.id), soci::into(row.structure_id), soci::into(row.title),
        soci::into(row.place), soci::into(row.starts_at), soci::into(row.ends_at), soci::into(is_public));
    std::vector<Event> result;
    if (statement.execute(true)) {
        do {
            row.is_public = is_public != 0;
            result.push_back(row);
        } while (statement.fetch());
    }
    return result;
}

long long add_news(soci::session& session, NewsItem const& news)
{
    long long id = 0;
    long long is_public = news.is_public ? 1 : 0;
    session << "INSERT INTO publishing_news (structure_id, title, summary, body, is_public, published_at) "
               "VALUES (:structure, :title, :summary, :body, :public, :published) RETURNING id",
        soci::use(news.structure_id), soci::use(news.title), soci::use(news.summary), soci::use(news.body),
        soci::use(is_public), soci::use(news.published_at), soci::into(id);
    return id;
}

long long add_event(soci::session& session, Event const& event)
{
    long long id = 0;
    long long is_public = event.is_public ? 1 : 0;
    session << "INSERT INTO publishing_event (structure_id, title, place, starts_at, ends_at, is_public) "
               "VALUES (:structure, :title, :place, :starts, :ends, :public) RETURNING id",
        soci::use(event.structure_id), soci::use(event.title), soci::use(event.place), soci::use(event.starts_at),
        soci::use(event.ends_at), soci::use(is_public), soci::into(id);
    return id;
}

namespace {

constexpr char SELECT_ANNOUNCEMENTS[]
    = "SELECT id, scope, scope_key, author, title, body, link_url, profiles, starts_at, ends_at "
      "FROM publishing_announcement WHERE starts_at <= :now AND ends_at > :now2 AND (scope = 'platform' "
      "OR (scope = 'region' AND scope_key = :region) OR (scope = 'academy' AND scope_key = :academy) "
      "OR (scope = 'structure' AND scope_key = :uai)) ORDER BY starts_at DESC, id DESC";

constexpr std::pair<Scope, char const*> SCOPE_CODES[] = { { Scope::Platform, "platform" }, { Scope::Region, "region" },
    { Scope::Academy, "academy" }, { Scope::Structure, "structure" } };

std::string scope_code(Scope scope)
{
    for (auto const& [value, code] : SCOPE_CODES) {
        if (value == scope)
            return code;
    }
    return "platform";
}

Scope scope_from_code(std::string const& code)
{
    for (auto const& [value, text] : SCOPE_CODES) {
        if (code == text)
            return value;
    }
    return Scope::Platform;
}

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
    std::string profiles;
    for (auto profile : announcement.profiles)
        profiles += (profiles.empty() ? "" : ",") + std::string(access::profile_code(profile));
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

} // namespace cartable::publishing

// SPDX-License-Identifier: AGPL-3.0-or-later
// News and agenda dates of every scope.
#include "core/db/prepared.h"
#include "services/publishing/publishing_scopes.h"

namespace cartable::publishing {

namespace {

#define NEWS_COLUMNS                                                                                                   \
    "id, COALESCE(structure_id, 0), title, summary, body, is_public, published_at, scope, scope_key, author, "         \
    "COALESCE(author_id, 0), image_name, image_type, updated_at"

constexpr char SELECT_LATEST_PUBLIC_NEWS[]
    = "SELECT " NEWS_COLUMNS " FROM publishing_news "
      "WHERE structure_id = :structure AND scope = 'structure' AND is_public = 1 "
      "AND published_at <= :now ORDER BY published_at DESC, id DESC LIMIT :limit";
constexpr char SELECT_LATEST_NEWS[] = "SELECT " NEWS_COLUMNS " FROM publishing_news "
                                      "WHERE structure_id = :structure AND scope = 'structure' "
                                      "AND published_at <= :now ORDER BY published_at DESC, id DESC LIMIT :limit";
constexpr char SELECT_NEWS_REACHING[] = "SELECT " NEWS_COLUMNS " FROM publishing_news WHERE published_at <= :now AND ("
                                        "(scope = 'structure' AND structure_id = :structure) OR scope = 'platform' "
                                        "OR (scope = 'academy' AND scope_key = :academy AND scope_key <> '') "
                                        "OR (scope = 'region' AND scope_key = :region AND scope_key <> '')) "
                                        "ORDER BY published_at DESC, id DESC LIMIT :limit";

// The columns of NEWS_COLUMNS, bound to one row.
struct NewsRow {
    NewsItem item;
    long long is_public { 0 };
    std::string scope;

    void bind(soci::details::prepare_temp_type& prepared)
    {
        prepared, soci::into(item.id), soci::into(item.structure_id), soci::into(item.title), soci::into(item.summary),
            soci::into(item.body), soci::into(is_public), soci::into(item.published_at), soci::into(scope),
            soci::into(item.scope_key), soci::into(item.author), soci::into(item.author_id),
            soci::into(item.image_name), soci::into(item.image_type), soci::into(item.updated_at);
    }
    NewsItem value() const
    {
        auto result = item;
        result.is_public = is_public != 0;
        result.scope = scope_from_code(scope);
        return result;
    }
};

// Read on every Accueil and portal: prepared once per connection.
template<char const* Sql> struct StructureNewsQuery : db::PreparedQuery {
    long long structure_id { 0 };
    long long now { 0 };
    long long limit { 0 };
    NewsRow row;
    soci::statement statement;

    static soci::statement prepare(soci::session& session, StructureNewsQuery& query)
    {
        auto prepared = (session.prepare << Sql);
        prepared, soci::use(query.structure_id), soci::use(query.now), soci::use(query.limit);
        query.row.bind(prepared);
        return soci::statement(prepared);
    }
    explicit StructureNewsQuery(soci::session& session)
        : statement(prepare(session, *this))
    { }

    std::vector<NewsItem> fetch()
    {
        std::vector<NewsItem> result;
        fetch_all(statement, [&] { result.push_back(row.value()); });
        return result;
    }
};

struct NewsReachingQuery : db::PreparedQuery {
    long long now { 0 };
    long long structure_id { 0 };
    std::string academy;
    std::string region;
    long long limit { 0 };
    NewsRow row;
    soci::statement statement;

    static soci::statement prepare(soci::session& session, NewsReachingQuery& query)
    {
        auto prepared = (session.prepare << SELECT_NEWS_REACHING);
        prepared, soci::use(query.now), soci::use(query.structure_id), soci::use(query.academy),
            soci::use(query.region), soci::use(query.limit);
        query.row.bind(prepared);
        return soci::statement(prepared);
    }
    explicit NewsReachingQuery(soci::session& session)
        : statement(prepare(session, *this))
    { }

    std::vector<NewsItem> fetch()
    {
        std::vector<NewsItem> result;
        fetch_all(statement, [&] { result.push_back(row.value()); });
        return result;
    }
};

template<typename Row, typename Value> std::vector<Value> run_rows(soci::details::prepare_temp_type& prepared, Row& row)
{
    row.bind(prepared);
    soci::statement statement(prepared);
    std::vector<Value> result;
    if (statement.execute(true)) {
        do {
            result.push_back(row.value());
        } while (statement.fetch());
    }
    return result;
}

struct EventRow {
    Event item;
    long long is_public { 0 };
    std::string scope;

    void bind(soci::details::prepare_temp_type& prepared)
    {
        prepared, soci::into(item.id), soci::into(item.structure_id), soci::into(item.title), soci::into(item.place),
            soci::into(item.starts_at), soci::into(item.ends_at), soci::into(is_public), soci::into(scope),
            soci::into(item.scope_key);
    }
    Event value() const
    {
        auto result = item;
        result.is_public = is_public != 0;
        result.scope = scope_from_code(scope);
        return result;
    }
};

#define EVENT_COLUMNS "id, COALESCE(structure_id, 0), title, place, starts_at, ends_at, is_public, scope, scope_key"

// NULL for the scopes above a structure.
soci::indicator structure_indicator(long long structure_id)
{
    return structure_id > 0 ? soci::i_ok : soci::i_null;
}

} // namespace

std::vector<NewsItem> latest_news(soci::session& session, long long structure_id, Audience audience, int limit)
{
    // Dated in the future: shown from that day on.
    auto now = static_cast<long long>(std::time(nullptr));
    if (audience == Audience::Public) {
        auto& query = db::prepared<StructureNewsQuery<SELECT_LATEST_PUBLIC_NEWS>>(session);
        query.structure_id = structure_id;
        query.now = now;
        query.limit = limit;
        return query.fetch();
    }
    auto& query = db::prepared<StructureNewsQuery<SELECT_LATEST_NEWS>>(session);
    query.structure_id = structure_id;
    query.now = now;
    query.limit = limit;
    return query.fetch();
}

std::vector<NewsItem> news_reaching(soci::session& session, Reach const& reach, long long now, int limit)
{
    auto& query = db::prepared<NewsReachingQuery>(session);
    query.now = now;
    query.structure_id = reach.structure_id;
    query.academy = reach.academy;
    query.region = reach.region;
    query.limit = limit;
    return query.fetch();
}

std::string news_url(NewsItem const& news, std::string const& structure_uai)
{
    auto id = std::to_string(news.id);
    switch (news.scope) {
    case Scope::Structure:
        return "/portail/" + structure_uai + "/actualites/" + id;
    case Scope::Academy:
        return "/portails/academie/actualites/" + id;
    case Scope::Region:
        return "/portails/region/actualites/" + id;
    case Scope::Platform:
        return "/portails/inter-etablissements/actualites/" + id;
    }
    return "/";
}

std::optional<NewsItem> find_news(soci::session& session, long long news_id)
{
    NewsRow row;
    auto prepared = (session.prepare << "SELECT " NEWS_COLUMNS " FROM publishing_news WHERE id = :id");
    prepared, soci::use(news_id);
    auto rows = run_rows<NewsRow, NewsItem>(prepared, row);
    if (rows.empty())
        return std::nullopt;
    return rows.front();
}

std::vector<NewsItem> news_of_place(soci::session& session, Scope scope, std::string const& key, long long structure_id,
    bool with_future, long long now)
{
    NewsRow row;
    auto code = scope_code(scope);
    long long until = with_future ? (1LL << 62) : now;
    auto prepared = (session.prepare << "SELECT " NEWS_COLUMNS " FROM publishing_news WHERE scope = :scope AND "
                                        "scope_key = :key AND COALESCE(structure_id, 0) = :structure AND "
                                        "published_at <= :until ORDER BY published_at DESC, id DESC LIMIT 100");
    auto scope_key = scope == Scope::Structure ? std::string() : key;
    prepared, soci::use(code), soci::use(scope_key), soci::use(structure_id), soci::use(until);
    return run_rows<NewsRow, NewsItem>(prepared, row);
}

std::vector<Event> upcoming_events(soci::session& session, long long structure_id, long long from, int limit)
{
    return events_of_place(session, Scope::Structure, {}, structure_id, from, limit);
}

std::vector<Event> events_of_place(
    soci::session& session, Scope scope, std::string const& key, long long structure_id, long long from, int limit)
{
    EventRow row;
    auto code = scope_code(scope);
    auto scope_key = scope == Scope::Structure ? std::string() : key;
    long long row_limit = limit;
    auto prepared = (session.prepare << "SELECT " EVENT_COLUMNS " FROM publishing_event WHERE scope = :scope AND "
                                        "scope_key = :key AND COALESCE(structure_id, 0) = :structure AND "
                                        "ends_at >= :from ORDER BY starts_at, id LIMIT :limit");
    prepared, soci::use(code), soci::use(scope_key), soci::use(structure_id), soci::use(from), soci::use(row_limit);
    return run_rows<EventRow, Event>(prepared, row);
}

std::optional<Event> find_event(soci::session& session, long long event_id)
{
    EventRow row;
    auto prepared = (session.prepare << "SELECT " EVENT_COLUMNS " FROM publishing_event WHERE id = :id");
    prepared, soci::use(event_id);
    auto rows = run_rows<EventRow, Event>(prepared, row);
    if (rows.empty())
        return std::nullopt;
    return rows.front();
}

long long add_news(soci::session& session, NewsItem const& news)
{
    long long id = 0;
    long long is_public = news.is_public ? 1 : 0;
    auto scope = scope_code(news.scope);
    auto structure_null = structure_indicator(news.structure_id);
    auto author_null = structure_indicator(news.author_id);
    auto updated_at = news.updated_at ? news.updated_at : news.published_at;
    session << "INSERT INTO publishing_news (scope, scope_key, structure_id, title, summary, body, author, author_id, "
               "image_name, image_type, is_public, published_at, updated_at) VALUES (:scope, :key, :structure, "
               ":title, :summary, :body, :author, :author_id, :image, :image_type, :public, :published, :updated) "
               "RETURNING id",
        soci::use(scope), soci::use(news.scope_key), soci::use(news.structure_id, structure_null),
        soci::use(news.title), soci::use(news.summary), soci::use(news.body), soci::use(news.author),
        soci::use(news.author_id, author_null), soci::use(news.image_name), soci::use(news.image_type),
        soci::use(is_public), soci::use(news.published_at), soci::use(updated_at), soci::into(id);
    return id;
}

// Scope and place stay as published; the rest is the form's.
void update_news(soci::session& session, NewsItem const& news)
{
    long long is_public = news.is_public ? 1 : 0;
    session << "UPDATE publishing_news SET title = :title, summary = :summary, body = :body, image_name = :image, "
               "image_type = :image_type, is_public = :public, published_at = :published, updated_at = :updated "
               "WHERE id = :id",
        soci::use(news.title), soci::use(news.summary), soci::use(news.body), soci::use(news.image_name),
        soci::use(news.image_type), soci::use(is_public), soci::use(news.published_at), soci::use(news.updated_at),
        soci::use(news.id);
}

void delete_news(soci::session& session, long long news_id)
{
    session << "DELETE FROM publishing_news WHERE id = :id", soci::use(news_id);
}

long long add_event(soci::session& session, Event const& event)
{
    long long id = 0;
    long long is_public = event.is_public ? 1 : 0;
    auto scope = scope_code(event.scope);
    auto structure_null = structure_indicator(event.structure_id);
    session << "INSERT INTO publishing_event (scope, scope_key, structure_id, title, place, starts_at, ends_at, "
               "is_public) VALUES (:scope, :key, :structure, :title, :place, :starts, :ends, :public) RETURNING id",
        soci::use(scope), soci::use(event.scope_key), soci::use(event.structure_id, structure_null),
        soci::use(event.title), soci::use(event.place), soci::use(event.starts_at), soci::use(event.ends_at),
        soci::use(is_public), soci::into(id);
    return id;
}

void update_event(soci::session& session, Event const& event)
{
    long long is_public = event.is_public ? 1 : 0;
    session << "UPDATE publishing_event SET title = :title, place = :place, starts_at = :starts, ends_at = :ends, "
               "is_public = :public WHERE id = :id",
        soci::use(event.title), soci::use(event.place), soci::use(event.starts_at), soci::use(event.ends_at),
        soci::use(is_public), soci::use(event.id);
}

void delete_event(soci::session& session, long long event_id)
{
    session << "DELETE FROM publishing_event WHERE id = :id", soci::use(event_id);
}

} // namespace cartable::publishing

// SPDX-License-Identifier: AGPL-3.0-or-later
#include "services/class_space/agenda_store.h"
#include "core/identity/tokens.h"

namespace cartable::class_space::agenda {

namespace {

constexpr char const* EVENT_COLUMNS
    = "SELECT e.id, e.space_id, COALESCE(e.author_id, 0), COALESCE(u.first_name, ''), COALESCE(u.last_name, ''), "
      "e.title, e.place, e.description, e.all_day, e.start_local, e.end_local, e.recurrence, e.until_day, "
      "e.created_at, e.updated_at FROM class_space_event e LEFT JOIN identity_user u ON u.id = e.author_id ";

struct Row {
    Event event;
    std::string first_name;
    std::string last_name;
    long long all_day { 0 };
    std::string recurrence;
};

void bind_row(soci::statement& statement, Row& row)
{
    statement.exchange(soci::into(row.event.id));
    statement.exchange(soci::into(row.event.space_id));
    statement.exchange(soci::into(row.event.author_id));
    statement.exchange(soci::into(row.first_name));
    statement.exchange(soci::into(row.last_name));
    statement.exchange(soci::into(row.event.title));
    statement.exchange(soci::into(row.event.place));
    statement.exchange(soci::into(row.event.description));
    statement.exchange(soci::into(row.all_day));
    statement.exchange(soci::into(row.event.start));
    statement.exchange(soci::into(row.event.end));
    statement.exchange(soci::into(row.recurrence));
    statement.exchange(soci::into(row.event.until_day));
    statement.exchange(soci::into(row.event.created_at));
    statement.exchange(soci::into(row.event.updated_at));
}

Event finished(Row const& row)
{
    auto event = row.event;
    event.all_day = row.all_day != 0;
    event.repeat = row.recurrence == "daily" ? Repeat::Daily
        : row.recurrence == "weekly"         ? Repeat::Weekly
                                             : Repeat::None;
    if (event.author_id == 0)
        event.author_name = "Ancien membre";
    else
        event.author_name = row.first_name + " " + row.last_name;
    return event;
}

std::string recurrence_code(Repeat repeat)
{
    switch (repeat) {
    case Repeat::Daily:
        return "daily";
    case Repeat::Weekly:
        return "weekly";
    case Repeat::None:
        break;
    }
    return "";
}

} // namespace

std::vector<Event> events_in(soci::session& session, long long space_id, long long from, long long to, long long limit)
{
    std::vector<Event> result;
    Row row;
    soci::statement statement(session);
    bind_row(statement, row);
    statement.exchange(soci::use(space_id));
    statement.exchange(soci::use(to));
    statement.exchange(soci::use(from));
    statement.exchange(soci::use(limit));
    statement.alloc();
    statement.prepare(std::string(EVENT_COLUMNS)
        + "WHERE e.space_id = :space AND e.start_local < :to AND e.series_end > :from ORDER BY e.start_local, e.id "
          "LIMIT :limit");
    statement.define_and_bind();
    statement.execute();
    while (statement.fetch())
        result.push_back(finished(row));
    return result;
}

std::optional<Event> event_of_space(soci::session& session, long long space_id, long long event_id)
{
    Row row;
    soci::statement statement(session);
    bind_row(statement, row);
    statement.exchange(soci::use(event_id));
    statement.exchange(soci::use(space_id));
    statement.alloc();
    statement.prepare(std::string(EVENT_COLUMNS) + "WHERE e.id = :id AND e.space_id = :space");
    statement.define_and_bind();
    if (!statement.execute(true))
        return std::nullopt;
    return finished(row);
}

long long insert_event(soci::session& session, Event const& event)
{
    long long id = 0;
    long long all_day = event.all_day ? 1 : 0;
    auto recurrence = recurrence_code(event.repeat);
    auto last = series_end(event);
    session << "INSERT INTO class_space_event (space_id, author_id, title, place, description, all_day, start_local, "
               "end_local, recurrence, until_day, series_end, created_at, updated_at) VALUES (:space, :author, "
               ":title, :place, :description, :all_day, :start, :end, :recurrence, :until, :series_end, :created, "
               ":updated) RETURNING id",
        soci::use(event.space_id), soci::use(event.author_id), soci::use(event.title), soci::use(event.place),
        soci::use(event.description), soci::use(all_day), soci::use(event.start), soci::use(event.end),
        soci::use(recurrence), soci::use(event.until_day), soci::use(last), soci::use(event.created_at),
        soci::use(event.updated_at), soci::into(id);
    return id;
}

void update_event(soci::session& session, Event const& event)
{
    long long all_day = event.all_day ? 1 : 0;
    auto recurrence = recurrence_code(event.repeat);
    auto last = series_end(event);
    session << "UPDATE class_space_event SET title = :title, place = :place, description = :description, all_day = "
               ":all_day, start_local = :start, end_local = :end, recurrence = :recurrence, until_day = :until, "
               "series_end = :series_end, updated_at = :updated WHERE id = :id AND space_id = :space",
        soci::use(event.title), soci::use(event.place), soci::use(event.description), soci::use(all_day),
        soci::use(event.start), soci::use(event.end), soci::use(recurrence), soci::use(event.until_day),
        soci::use(last), soci::use(event.updated_at), soci::use(event.id), soci::use(event.space_id);
}

void delete_event(soci::session& session, long long space_id, long long event_id)
{
    session << "DELETE FROM class_space_event WHERE id = :id AND space_id = :space", soci::use(event_id),
        soci::use(space_id);
}

std::string renew_feed_token(soci::session& session, long long space_id, long long user_id, long long now)
{
    auto token = identity::random_token();
    auto digest = identity::token_digest(token);
    session << "DELETE FROM class_space_agenda_feed WHERE space_id = :space AND user_id = :person", soci::use(space_id),
        soci::use(user_id);
    session << "INSERT INTO class_space_agenda_feed (space_id, user_id, token_digest, created_at) VALUES (:space, "
               ":person, :digest, :now)",
        soci::use(space_id), soci::use(user_id), soci::use(digest), soci::use(now);
    return token;
}

std::optional<long long> feed_created_at(soci::session& session, long long space_id, long long user_id)
{
    long long created = 0;
    session << "SELECT created_at FROM class_space_agenda_feed WHERE space_id = :space AND user_id = :person",
        soci::use(space_id), soci::use(user_id), soci::into(created);
    if (!session.got_data())
        return std::nullopt;
    return created;
}

std::optional<std::pair<long long, long long>> feed_of_token(soci::session& session, std::string const& token)
{
    auto digest = identity::token_digest(token);
    long long space_id = 0;
    long long user_id = 0;
    session << "SELECT space_id, user_id FROM class_space_agenda_feed WHERE token_digest = :digest", soci::use(digest),
        soci::into(space_id), soci::into(user_id);
    if (!session.got_data())
        return std::nullopt;
    return std::make_pair(space_id, user_id);
}

} // namespace cartable::class_space::agenda

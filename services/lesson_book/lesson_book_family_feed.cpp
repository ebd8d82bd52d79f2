// SPDX-License-Identifier: AGPL-3.0-or-later
// The lesson book outside the pages: the private iCalendar link of a person
// (homework on its due day, séances at their hour) and the REST API.
#include "core/html/rich_text.h"
#include "core/identity/identity_store.h"
#include "core/identity/tokens.h"
#include "core/school_time.h"
#include "core/text.h"
#include "core/view/frame.h"
#include "core/view/mustache.h"
#include "services/lesson_book/lesson_book_family_internal.h"
#include <boost/json.hpp>

namespace cartable::lesson_book::family {

namespace {

constexpr long long FEED_PAST_DAYS = 60;
constexpr long long FEED_NEXT_DAYS = 120;

// Whose books a person follows: himself (a student), his children (a
// guardian, each named), none otherwise (the classes he reads).
struct Followed {
    long long student_id { 0 };
    std::string prefix; // « Louis – » for a guardian
};

std::vector<Followed> followed_by(soci::session& session, identity::User const& person)
{
    std::vector<Followed> list;
    if (person.profile == access::Profile::Student)
        list.push_back({ person.id, {} });
    if (person.profile == access::Profile::Guardian) {
        for (auto const& child : identity::store::children_of(session, person.id))
            list.push_back({ child.id, child.first_name + " – " });
    }
    return list;
}

std::string host_of(std::string const& url)
{
    auto start = url.find("://");
    auto host = start == std::string::npos ? url : url.substr(start + 3);
    auto end = host.find_first_of("/:");
    return end == std::string::npos ? host : host.substr(0, end);
}

void append_parts(std::string& out, std::initializer_list<std::string_view> pieces)
{
    std::string text;
    for (auto piece : pieces)
        text.append(piece);
    out += school_time::ics_line(text);
}

void append_book(std::string& out, Book const& book, std::string const& prefix, long long follower,
    std::string const& domain, long long now)
{
    using namespace school_time;
    auto const stamp = ics_utc(now);
    auto const follower_id = std::to_string(follower);
    for (auto const& homework : book.homework) {
        auto const id = std::to_string(homework.id);
        out += ics_line("BEGIN:VEVENT");
        append_parts(out, { "UID:travail-", id, "-", follower_id, "@", domain });
        append_parts(out, { "DTSTAMP:", stamp });
        append_parts(out, { "DTSTART;VALUE=DATE:", ics_date(homework.due_day) });
        append_parts(out, { "DTEND;VALUE=DATE:", ics_date(homework.due_day + 1) });
        auto const text = html::plain_text(homework.description);
        auto summary = prefix;
        summary += "À faire : ";
        summary += homework.subject_label;
        summary += " – ";
        summary += excerpt(text, 80);
        append_parts(out, { "SUMMARY:", ics_escape(summary) });
        append_parts(out, { "DESCRIPTION:", ics_escape(text) });
        out += ics_line("TRANSP:TRANSPARENT");
        out += ics_line("END:VEVENT");
    }
    for (auto const& seance : book.seances) {
        auto const id = std::to_string(seance.id);
        out += ics_line("BEGIN:VEVENT");
        append_parts(out, { "UID:seance-", id, "-", follower_id, "@", domain });
        append_parts(out, { "DTSTAMP:", stamp });
        if (seance.end_minute > seance.start_minute) {
            append_parts(out,
                { "DTSTART;TZID=Europe/Paris:", ics_local_time(seance.day * MINUTES_PER_DAY + seance.start_minute) });
            append_parts(
                out, { "DTEND;TZID=Europe/Paris:", ics_local_time(seance.day * MINUTES_PER_DAY + seance.end_minute) });
        } else {
            append_parts(out, { "DTSTART;VALUE=DATE:", ics_date(seance.day) });
            append_parts(out, { "DTEND;VALUE=DATE:", ics_date(seance.day + 1) });
        }
        auto summary = prefix;
        summary += seance.subject_label;
        summary += " – ";
        summary += seance.title;
        append_parts(out, { "SUMMARY:", ics_escape(summary) });
        auto const text = html::plain_text(seance.content);
        if (!text.empty())
            append_parts(out, { "DESCRIPTION:", ics_escape(text) });
        out += ics_line("END:VEVENT");
    }
}

// The calendar of a person at `now`: only what he may read now.
std::string calendar_of(soci::session& session, identity::User const& person, std::string const& domain, long long now)
{
    auto const today = school_time::day_of_unix(now);
    auto const from = today - FEED_PAST_DAYS;
    auto const to = today + FEED_NEXT_DAYS;
    std::string out;
    out += school_time::ics_line("BEGIN:VCALENDAR");
    out += school_time::ics_line("VERSION:2.0");
    out += school_time::ics_line("PRODID:-//Cartable//Cahier de textes//FR");
    out += school_time::ics_line("CALSCALE:GREGORIAN");
    out += school_time::ics_line("METHOD:PUBLISH");
    append_parts(out, { "X-WR-CALNAME:", school_time::ics_escape("Cahier de textes – " + person.display_name()) });
    out += school_time::ics_line("X-WR-TIMEZONE:Europe/Paris");
    out += school_time::ics_timezone();
    auto const followed = followed_by(session, person);
    if (person.profile == access::Profile::Student || person.profile == access::Profile::Guardian) {
        for (auto const& follower : followed)
            append_book(out, book_of(session, follower.student_id, from, to, now, false), follower.prefix,
                follower.student_id, domain, now);
    } else {
        Book book;
        auto const classes = classes_read_by(session, person);
        book.homework = homework_due(session, classes, from, to, now, false);
        book.seances = seances_between(session, classes, from, to, now, false);
        append_book(out, book, {}, person.id, domain, now);
    }
    out += school_time::ics_line("END:VCALENDAR");
    return out;
}

http::Response render_link(Context& context, std::optional<long long> created, std::string const& token)
{
    view::Data data;
    data.set("has_link", created.has_value());
    if (created)
        data.set("created", school_time::long_day(school_time::day_of_unix(*created)));
    if (!token.empty()) {
        auto const url = context.public_url() + "/cahier-de-textes/calendrier/" + token + ".ics";
        data.set("link", url);
        data.set("webcal", school_time::ics_webcal(url));
    }
    auto response = view::render(context, "lesson_book/family_calendar", std::move(data),
        "Suivre le cahier de textes dans mon agenda", view::MenuEntry::LessonBook);
    response.set_header("Cache-Control", "private, no-store");
    return response;
}

ErrorOr<http::Response> show_link(Context& context)
{
    auto const person = context.user().id;
    auto const created = TRY(context.database().read([&](soci::session& session) -> ErrorOr<std::optional<long long>> {
        long long at = 0;
        session << "SELECT created_at FROM lesson_book_feed WHERE user_id = :user", soci::into(at), soci::use(person);
        if (!session.got_data())
            return std::optional<long long>();
        return std::optional<long long>(at);
    }));
    return render_link(context, created, {});
}

// « Créer mon lien » and « Révoquer le lien » alike: a new secret, shown
// once; the former link answers « not found » from now on.
ErrorOr<http::Response> renew_link(Context& context)
{
    auto const person = context.user().id;
    auto const now = context.now;
    auto const token = TRY(context.database().write([&](soci::session& session) -> ErrorOr<std::string> {
        auto made = identity::random_token();
        auto const digest = identity::token_digest(made);
        session << "DELETE FROM lesson_book_feed WHERE user_id = :user", soci::use(person);
        session << "INSERT INTO lesson_book_feed (user_id, token_digest, created_at) VALUES (:user, :digest, :now)",
            soci::use(person), soci::use(digest), soci::use(now);
        identity::store::audit(session, person, "lesson_book_feed_link", "Cahier de textes");
        return made;
    }));
    return render_link(context, now, token);
}

// « Supprimer le lien »: no link any more.
ErrorOr<http::Response> delete_link(Context& context)
{
    auto const person = context.user().id;
    TRY(context.database().write([&](soci::session& session) -> ErrorOr<bool> {
        session << "DELETE FROM lesson_book_feed WHERE user_id = :user", soci::use(person);
        return true;
    }));
    return http::Response::redirect("/cahier-de-textes/calendrier");
}

// A calendar application following the private link: the token is the
// credential; the person must still be active.
ErrorOr<http::Response> feed(Context& context)
{
    auto token = context.request.parameter("token");
    if (!token.ends_with(".ics"))
        return Error::not_found();
    token.resize(token.size() - 4);
    if (token.size() < 32)
        return Error::not_found();
    auto const now = context.now;
    auto const domain = host_of(context.public_url());
    auto const body = TRY(context.database().read([&](soci::session& session) -> ErrorOr<std::optional<std::string>> {
        auto const digest = identity::token_digest(token);
        long long user_id = 0;
        session << "SELECT user_id FROM lesson_book_feed WHERE token_digest = :digest", soci::into(user_id),
            soci::use(digest);
        if (!session.got_data())
            return std::optional<std::string>();
        auto person = identity::store::find_user(session, user_id);
        if (!person || !person->active)
            return std::optional<std::string>();
        return std::optional<std::string>(calendar_of(session, *person, domain, now));
    }));
    if (!body)
        return Error::not_found();
    http::Response response;
    response.body = *body;
    response.set_header("Content-Type", "text/calendar; charset=utf-8");
    response.set_header("Content-Disposition", "inline; filename=\"cahier-de-textes.ics\"");
    response.set_header("Cache-Control", "private, no-store");
    return response;
}

// The API: ?du=&au= (this day and the next 14 by default, a year at most),
// ?eleve= (a guardian's child; a student only himself).
struct ApiQuery {
    long long student_id { 0 };
    long long from { 0 };
    long long to { 0 }; // excluded
};

ErrorOr<ApiQuery> api_query(Context& context)
{
    auto const& user = context.user();
    auto const today = today_of(context);
    ApiQuery query;
    query.from = TRY(day_parameter(context.request.query.get("du"), today));
    auto const last = TRY(day_parameter(context.request.query.get("au"), query.from + 14));
    if (last < query.from)
        return Error::invalid("La date « au » doit suivre la date « du ».", "api period reversed");
    if (last - query.from >= LONGEST_PERIOD_DAYS)
        return Error::invalid("La période demandée ne peut pas dépasser une année scolaire.", "api period too long");
    query.to = last + 1;
    auto const asked = context.request.query.get("eleve");
    if (user.profile == access::Profile::Student) {
        if (!asked.empty() && parse_id(asked) != user.id)
            return Error::forbidden("Un élève ne peut consulter que son propre cahier de textes.", "other student");
        query.student_id = user.id;
        return query;
    }
    if (user.profile != access::Profile::Guardian)
        return Error::forbidden(
            "Cette API est celle des élèves et de leurs responsables.", "api lesson book for a non family");
    auto const id = parse_id(asked);
    auto const children = TRY(context.services.children_of(user.id, context.now));
    bool const own = std::any_of(children.begin(), children.end(), [&](auto const& child) { return child.id == id; });
    if (!own)
        return Error::forbidden(
            "Indiquez dans « eleve » l'identifiant de l'un de vos enfants (voir /api/v1/moi).", "not a child");
    query.student_id = id;
    return query;
}

boost::json::array files_json(Context& context, std::map<long long, std::vector<FileOf>> const& files, long long id)
{
    boost::json::array list;
    auto found = files.find(id);
    if (found == files.end())
        return list;
    for (auto const& file : found->second) {
        boost::json::object entry;
        entry["id"] = file.id;
        entry["nom"] = file.name;
        entry["taille"] = file.size;
        entry["url"] = context.public_url() + file_url(file);
        list.push_back(std::move(entry));
    }
    return list;
}

http::Response json_of(boost::json::object const& body)
{
    auto response = http::Response::json(boost::json::serialize(body));
    response.set_header("Cache-Control", "private, no-store");
    return response;
}

ErrorOr<Book> api_book(Context& context, ApiQuery const& query)
{
    auto const now = context.now;
    return context.database().read([&](soci::session& session) -> ErrorOr<Book> {
        return book_of(session, query.student_id, query.from, query.to, now, false);
    });
}

// The answer of both API routes: the student, the dates asked, the list.
http::Response api_answer(ApiQuery const& query, char const* key, boost::json::array list)
{
    boost::json::object body;
    body["eleve"] = query.student_id;
    body["du"] = school_time::iso_day(query.from);
    body["au"] = school_time::iso_day(query.to - 1);
    body[key] = std::move(list);
    return json_of(body);
}

ErrorOr<http::Response> api_homework(Context& context)
{
    auto const query = TRY(api_query(context));
    auto const book = TRY(api_book(context, query));
    boost::json::array list;
    for (auto const& homework : book.homework) {
        boost::json::object entry;
        entry["id"] = homework.id;
        entry["classe"] = homework.class_name;
        entry["matiere"] = homework.subject_label;
        entry["donne_le"] = school_time::iso_day(homework.given_day);
        entry["pour_le"] = school_time::iso_day(homework.due_day);
        auto const safe = html::sanitize(homework.description);
        entry["description_html"] = safe;
        entry["description_texte"] = html::plain_text(safe);
        entry["duree_estimee_minutes"] = homework.estimated_minutes;
        entry["rendu_en_ligne"] = homework.hand_in_online;
        entry["fait"] = std::binary_search(book.done.begin(), book.done.end(), homework.id);
        entry["seance"] = homework.session_id;
        entry["pieces_jointes"] = files_json(context, book.homework_files, homework.id);
        list.push_back(std::move(entry));
    }
    return api_answer(query, "travail", std::move(list));
}

ErrorOr<http::Response> api_seances(Context& context)
{
    auto const query = TRY(api_query(context));
    auto const book = TRY(api_book(context, query));
    boost::json::array list;
    for (auto const& seance : book.seances) {
        boost::json::object entry;
        entry["id"] = seance.id;
        entry["classe"] = seance.class_name;
        entry["matiere"] = seance.subject_label;
        entry["date"] = school_time::iso_day(seance.day);
        if (seance.end_minute > seance.start_minute) {
            entry["debut"] = school_time::clock(seance.start_minute);
            entry["fin"] = school_time::clock(seance.end_minute);
        }
        entry["titre"] = seance.title;
        auto const safe = html::sanitize(seance.content);
        entry["contenu_html"] = safe;
        entry["contenu_texte"] = html::plain_text(safe);
        entry["pieces_jointes"] = files_json(context, book.seance_files, seance.id);
        list.push_back(std::move(entry));
    }
    return api_answer(query, "seances", std::move(list));
}

} // namespace

std::vector<http::Route> feed_routes()
{
    using http::Method;
    return {
        { Method::Get, "/cahier-de-textes/calendrier", READ, show_link },
        { Method::Post, "/cahier-de-textes/calendrier", READ, renew_link },
        { Method::Post, "/cahier-de-textes/calendrier/supprimer", READ, delete_link },
        { Method::Get, "/cahier-de-textes/calendrier/{token}", FEED, feed },
    };
}

std::vector<http::Route> api_routes()
{
    using http::Method;
    return {
        { Method::Get, "/api/v1/cahier-de-textes/travail", API, api_homework },
        { Method::Get, "/api/v1/cahier-de-textes/seances", API, api_seances },
    };
}

} // namespace cartable::lesson_book::family

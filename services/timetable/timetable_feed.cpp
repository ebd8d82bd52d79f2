// SPDX-License-Identifier: AGPL-3.0-or-later
// The timetable as an iCalendar feed that calendar applications follow by a
// private link: a student's lessons, a guardian's children's (each one's
// first name before the subject), a teacher's; one VEVENT per lesson, times
// in Europe/Paris, cancelled lessons with STATUS:CANCELLED.
#include "core/identity/identity_store.h"
#include "core/school_time.h"
#include "core/view/frame.h"
#include "services/timetable/timetable_internal.h"

namespace cartable::timetable {

namespace {

constexpr long long FEED_DAYS_BEFORE = 28;
constexpr long long FEED_DAYS_AFTER = 84;

std::string host_of(std::string const& url)
{
    auto start = url.find("://");
    auto host = start == std::string::npos ? url : url.substr(start + 3);
    auto end = host.find_first_of("/:");
    return end == std::string::npos ? host : host.substr(0, end);
}

struct Labelled {
    Lesson lesson;
    std::string prefix; // a guardian's child's first name
};

// The lessons of a person's feed.
std::vector<Labelled> feed_lessons(soci::session& session, identity::User const& person, long long from, long long to)
{
    using access::Profile;
    std::vector<Labelled> lessons;
    auto const add = [&](Target const& target, std::string const& prefix) {
        for (auto& lesson : lessons_of(session, target, from, to))
            lessons.push_back({ std::move(lesson), prefix });
    };
    switch (person.profile) {
    case Profile::Student:
        add({ TargetKind::Student, person.id, person.structure_id, person.display_name() }, {});
        break;
    case Profile::Teacher:
        add({ TargetKind::Teacher, person.id, person.structure_id, person.display_name() }, {});
        break;
    case Profile::Guardian:
        for (auto const& child : identity::store::children_of(session, person.id))
            add({ TargetKind::Student, child.id, child.structure_id, child.display_name() }, child.first_name);
        break;
    case Profile::Staff:
    case Profile::Admin:
        break;
    }
    return lessons;
}

} // namespace

std::string ics_of_lessons(std::vector<std::pair<Lesson, std::string>> const& lessons, std::string const& name,
    std::string const& domain, long long now)
{
    using namespace school_time;
    std::string out;
    auto const line = [&](std::string_view text) { out += ics_line(text); };
    auto const parts = [&](std::initializer_list<std::string_view> pieces) {
        std::string text;
        for (auto piece : pieces)
            text.append(piece);
        out += ics_line(text);
    };
    line("BEGIN:VCALENDAR");
    line("VERSION:2.0");
    line("PRODID:-//Cartable//Emploi du temps//FR");
    line("CALSCALE:GREGORIAN");
    line("METHOD:PUBLISH");
    parts({ "X-WR-CALNAME:", ics_escape(name) });
    line("X-WR-TIMEZONE:Europe/Paris");
    out += ics_timezone();
    auto const stamp = ics_utc(now);
    for (auto const& [lesson, prefix] : lessons) {
        line("BEGIN:VEVENT");
        parts({ "UID:cours-", std::to_string(lesson.slot_id), "-", ics_date(lesson.slot_day), "-",
            std::to_string(lesson.class_id), "@", domain });
        parts({ "DTSTAMP:", stamp });
        parts({ "DTSTART;TZID=Europe/Paris:", ics_local_time(lesson.day * MINUTES_PER_DAY + lesson.start_minute) });
        parts({ "DTEND;TZID=Europe/Paris:", ics_local_time(lesson.day * MINUTES_PER_DAY + lesson.end_minute) });
        std::string summary = prefix.empty() ? std::string() : prefix + " : ";
        summary += lesson.subject_label;
        if (lesson.status == LessonStatus::Cancelled)
            summary += " (annulé)";
        parts({ "SUMMARY:", ics_escape(summary) });
        if (!lesson.room.empty())
            parts({ "LOCATION:", ics_escape("Salle " + lesson.room) });
        std::string description = lesson.class_name;
        if (!lesson.teacher_name.empty()) {
            description += " – ";
            description += lesson.teacher_name;
        }
        if (!lesson.note.empty()) {
            description += "\n";
            description += lesson.note;
        }
        parts({ "DESCRIPTION:", ics_escape(description) });
        parts({ "STATUS:", lesson.status == LessonStatus::Cancelled ? "CANCELLED" : "CONFIRMED" });
        line("END:VEVENT");
    }
    line("END:VCALENDAR");
    return out;
}

namespace {

http::Response render_subscription(Context& context, std::optional<long long> created, std::string const& token)
{
    view::Data data;
    data.set("has_link", created.has_value());
    if (created)
        data.set("created", school_time::long_day(school_time::day_of_unix(*created)));
    if (!token.empty()) {
        auto const url = context.public_url() + "/emploi-du-temps/calendrier/" + token + ".ics";
        data.set("link", url);
        data.set("webcal", school_time::ics_webcal(url));
    }
    auto response = view::render(context, "timetable/subscription", std::move(data), "S'abonner à l'emploi du temps",
        view::MenuEntry::Timetable);
    response.set_header("Cache-Control", "private, no-store");
    return response;
}

ErrorOr<void> require_feed_person(Context& context)
{
    using access::Profile;
    auto const profile = context.user().profile;
    if (profile == Profile::Staff || profile == Profile::Admin)
        return Error::forbidden("Le lien d'abonnement donne l'emploi du temps d'un élève, de ses responsables ou d'un "
                                "enseignant ; choisissez une classe dans « Emploi du temps ».",
            "timetable feed of staff");
    return {};
}

ErrorOr<http::Response> show_subscription(Context& context)
{
    TRY(require_feed_person(context));
    auto const person = context.user().id;
    auto const created = TRY(context.database().read(
        [&](soci::session& session) -> ErrorOr<std::optional<long long>> { return feed_created_at(session, person); }));
    return render_subscription(context, created, {});
}

ErrorOr<http::Response> renew_subscription(Context& context)
{
    TRY(require_feed_person(context));
    auto const person = context.user().id;
    auto const now = context.now;
    auto const token = TRY(context.database().write([&](soci::session& session) -> ErrorOr<std::string> {
        auto made = renew_feed_token(session, person, now);
        identity::store::audit(session, person, "timetable_feed_link", "Emploi du temps");
        return made;
    }));
    return render_subscription(context, now, token);
}

// A calendar application following the private link: no session, the
// token is the credential; refused once the account is closed.
ErrorOr<http::Response> feed(Context& context)
{
    auto token = context.request.parameter("token");
    if (!token.ends_with(".ics"))
        return Error::not_found();
    token.resize(token.size() - 4);
    if (token.size() < 32)
        return Error::not_found();
    auto const now_day = today(context);
    auto const body = TRY(context.database().read([&](soci::session& session) -> ErrorOr<std::optional<std::string>> {
        auto owner = feed_owner(session, token);
        if (!owner)
            return std::optional<std::string>();
        auto person = identity::store::find_user(session, *owner);
        if (!person || !person->active)
            return std::optional<std::string>();
        std::vector<std::pair<Lesson, std::string>> lessons;
        for (auto& labelled : feed_lessons(session, *person, now_day - FEED_DAYS_BEFORE, now_day + FEED_DAYS_AFTER))
            lessons.emplace_back(std::move(labelled.lesson), std::move(labelled.prefix));
        return std::optional<std::string>(ics_of_lessons(
            lessons, "Emploi du temps – " + person->display_name(), host_of(context.public_url()), context.now));
    }));
    if (!body)
        return Error::not_found();
    http::Response response;
    response.body = *body;
    response.set_header("Content-Type", "text/calendar; charset=utf-8");
    response.set_header("Content-Disposition", "inline; filename=\"emploi-du-temps.ics\"");
    response.set_header("Cache-Control", "private, no-store");
    return response;
}

} // namespace

std::vector<http::Route> feed_routes()
{
    using http::Method;
    return {
        { Method::Get, "/emploi-du-temps/abonnement", READ, show_subscription },
        { Method::Post, "/emploi-du-temps/abonnement", READ, renew_subscription },
        { Method::Get, "/emploi-du-temps/calendrier/{token}", FEED, feed },
    };
}

} // namespace cartable::timetable

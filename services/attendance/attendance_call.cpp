// SPDX-License-Identifier: AGPL-3.0-or-later
// The teacher's roll call: the lessons of the day (the current one first,
// « Faire l'appel » in one tap), the call sheet and its corrections.
#include "core/i18n/format.h"
#include "core/identity/identity_store.h"
#include "core/school_time.h"
#include "core/text.h"
#include "core/view/frame.h"
#include "services/attendance/attendance_pages.h"
#include "services/attendance/attendance_store.h"
#include "services/notifications/notifications.h"
#include <algorithm>
#include <charconv>

namespace cartable::attendance {

namespace {

constexpr char const* CALL_BASE = "/vie-scolaire/appel";
constexpr char const* NO_LESSON = "Ce cours n'existe pas ou vous ne le donnez pas.";
constexpr long long DAYS_BACK = 7;
constexpr long long LATENESS_MAX = 240;

std::string sheet_path(long long slot_id, long long slot_day)
{
    return std::string(CALL_BASE) + "/" + std::to_string(slot_id) + "/" + school_time::iso_day(slot_day);
}

long long minute_of(Context const& context)
{
    return school_time::local_from_unix(context.now) - today_of(context) * school_time::MINUTES_PER_DAY;
}

// « Appel fait à 08:07 », « Appel à faire », « Annulé ».
view::Data lesson_item(timetable::Lesson const& lesson, Call const* call, long long person_id)
{
    view::Data item;
    item.set("hours", hours_text(lesson.start_minute, lesson.end_minute));
    item.set("class_name", lesson.class_name);
    item.set("subject", lesson.subject_label);
    item.set("room", lesson.room);
    item.set("url", sheet_path(lesson.slot_id, lesson.slot_day));
    bool const cancelled = lesson.status == timetable::LessonStatus::Cancelled;
    bool const given_away = lesson.teacher_id != person_id;
    bool const done = call != nullptr && call->done_at != 0;
    item.set("cancelled", cancelled);
    item.set("given_away", !cancelled && given_away);
    item.set("teacher_name", lesson.teacher_name);
    item.set("callable", !cancelled && !given_away);
    item.set("done", done);
    std::string state = "Appel à faire";
    if (done)
        state = "Appel fait à " + school_time::clock(school_time::local_from_unix(call->done_at));
    item.set("state", state);
    return item;
}

// GET /vie-scolaire/appel[?jour=2026-11-30]: the day's lessons (today by
// default), the current or next one first, then the last days'.
ErrorOr<http::Response> show_calls(Context& context)
{
    auto const& person = context.user();
    auto const today = today_of(context);
    auto const day = TRY(asked_day(context));
    struct Content {
        std::vector<timetable::Lesson> lessons;
        std::vector<timetable::Lesson> earlier;
        std::map<std::pair<long long, long long>, Call> calls;
    };
    auto content = TRY(context.database().read([&](soci::session& session) -> ErrorOr<Content> {
        Content result;
        result.lessons = timetable::lessons_of_teacher(session, person.id, day, day + 1);
        result.earlier = timetable::lessons_of_teacher(session, person.id, day - DAYS_BACK, day);
        result.calls = calls_between(session, person.structure_id, day - DAYS_BACK, day);
        return result;
    }));
    auto call_of = [&](timetable::Lesson const& lesson) -> Call const* {
        auto found = content.calls.find({ lesson.slot_id, lesson.slot_day });
        return found == content.calls.end() ? nullptr : &found->second;
    };
    // The lesson under way, or the next one, of today: the big button.
    auto const minute = minute_of(context);
    auto current = content.lessons.end();
    if (day == today)
        current = std::find_if(content.lessons.begin(), content.lessons.end(), [&](timetable::Lesson const& lesson) {
            return lesson.status != timetable::LessonStatus::Cancelled && lesson.teacher_id == person.id
                && lesson.end_minute > minute;
        });
    view::Data data;
    data.set("day", day_title(day));
    data.set("is_today", day == today);
    data.set("day_value", school_time::iso_day(day));
    data.set("previous_url", std::string(CALL_BASE) + "?jour=" + school_time::iso_day(day - 1));
    data.set("next_url", std::string(CALL_BASE) + "?jour=" + school_time::iso_day(day + 1));
    data.set("has_current", current != content.lessons.end());
    if (current != content.lessons.end()) {
        auto item = lesson_item(*current, call_of(*current), person.id);
        item.set("under_way", current->start_minute <= minute);
        data.set("current", std::move(item));
    }
    view::List lessons;
    for (auto each = content.lessons.begin(); each != content.lessons.end(); ++each)
        if (each != current)
            lessons.push_back(lesson_item(*each, call_of(*each), person.id));
    data.set("has_lessons", !lessons.empty());
    data.set("lessons", std::move(lessons));
    data.set("no_lesson", content.lessons.empty());
    view::List earlier;
    for (auto each = content.earlier.rbegin(); each != content.earlier.rend(); ++each) {
        auto item = lesson_item(*each, call_of(*each), person.id);
        item.set("day", day_title(each->day));
        earlier.push_back(std::move(item));
    }
    data.set("has_earlier", !earlier.empty());
    data.set("earlier", std::move(earlier));
    data.set("runs_desk", runs_desk(person));
    if (context.request.query.get("fait") == "appel")
        data.set("notice", "Appel validé.");
    return view::render(context, "attendance/call_list", std::move(data), "Faire l'appel", view::MenuEntry::Attendance);
}

// The lesson of the path, if the person gives it or runs the desk of its
// structure; NotFound otherwise (the same answer as for no lesson).
ErrorOr<timetable::Lesson> visible_lesson(Context& context)
{
    auto const slot_id = parse_id(context.request.parameter("slot"));
    auto const slot_day = school_time::parse_day(context.request.parameter("day"));
    if (slot_id == 0 || !slot_day)
        return Error::not_found(NO_LESSON, "bad call path");
    auto const& person = context.user();
    auto found = TRY(context.database().read([&](soci::session& session) -> ErrorOr<std::optional<timetable::Lesson>> {
        return timetable::lesson(session, slot_id, *slot_day);
    }));
    if (!found || found->structure_id != person.structure_id)
        return Error::not_found(NO_LESSON, "no such lesson");
    if (found->teacher_id != person.id && !runs_desk(person))
        return Error::not_found(NO_LESSON, "not the lesson's teacher");
    return std::move(*found);
}

// What the sheet shows for each student: recorded, or typed again after an error.
struct Choice {
    std::string status { "present" }; // present, absent, retard, depart
    std::string minutes;
};

std::string status_of(Kind kind)
{
    switch (kind) {
    case Kind::Lateness:
        return "retard";
    case Kind::Departure:
        return "depart";
    case Kind::Absence:
        break;
    }
    return "absent";
}

ErrorOr<http::Response> render_sheet(Context& context, timetable::Lesson const& lesson,
    std::map<long long, Choice> const* typed = nullptr, std::string const& error = {}, int status = 200)
{
    auto const& person = context.user();
    struct Content {
        std::vector<identity::User> students;
        std::optional<Call> call;
        std::vector<Event> events;
        std::string done_by;
        std::string updated_by;
    };
    auto content = TRY(context.database().read([&](soci::session& session) -> ErrorOr<Content> {
        Content result;
        result.students = students_of_class(session, lesson.class_id);
        result.call = find_call(session, lesson.slot_id, lesson.slot_day);
        if (result.call) {
            result.events = events_of_call(session, result.call->id);
            if (auto who = identity::store::find_user(session, result.call->done_by))
                result.done_by = who->display_name();
            if (auto who = identity::store::find_user(session, result.call->updated_by))
                result.updated_by = who->display_name();
        }
        return result;
    }));
    std::map<long long, Choice> recorded;
    for (auto const& event : content.events)
        recorded[event.student_id]
            = { status_of(event.kind), event.kind == Kind::Lateness ? std::to_string(event.minutes) : std::string() };
    auto const& choices = typed != nullptr ? *typed : recorded;
    bool const cancelled = lesson.status == timetable::LessonStatus::Cancelled;
    bool const editable = !cancelled && may_edit_call(person, lesson.teacher_id, lesson.day, today_of(context));
    view::Data data;
    data.set("title", lesson.class_name + " – " + lesson.subject_label);
    data.set("day", day_title(lesson.day));
    data.set("hours", hours_text(lesson.start_minute, lesson.end_minute));
    data.set("room", lesson.room);
    data.set("teacher_name", lesson.teacher_name);
    data.set("action", sheet_path(lesson.slot_id, lesson.slot_day));
    data.set("cancelled", cancelled);
    data.set("editable", editable);
    data.set("read_only", !cancelled && !editable);
    data.set("error", error);
    data.set("back_url", lesson.teacher_id == person.id ? std::string(CALL_BASE) : std::string(DESK_PATH));
    bool const done = content.call && content.call->done_at != 0;
    data.set("done", done);
    if (done) {
        auto text = "Appel fait à " + school_time::clock(school_time::local_from_unix(content.call->done_at));
        if (!content.done_by.empty())
            text += " par " + content.done_by;
        if (content.call->updated_at != 0)
            text += ", corrigé le " + i18n::format_long_datetime(content.call->updated_at)
                + (content.updated_by.empty() ? std::string() : " par " + content.updated_by);
        data.set("done_text", text);
    }
    view::List students;
    for (auto const& student : content.students) {
        auto found = choices.find(student.id);
        Choice const choice = found == choices.end() ? Choice {} : found->second;
        view::Data item;
        item.set("id", std::to_string(student.id));
        auto sorted_name = student.last_name;
        sorted_name.append(" ").append(student.first_name);
        item.set("name", sorted_name);
        item.set("present", choice.status == "present");
        item.set("absent", choice.status == "absent");
        item.set("late", choice.status == "retard");
        item.set("left", choice.status == "depart");
        item.set("minutes", choice.minutes);
        students.push_back(std::move(item));
    }
    data.set("has_students", !students.empty());
    data.set("students", std::move(students));
    return view::render(context, "attendance/call_sheet", std::move(data), "Appel – " + lesson.class_name,
        view::MenuEntry::Attendance, status);
}

// GET /vie-scolaire/appel/{slot}/{day}
ErrorOr<http::Response> show_sheet(Context& context)
{
    auto lesson = TRY(visible_lesson(context));
    return render_sheet(context, lesson);
}

// POST /vie-scolaire/appel/{slot}/{day}: « Valider l'appel ».
ErrorOr<http::Response> take_call(Context& context)
{
    auto lesson = TRY(visible_lesson(context));
    auto const& person = context.user();
    if (lesson.status == timetable::LessonStatus::Cancelled)
        return Error::conflict("Ce cours est annulé : il n'y a pas d'appel à faire.", "cancelled lesson");
    if (!may_edit_call(person, lesson.teacher_id, lesson.day, today_of(context))) {
        if (lesson.day > today_of(context))
            return Error::forbidden("L'appel de ce cours se fera le jour du cours.", "call before its day");
        return Error::forbidden(
            "L'appel ne se corrige que le jour du cours : demandez à la vie scolaire.", "call after its day");
    }
    auto students = TRY(context.database().read([&](soci::session& session) -> ErrorOr<std::vector<identity::User>> {
        return students_of_class(session, lesson.class_id);
    }));
    std::map<long long, Choice> typed;
    std::vector<Mark> marks;
    std::string error;
    auto const length = lesson.end_minute - lesson.start_minute;
    for (auto const& student : students) {
        auto const id = std::to_string(student.id);
        Choice choice;
        auto const status = std::string(trim_text(context.request.form.get("eleve-" + id)));
        choice.status = status.empty() ? "present" : std::string(status);
        choice.minutes = std::string(trim_text(context.request.form.get("minutes-" + id)));
        auto const name = student.display_name();
        if (choice.status == "absent") {
            marks.push_back({ student.id, Kind::Absence, 0 });
        } else if (choice.status == "depart") {
            marks.push_back({ student.id, Kind::Departure, 0 });
        } else if (choice.status == "retard") {
            long long minutes = 0;
            auto const* begin = choice.minutes.data();
            auto const* end = begin + choice.minutes.size();
            auto [stop, failure] = std::from_chars(begin, end, minutes);
            if (choice.minutes.empty() || failure != std::errc() || stop != end || minutes < 1
                || minutes > std::min(length, LATENESS_MAX)) {
                if (error.empty())
                    error = "Indiquez les minutes de retard de " + name + " (de 1 à "
                        + std::to_string(std::min(length, LATENESS_MAX)) + ").";
            }
            marks.push_back({ student.id, Kind::Lateness, minutes });
        } else if (choice.status != "present") {
            if (error.empty())
                error = "Choisissez Présent, Absent, En retard ou Parti plus tôt pour " + name + ".";
            choice.status = "present";
        }
        typed[student.id] = std::move(choice);
    }
    if (!error.empty())
        return render_sheet(context, lesson, &typed, error, 400);
    auto const justified = identity::is_vie_scolaire(person) ? JustifiedAbsences::MayRemove : JustifiedAbsences::Keep;
    Notified notified;
    auto const public_url = context.public_url();
    auto recorded = context.database().write([&](soci::session& session) -> ErrorOr<void> {
        auto changed = TRY(record_call(session, lesson, marks, person.id, context.now, justified));
        after_recording(session, changed, public_url, context.now, notified);
        return {};
    });
    if (recorded.is_error()) {
        if (recorded.error().kind == ErrorKind::Conflict)
            return render_sheet(context, lesson, &typed, recorded.error().message_key, 409);
        return recorded.error();
    }
    notifications::published(context.services, notified.people, notified.outbox_rows);
    if (lesson.teacher_id == person.id)
        return http::Response::redirect(std::string(CALL_BASE) + "?fait=appel");
    return http::Response::redirect(std::string(DESK_PATH) + "?fait=appel");
}

} // namespace

std::vector<http::Route> call_routes()
{
    using http::Method;
    return {
        { Method::Get, CALL_BASE, CALL, show_calls },
        { Method::Get, "/vie-scolaire/appel/{slot}/{day}", CALL, show_sheet },
        { Method::Post, "/vie-scolaire/appel/{slot}/{day}", CALL, take_call },
    };
}

} // namespace cartable::attendance

// SPDX-License-Identifier: AGPL-3.0-or-later
// The vie scolaire's desk: today's absences and lateness, the calls not
// taken, the students over a threshold, today's incidents; an absence
// entered at the desk, the decision on an event, a student's file.
#include "core/identity/identity_store.h"
#include "core/school/periods.h"
#include "core/text.h"
#include "core/view/frame.h"
#include "services/attendance/attendance_pages.h"
#include "services/attendance/attendance_store.h"
#include "services/notifications/notifications.h"

namespace cartable::attendance {

namespace {

constexpr char const* NOT_DESK = "Le bureau de la vie scolaire est réservé au CPE, aux assistants d'éducation et à la "
                                 "direction.";
constexpr char const* NO_EVENT = "Cette absence n'existe pas ou vous ne suivez pas cet élève.";
constexpr std::size_t COMMENT_MAX = 1000;

ErrorOr<void> check_desk(Context& context)
{
    if (!runs_desk(context.user()))
        return Error::forbidden(NOT_DESK, "not the desk");
    return {};
}

std::string event_hours(Event const& event)
{
    if (event.kind == Kind::Lateness)
        return school_time::clock(event.start_minute) + " (" + std::to_string(event.minutes) + " min)";
    return hours_text(event.start_minute, event.end_minute);
}

view::Data event_item(Event const& event)
{
    view::Data item;
    item.set("url", event_path(event.id));
    item.set("student_url", student_path(event.student_id));
    item.set("student", event.student_name);
    item.set("class_name", event.class_name);
    item.set("day", day_title(event.day));
    item.set("hours", event_hours(event));
    item.set("kind", std::string(kind_label(event.kind)));
    item.set("state", std::string(state_label(event.state)));
    item.set("unjustified", event.state == State::Unjustified || event.state == State::NotValid);
    item.set("motive", event.motive_label);
    item.set("comment", event.comment);
    return item;
}

std::string half_days_text(long long count)
{
    return std::to_string(count) + (count > 1 ? " demi-journées" : " demi-journée");
}

std::string lateness_text(long long count)
{
    return std::to_string(count) + (count > 1 ? " retards" : " retard");
}

// GET /vie-scolaire/bureau[?jour=2026-11-30]
ErrorOr<http::Response> show_desk(Context& context)
{
    TRY(check_desk(context));
    auto const& person = context.user();
    auto const today = today_of(context);
    auto const day = TRY(asked_day(context));
    // Today's lessons of every class: the timetable, kept ten seconds (its
    // changes of the day show that much later; the calls are read each time).
    std::vector<timetable::Lesson> lessons;
    if (day == today) {
        auto const key = "attendance.lessons:" + std::to_string(person.structure_id) + ":" + std::to_string(day);
        if (auto cached = context.services.shared_results.find(key, context.now)) {
            lessons = *std::static_pointer_cast<std::vector<timetable::Lesson> const>(*cached);
        } else {
            lessons
                = TRY(context.database().read([&](soci::session& session) -> ErrorOr<std::vector<timetable::Lesson>> {
                      return lessons_of_structure(session, person.structure_id, day);
                  }));
            context.services.shared_results.store(
                key, std::make_shared<std::vector<timetable::Lesson> const>(lessons), context.now);
        }
    }
    struct Content {
        std::vector<Event> events;
        std::vector<timetable::Lesson> missing;
        school::Period period;
        Settings settings;
        std::vector<OverThreshold> over;
        std::vector<Incident> incidents;
    };
    auto content = TRY(context.database().read([&](soci::session& session) -> ErrorOr<Content> {
        Content result;
        result.events = events_of_day(session, person.structure_id, day);
        if (day == today)
            result.missing = calls_not_done(session, person.structure_id, lessons, context.now);
        result.period = school::period_containing(session, person.structure_id, day);
        result.settings = settings_of(session, person.structure_id);
        result.over = over_thresholds(
            session, person.structure_id, result.period.first_day, result.period.last_day, result.settings);
        result.incidents = incidents_between(session, person.structure_id, day, day);
        return result;
    }));
    view::Data data;
    data.set("day", day_title(day));
    data.set("is_today", day == today);
    data.set("refresh_url", std::string(DESK_PATH) + (day == today ? "" : "?jour=" + school_time::iso_day(day)));
    data.set("records", identity::is_vie_scolaire(person));
    view::List events;
    long long absences = 0;
    long long lateness = 0;
    for (auto const& event : content.events) {
        absences += event.kind == Kind::Absence ? 1 : 0;
        lateness += event.kind == Kind::Lateness ? 1 : 0;
        events.push_back(event_item(event));
    }
    data.set(
        "summary", std::to_string(absences) + (absences > 1 ? " absences, " : " absence, ") + lateness_text(lateness));
    data.set("has_events", !events.empty());
    data.set("events", std::move(events));
    view::List missing;
    for (auto const& lesson : content.missing) {
        view::Data item;
        item.set("hours", hours_text(lesson.start_minute, lesson.end_minute));
        item.set("class_name", lesson.class_name);
        item.set("subject", lesson.subject_label);
        item.set("teacher", lesson.teacher_name.empty() ? std::string("—") : lesson.teacher_name);
        item.set("url",
            "/vie-scolaire/appel/" + std::to_string(lesson.slot_id) + "/" + school_time::iso_day(lesson.slot_day));
        missing.push_back(std::move(item));
    }
    data.set("has_missing", !missing.empty());
    data.set("missing", std::move(missing));
    data.set("period", content.period.label);
    view::List over;
    for (auto const& student : content.over) {
        view::Data item;
        item.set("student", student.student_name);
        item.set("class_name", student.class_name);
        item.set("url", student_path(student.student_id));
        std::string alert;
        if (student.half_days >= content.settings.alert_half_days)
            alert = half_days_text(student.half_days)
                + " d'absence (seuil : " + std::to_string(content.settings.alert_half_days) + ")";
        if (student.lateness >= content.settings.alert_lateness) {
            if (!alert.empty())
                alert += ", ";
            alert += lateness_text(student.lateness) + " (seuil : " + std::to_string(content.settings.alert_lateness)
                + ")";
        }
        item.set("alert", alert);
        over.push_back(std::move(item));
    }
    data.set("has_over", !over.empty());
    data.set("over", std::move(over));
    view::List incidents;
    for (auto const& incident : content.incidents) {
        view::Data item;
        item.set("hour", school_time::clock(incident.minute));
        item.set("place", incident.place);
        item.set("description", incident.description);
        std::string names;
        for (auto const& [id, name] : incident.students)
            names += (names.empty() ? "" : ", ") + name;
        item.set("students", names);
        item.set("reported_by", incident.reported_by);
        incidents.push_back(std::move(item));
    }
    data.set("has_incidents", !incidents.empty());
    data.set("incidents", std::move(incidents));
    auto const notice = context.request.query.get("fait");
    if (notice == "appel")
        data.set("notice", "Appel validé.");
    else if (notice == "absence")
        data.set("notice", "L'absence est enregistrée.");
    return view::render(
        context, "attendance/desk", std::move(data), "Bureau de la vie scolaire", view::MenuEntry::Attendance);
}

// --- An absence entered at the desk ------------------------------------------

struct EntryForm {
    std::string student;
    std::string day;
    std::string kind { "absence" };
    std::string part { "matin" }; // matin, apres-midi, journee, heures
    std::string start;
    std::string end;
    std::string minutes;
};

ErrorOr<http::Response> render_entry(Context& context, EntryForm const& form, std::string const& error = {})
{
    auto const& person = context.user();
    auto students = TRY(context.database().read([&](soci::session& session) -> ErrorOr<std::vector<StudentEntry>> {
        return students_of_structure(session, person.structure_id);
    }));
    view::Data data;
    data.set("error", error);
    auto const chosen = parse_id(form.student);
    data.set("groups", student_groups(students, { chosen }));
    data.set("day", form.day.empty() ? school_time::iso_day(today_of(context)) : form.day);
    for (auto const* kind : { "absence", "retard", "depart" })
        data.set(std::string("kind_") + kind, form.kind == kind);
    data.set("part_matin", form.part == "matin");
    data.set("part_apres_midi", form.part == "apres-midi");
    data.set("part_journee", form.part == "journee");
    data.set("part_heures", form.part == "heures");
    data.set("start", form.start);
    data.set("end", form.end);
    data.set("minutes", form.minutes);
    return view::render(context, "attendance/desk_entry", std::move(data), "Saisir une absence",
        view::MenuEntry::Attendance, error.empty() ? 200 : 400);
}

// GET /vie-scolaire/bureau/absences
ErrorOr<http::Response> show_entry(Context& context)
{
    if (!identity::is_vie_scolaire(context.user()))
        return Error::forbidden("Seule la vie scolaire saisit des absences hors de l'appel.", "not vie scolaire");
    return render_entry(context, EntryForm {});
}

constexpr long long MORNING_START = 8LL * 60;
constexpr long long AFTERNOON_END = 17LL * 60 + 30;

// POST /vie-scolaire/bureau/absences
ErrorOr<http::Response> record_entry(Context& context)
{
    auto const& person = context.user();
    if (!identity::is_vie_scolaire(person))
        return Error::forbidden("Seule la vie scolaire saisit des absences hors de l'appel.", "not vie scolaire");
    auto const& fields = context.request.form;
    EntryForm form;
    form.student = std::string(trim_text(fields.get("eleve")));
    form.day = std::string(trim_text(fields.get("date")));
    form.kind = std::string(trim_text(fields.get("type")));
    form.part = std::string(trim_text(fields.get("moment")));
    form.start = std::string(trim_text(fields.get("debut")));
    form.end = std::string(trim_text(fields.get("fin")));
    form.minutes = std::string(trim_text(fields.get("minutes")));
    auto const student_id = parse_id(form.student);
    auto const rights = TRY(context.database().read(
        [&](soci::session& session) -> ErrorOr<Rights> { return rights_toward(session, person, student_id); }));
    if (student_id == 0 || !rights.sees)
        return render_entry(context, form, "Choisissez l'élève.");
    if (!rights.records)
        return Error::forbidden("Vous ne pouvez pas saisir d'absence pour cet élève.", "does not record");
    auto const kind = kind_from_store(form.kind);
    if (!kind)
        return render_entry(context, form, "Choisissez Absence, Retard ou Départ anticipé.");
    auto const day = school_time::parse_day(form.day);
    if (!day)
        return render_entry(context, form, "Indiquez la date (jj/mm/aaaa).");
    std::vector<DeskEntry> entries;
    DeskEntry entry;
    entry.student_id = student_id;
    entry.kind = *kind;
    entry.day = *day;
    if (*kind == Kind::Absence && form.part != "heures") {
        if (form.part != "matin" && form.part != "apres-midi" && form.part != "journee")
            return render_entry(context, form, "Choisissez la matinée, l'après-midi, la journée ou des horaires.");
        if (form.part != "apres-midi") {
            entry.start_minute = MORNING_START;
            entry.end_minute = AFTERNOON_FROM_MINUTE;
            entries.push_back(entry);
        }
        if (form.part != "matin") {
            entry.start_minute = AFTERNOON_FROM_MINUTE;
            entry.end_minute = AFTERNOON_END;
            entries.push_back(entry);
        }
    } else {
        auto const start = school_time::parse_clock(form.start);
        auto end = school_time::parse_clock(form.end);
        if (*kind == Kind::Lateness && start && !end)
            end = start;
        if (!start || !end || *end < *start || *end > school_time::MINUTES_PER_DAY)
            return render_entry(context, form, "Indiquez les horaires (début et fin, par exemple 08:00 et 10:00).");
        entry.start_minute = *start;
        entry.end_minute = *end;
        if (*kind == Kind::Lateness) {
            auto const minutes = number_in(form.minutes, 1, 240);
            if (!minutes)
                return render_entry(context, form, "Indiquez les minutes de retard (de 1 à 240).");
            entry.minutes = *minutes;
        }
        entries.push_back(entry);
    }
    Notified notified;
    auto const public_url = context.public_url();
    TRY(context.database().write([&](soci::session& session) -> ErrorOr<void> {
        std::vector<long long> ids;
        ids.reserve(entries.size());
        for (auto const& each : entries)
            ids.push_back(record_desk_event(session, person.structure_id, each, person.id, context.now));
        after_recording(session, ids, public_url, context.now, notified);
        return {};
    }));
    notifications::published(context.services, notified.people, notified.outbox_rows);
    return http::Response::redirect(std::string(DESK_PATH) + "?fait=absence");
}

// --- An event and its decision -------------------------------------------------

struct Found {
    Event event;
    Rights rights;
};

// The event of the path, if the person sees its student; NotFound otherwise.
ErrorOr<Found> visible_event(Context& context)
{
    auto const event_id = parse_id(context.request.parameter("id"));
    auto const& person = context.user();
    auto found = TRY(context.database().read([&](soci::session& session) -> ErrorOr<std::optional<Found>> {
        auto event = find_event(session, event_id);
        if (!event)
            return std::optional<Found>();
        auto rights = rights_toward(session, person, event->student_id);
        return std::optional<Found>(Found { std::move(*event), rights });
    }));
    if (!found || !found->rights.sees || found->event.structure_id != person.structure_id)
        return Error::not_found(NO_EVENT, "event not visible");
    return std::move(*found);
}

ErrorOr<http::Response> render_event(
    Context& context, Found const& found, std::string const& error = {}, std::string const* typed_comment = nullptr)
{
    auto const& event = found.event;
    auto motives = TRY(context.database().read([&](soci::session& session) -> ErrorOr<std::vector<Motive>> {
        return motives_of(session, event.structure_id);
    }));
    auto data = event_item(event);
    data.set("decides", found.rights.decides);
    data.set("error", error);
    data.set("action", event_path(event.id));
    data.set("justified_by_family", event.justified_by_family);
    data.set("typed_comment", typed_comment != nullptr ? *typed_comment : event.comment);
    view::List states;
    for (auto const state : { State::Unjustified, State::Pending, State::Justified, State::NotValid }) {
        view::Data option;
        option.set("value", std::string(state_store(state)));
        option.set("label", std::string(state_label(state)));
        option.set("selected", state == event.state);
        states.push_back(std::move(option));
    }
    data.set("states", std::move(states));
    view::List options;
    for (auto const& motive : motives) {
        view::Data option;
        option.set("id", std::to_string(motive.id));
        option.set("label", motive.label);
        option.set("selected", motive.id == event.motive_id);
        options.push_back(std::move(option));
    }
    data.set("motives", std::move(options));
    if (context.request.query.get("fait") == "enregistre")
        data.set("notice", "La décision est enregistrée.");
    return view::render(context, "attendance/desk_event", std::move(data),
        std::string(kind_label(event.kind)) + " – " + event.student_name, view::MenuEntry::Attendance,
        error.empty() ? 200 : 400);
}

// GET /vie-scolaire/evenements/{id}
ErrorOr<http::Response> show_event(Context& context)
{
    auto found = TRY(visible_event(context));
    return render_event(context, found);
}

// POST /vie-scolaire/evenements/{id}: state, motive, comment.
ErrorOr<http::Response> decide(Context& context)
{
    auto found = TRY(visible_event(context));
    if (!found.rights.decides)
        return Error::forbidden("Seule la vie scolaire décide de l'état d'une absence.", "does not decide");
    auto const& fields = context.request.form;
    auto const comment = std::string(trim_text(fields.get("commentaire")));
    auto const stored_state = std::string(trim_text(fields.get("etat")));
    bool known_state = false;
    for (auto const state : { State::Unjustified, State::Pending, State::Justified, State::NotValid })
        known_state = known_state || state_store(state) == stored_state;
    if (!known_state)
        return render_event(context, found, "Choisissez l'état de l'absence.", &comment);
    if (auto refusal = text_refusal(comment, COMMENT_MAX, "Le commentaire"))
        return render_event(context, found, *refusal, &comment);
    auto const motive_text = std::string(trim_text(fields.get("motif")));
    auto const motive_id = parse_id(motive_text);
    if (!motive_text.empty() && motive_id == 0)
        return render_event(context, found, "Choisissez un motif de la liste.", &comment);
    auto const& person = context.user();
    TRY(context.database().write([&](soci::session& session) -> ErrorOr<void> {
        if (motive_id != 0 && !find_motive(session, found.event.structure_id, motive_id))
            return Error::invalid("Choisissez un motif de la liste.", "unknown motive");
        decide_event(
            session, found.event.id, state_from_store(stored_state), motive_id, comment, person.id, context.now);
        return {};
    }));
    return http::Response::redirect(event_path(found.event.id) + "?fait=enregistre");
}

// --- A student's file ---------------------------------------------------------

// GET /vie-scolaire/eleves/{id}: for the staff and teachers who follow the student.
ErrorOr<http::Response> show_student(Context& context)
{
    auto const student_id = parse_id(context.request.parameter("id"));
    auto const& person = context.user();
    auto const today = today_of(context);
    bool const staff_side = person.profile == access::Profile::Teacher || person.profile == access::Profile::Staff
        || person.profile == access::Profile::Admin;
    struct Content {
        identity::User student;
        std::string class_name;
        Rights rights;
        std::vector<std::pair<school::Period, Counts>> periods;
        std::vector<Event> events;
        std::vector<GivenPunishment> punishments;
    };
    auto content = TRY(context.database().read([&](soci::session& session) -> ErrorOr<std::optional<Content>> {
        auto rights = rights_toward(session, person, student_id);
        auto student = identity::store::find_user(session, student_id);
        if (!staff_side || !rights.sees || !student)
            return std::optional<Content>();
        Content result;
        result.student = std::move(*student);
        result.rights = rights;
        for (auto const& group : identity::store::classes_of(session, result.student))
            if (group.kind == "class")
                result.class_name = group.name;
        for (auto const& period : school::periods_of(session, person.structure_id, today))
            result.periods.emplace_back(period, counts_of(session, student_id, period.first_day, period.last_day));
        auto const first = school::school_year_first_day(today);
        result.events = events_of_student(session, student_id, first, first + 366);
        result.punishments = punishments_of_student(session, student_id);
        return std::optional<Content>(std::move(result));
    }));
    if (!content)
        return Error::not_found(NO_STUDENT, "student not followed");
    view::Data data;
    data.set("name", content->student.display_name());
    data.set("class_name", content->class_name);
    data.set("punishes", content->rights.punishes);
    data.set("punish_url", "/vie-scolaire/punitions/nouvelle?eleve=" + std::to_string(student_id));
    view::List periods;
    for (auto const& [period, counts] : content->periods) {
        view::Data item;
        item.set("label", period.label);
        item.set(
            "dates", "du " + school_time::long_day(period.first_day) + " au " + school_time::long_day(period.last_day));
        item.set("half_days", std::to_string(counts.half_days));
        item.set("unjustified", std::to_string(counts.unjustified_half_days));
        item.set("lateness", std::to_string(counts.lateness));
        item.set("current", period.first_day <= today && today <= period.last_day);
        periods.push_back(std::move(item));
    }
    data.set("periods", std::move(periods));
    view::List events;
    for (auto const& event : content->events) {
        auto item = event_item(event);
        item.set("decides", content->rights.decides);
        events.push_back(std::move(item));
    }
    data.set("has_events", !events.empty());
    data.set("events", std::move(events));
    view::List punishments;
    for (auto const& punishment : content->punishments) {
        view::Data item;
        item.set("kind", std::string(punishment_label(punishment.kind)));
        item.set("day", day_title(punishment.day));
        item.set("when",
            punishment.kind == Punishment::Detention && punishment.duration_minutes > 0
                ? ", " + school_time::clock(punishment.start_minute) + " ("
                    + std::to_string(punishment.duration_minutes) + " min)"
                : std::string());
        item.set("reason", punishment.reason);
        item.set("given_by", punishment.given_by);
        punishments.push_back(std::move(item));
    }
    data.set("has_punishments", !punishments.empty());
    data.set("punishments", std::move(punishments));
    if (context.request.query.get("fait") == "punition")
        data.set("notice", "La punition est enregistrée.");
    return view::render(context, "attendance/desk_student", std::move(data),
        "Vie scolaire – " + content->student.display_name(), view::MenuEntry::Attendance);
}

} // namespace

std::vector<http::Route> desk_routes()
{
    using http::Method;
    auto routes = discipline_routes();
    routes.push_back({ Method::Get, DESK_PATH, DESK, show_desk });
    routes.push_back({ Method::Get, "/vie-scolaire/bureau/absences", DESK, show_entry });
    routes.push_back({ Method::Post, "/vie-scolaire/bureau/absences", DESK, record_entry });
    routes.push_back({ Method::Get, "/vie-scolaire/evenements/{id}", DESK, show_event });
    routes.push_back({ Method::Post, "/vie-scolaire/evenements/{id}", DESK, decide });
    routes.push_back({ Method::Get, "/vie-scolaire/eleves/{id}", READ, show_student });
    return routes;
}

} // namespace cartable::attendance

// SPDX-License-Identifier: AGPL-3.0-or-later
// Calls and the events they record, the desk's reads, incidents,
// punishments, motives and thresholds.
#include "services/attendance/attendance_store.h"
#include "core/db/row.h"
#include "core/school_time.h"
#include <algorithm>
#include <set>

namespace cartable::attendance {

using db::integer_at;

namespace {

// « Louis CHAMSON »: two columns of a row joined by a space.
std::string name_at(soci::row const& row, std::size_t first, std::size_t second)
{
    auto name = row.get<std::string>(first);
    name.append(" ").append(row.get<std::string>(second));
    return name;
}

} // namespace

std::string_view kind_store(Kind kind)
{
    switch (kind) {
    case Kind::Lateness:
        return "retard";
    case Kind::Departure:
        return "depart";
    case Kind::Absence:
        break;
    }
    return "absence";
}

std::string_view kind_label(Kind kind)
{
    switch (kind) {
    case Kind::Lateness:
        return "Retard";
    case Kind::Departure:
        return "Départ anticipé";
    case Kind::Absence:
        break;
    }
    return "Absence";
}

std::optional<Kind> kind_from_store(std::string_view stored)
{
    for (auto const kind : { Kind::Absence, Kind::Lateness, Kind::Departure })
        if (kind_store(kind) == stored)
            return kind;
    return std::nullopt;
}

namespace {

constexpr char const* CALL_COLUMNS = "SELECT id, slot_id, slot_day, COALESCE(teacher_id, 0), day, done_at, "
                                     "COALESCE(done_by, 0), updated_at, COALESCE(updated_by, 0) FROM attendance_call ";

Call call_of(soci::row const& row)
{
    Call call;
    call.id = integer_at(row, 0);
    call.slot_id = integer_at(row, 1);
    call.slot_day = integer_at(row, 2);
    call.teacher_id = integer_at(row, 3);
    call.day = integer_at(row, 4);
    call.done_at = integer_at(row, 5);
    call.done_by = integer_at(row, 6);
    call.updated_at = integer_at(row, 7);
    call.updated_by = integer_at(row, 8);
    return call;
}

// The student's class (not a group) by a subquery: one row per event.
constexpr char const* EVENT_COLUMNS
    = "SELECT e.id, e.structure_id, e.student_id, u.first_name, u.last_name, COALESCE((SELECT MIN(c.name) FROM "
      "identity_class_member m JOIN identity_class c ON c.id = m.class_id WHERE m.user_id = e.student_id AND c.kind = "
      "'class'), ''), COALESCE(e.call_id, 0), e.kind, e.day, e.start_minute, e.end_minute, e.minutes, e.state, "
      "COALESCE(e.motive_id, 0), COALESCE(mo.label, ''), e.comment, (SELECT COUNT(*) FROM attendance_justified j "
      "WHERE j.event_id = e.id) FROM attendance_event e JOIN identity_user u ON u.id = e.student_id LEFT JOIN "
      "attendance_motive mo ON mo.id = e.motive_id ";

Event event_of(soci::row const& row)
{
    Event event;
    event.id = integer_at(row, 0);
    event.structure_id = integer_at(row, 1);
    event.student_id = integer_at(row, 2);
    event.student_name = name_at(row, 3, 4);
    event.class_name = row.get<std::string>(5);
    event.call_id = integer_at(row, 6);
    event.kind = kind_from_store(row.get<std::string>(7)).value_or(Kind::Absence);
    event.day = integer_at(row, 8);
    event.start_minute = integer_at(row, 9);
    event.end_minute = integer_at(row, 10);
    event.minutes = integer_at(row, 11);
    event.state = state_from_store(row.get<std::string>(12));
    event.motive_id = integer_at(row, 13);
    event.motive_label = row.get<std::string>(14);
    event.comment = row.get<std::string>(15);
    event.justified_by_family = integer_at(row, 16) > 0;
    return event;
}

template<typename... Values>
std::vector<Event> events_where(soci::session& session, std::string const& condition, Values const&... values)
{
    std::vector<Event> events;
    auto const sql = std::string(EVENT_COLUMNS) + condition;
    soci::rowset<soci::row> rows = ((session.prepare << sql), ..., soci::use(values));
    for (auto const& row : rows)
        events.push_back(event_of(row));
    return events;
}

} // namespace

std::optional<Call> find_call(soci::session& session, long long slot_id, long long slot_day)
{
    soci::rowset<soci::row> rows
        = (session.prepare << std::string(CALL_COLUMNS) + "WHERE slot_id = :slot AND slot_day = :day",
            soci::use(slot_id), soci::use(slot_day));
    for (auto const& row : rows)
        return call_of(row);
    return std::nullopt;
}

std::map<std::pair<long long, long long>, Call> calls_between(
    soci::session& session, long long structure_id, long long first_day, long long last_day)
{
    std::map<std::pair<long long, long long>, Call> calls;
    soci::rowset<soci::row> rows = (session.prepare
            << std::string(CALL_COLUMNS) + "WHERE structure_id = :structure AND day >= :first AND day <= :last",
        soci::use(structure_id), soci::use(first_day), soci::use(last_day));
    for (auto const& row : rows) {
        auto call = call_of(row);
        calls[{ call.slot_id, call.slot_day }] = call;
    }
    return calls;
}

std::optional<Event> find_event(soci::session& session, long long event_id)
{
    auto events = events_where(session, "WHERE e.id = :id", event_id);
    if (events.empty())
        return std::nullopt;
    return std::move(events.front());
}

std::vector<Event> events_of_call(soci::session& session, long long call_id)
{
    return events_where(session, "WHERE e.call_id = :call ORDER BY u.last_name, u.first_name, e.id", call_id);
}

std::vector<Event> events_of_day(soci::session& session, long long structure_id, long long day)
{
    auto events = events_where(session, "WHERE e.structure_id = :structure AND e.day = :day", structure_id, day);
    std::sort(events.begin(), events.end(), [](Event const& a, Event const& b) {
        return std::tie(a.class_name, a.student_name, a.start_minute, a.id)
            < std::tie(b.class_name, b.student_name, b.start_minute, b.id);
    });
    return events;
}

std::vector<Event> events_of_student(
    soci::session& session, long long student_id, long long first_day, long long last_day)
{
    return events_where(session,
        "WHERE e.student_id = :student AND e.day >= :first AND e.day <= :last ORDER BY e.day DESC, e.start_minute DESC",
        student_id, first_day, last_day);
}

std::vector<identity::User> students_of_class(soci::session& session, long long class_id)
{
    std::vector<identity::User> students;
    soci::rowset<soci::row> rows
        = (session.prepare << "SELECT u.id, u.first_name, u.last_name, u.structure_id FROM identity_class_member m "
                              "JOIN identity_user u ON u.id = m.user_id WHERE m.class_id = :class AND u.profile = "
                              "'student' AND u.active = 1 ORDER BY u.last_name, u.first_name, u.id",
            soci::use(class_id));
    for (auto const& row : rows) {
        identity::User student;
        student.id = integer_at(row, 0);
        student.first_name = row.get<std::string>(1);
        student.last_name = row.get<std::string>(2);
        student.structure_id = integer_at(row, 3);
        students.push_back(std::move(student));
    }
    return students;
}

ErrorOr<std::vector<long long>> record_call(soci::session& session, timetable::Lesson const& lesson,
    std::vector<Mark> const& marks, long long person_id, long long now, JustifiedAbsences justified)
{
    auto call = find_call(session, lesson.slot_id, lesson.slot_day);
    long long call_id = 0;
    if (call) {
        call_id = call->id;
    } else {
        long long teacher = lesson.teacher_id;
        soci::indicator teacher_indicator = teacher == 0 ? soci::i_null : soci::i_ok;
        session << "INSERT INTO attendance_call (structure_id, slot_id, slot_day, class_id, subject_id, teacher_id, "
                   "day, start_minute, end_minute) VALUES (:structure, :slot, :slot_day, :class, :subject, :teacher, "
                   ":day, :start, :end) RETURNING id",
            soci::use(lesson.structure_id), soci::use(lesson.slot_id), soci::use(lesson.slot_day),
            soci::use(lesson.class_id), soci::use(lesson.subject_id), soci::use(teacher, teacher_indicator),
            soci::use(lesson.day), soci::use(lesson.start_minute), soci::use(lesson.end_minute), soci::into(call_id);
    }
    std::map<long long, Event> existing;
    if (call_id != 0)
        for (auto& event : events_of_call(session, call_id))
            existing[event.student_id] = std::move(event);
    std::map<long long, Mark> wanted;
    for (auto const& mark : marks)
        wanted[mark.student_id] = mark;
    // First the refusals, before anything changes.
    for (auto const& [student, event] : existing) {
        auto const found = wanted.find(student);
        bool const goes = found == wanted.end() || found->second.kind != event.kind;
        bool const justified_absence = event.kind == Kind::Absence
            && (event.justified_by_family || event.state == State::Justified || event.state == State::Pending);
        if (goes && justified_absence && justified == JustifiedAbsences::Keep)
            return Error::conflict("L'absence de " + event.student_name
                    + " est déjà justifiée par sa famille : seule la vie scolaire peut la retirer.",
                "justified absence kept");
    }
    std::vector<long long> changed;
    for (auto const& [student, event] : existing) {
        auto const found = wanted.find(student);
        if (found == wanted.end() || found->second.kind != event.kind) {
            session << "DELETE FROM attendance_event WHERE id = :id", soci::use(event.id);
            continue;
        }
        if (found->second.minutes != event.minutes) {
            session << "UPDATE attendance_event SET minutes = :minutes WHERE id = :id",
                soci::use(found->second.minutes), soci::use(event.id);
            changed.push_back(event.id);
        }
    }
    for (auto const& [student, mark] : wanted) {
        auto const found = existing.find(student);
        if (found != existing.end() && found->second.kind == mark.kind)
            continue;
        long long id = 0;
        std::string const kind(kind_store(mark.kind));
        session << "INSERT INTO attendance_event (structure_id, student_id, call_id, kind, day, start_minute, "
                   "end_minute, minutes, recorded_by, recorded_at) VALUES (:structure, :student, :call, :kind, :day, "
                   ":start, :end, :minutes, :by, :now) RETURNING id",
            soci::use(lesson.structure_id), soci::use(student), soci::use(call_id), soci::use(kind),
            soci::use(lesson.day), soci::use(lesson.start_minute), soci::use(lesson.end_minute),
            soci::use(mark.minutes), soci::use(person_id), soci::use(now), soci::into(id);
        changed.push_back(id);
    }
    if (call && call->done_at != 0)
        session << "UPDATE attendance_call SET updated_at = :now, updated_by = :by WHERE id = :id", soci::use(now),
            soci::use(person_id), soci::use(call_id);
    else
        session << "UPDATE attendance_call SET done_at = :now, done_by = :by WHERE id = :id", soci::use(now),
            soci::use(person_id), soci::use(call_id);
    return changed;
}

std::vector<timetable::Lesson> lessons_of_structure(soci::session& session, long long structure_id, long long day)
{
    std::vector<long long> classes;
    long long id = 0;
    soci::statement statement = (session.prepare << "SELECT id FROM identity_class WHERE structure_id = :structure",
        soci::use(structure_id), soci::into(id));
    statement.execute();
    while (statement.fetch())
        classes.push_back(id);
    return timetable::lessons_of_classes(session, classes, day, day + 1);
}

std::vector<timetable::Lesson> calls_not_done(
    soci::session& session, long long structure_id, std::vector<timetable::Lesson> lessons, long long now)
{
    auto const today = school_time::day_of_unix(now);
    auto const minute = school_time::local_from_unix(now) - today * school_time::MINUTES_PER_DAY;
    auto const calls = calls_between(session, structure_id, today, today);
    std::erase_if(lessons, [&](timetable::Lesson const& lesson) {
        if (lesson.status == timetable::LessonStatus::Cancelled || lesson.day != today)
            return true;
        if (minute - lesson.start_minute <= MISSING_CALL_AFTER_MINUTES)
            return true;
        auto const found = calls.find({ lesson.slot_id, lesson.slot_day });
        return found != calls.end() && found->second.done_at != 0;
    });
    return lessons;
}

std::vector<timetable::Lesson> calls_not_done(soci::session& session, long long structure_id, long long now)
{
    auto const today = school_time::day_of_unix(now);
    return calls_not_done(session, structure_id, lessons_of_structure(session, structure_id, today), now);
}

long long record_desk_event(
    soci::session& session, long long structure_id, DeskEntry const& entry, long long person_id, long long now)
{
    long long id = 0;
    std::string const kind(kind_store(entry.kind));
    session << "INSERT INTO attendance_event (structure_id, student_id, kind, day, start_minute, end_minute, minutes, "
               "recorded_by, recorded_at) VALUES (:structure, :student, :kind, :day, :start, :end, :minutes, :by, "
               ":now) RETURNING id",
        soci::use(structure_id), soci::use(entry.student_id), soci::use(kind), soci::use(entry.day),
        soci::use(entry.start_minute), soci::use(entry.end_minute), soci::use(entry.minutes), soci::use(person_id),
        soci::use(now), soci::into(id);
    return id;
}

void decide_event(soci::session& session, long long event_id, State state, long long motive_id,
    std::string const& comment, long long person_id, long long now)
{
    std::string const stored(state_store(state));
    soci::indicator motive_indicator = motive_id == 0 ? soci::i_null : soci::i_ok;
    session << "UPDATE attendance_event SET state = :state, motive_id = :motive, comment = :comment, decided_by = "
               ":by, decided_at = :now WHERE id = :id",
        soci::use(stored), soci::use(motive_id, motive_indicator), soci::use(comment), soci::use(person_id),
        soci::use(now), soci::use(event_id);
}

std::vector<OverThreshold> over_thresholds(
    soci::session& session, long long structure_id, long long first_day, long long last_day, Settings const& settings)
{
    std::vector<OverThreshold> found;
    // A half-day is day * 2 (+ 1 for the afternoon): counted once however
    // many absences it holds.
    soci::rowset<soci::row> rows = (session.prepare
            << "SELECT e.student_id, COUNT(DISTINCT CASE WHEN e.kind = 'absence' THEN e.day * 2 + CASE WHEN "
               "e.start_minute >= :afternoon THEN 1 ELSE 0 END END), SUM(CASE WHEN e.kind = 'retard' THEN 1 ELSE 0 "
               "END) FROM attendance_event e WHERE e.structure_id = :structure AND e.day >= :first AND e.day <= "
               ":last GROUP BY e.student_id",
        soci::use(AFTERNOON_FROM_MINUTE), soci::use(structure_id), soci::use(first_day), soci::use(last_day));
    std::vector<long long> ids;
    for (auto const& row : rows) {
        OverThreshold over;
        over.student_id = integer_at(row, 0);
        over.half_days = integer_at(row, 1);
        over.lateness = integer_at(row, 2);
        if (over.half_days >= settings.alert_half_days || over.lateness >= settings.alert_lateness) {
            ids.push_back(over.student_id);
            found.push_back(std::move(over));
        }
    }
    for (auto& over : found) {
        soci::rowset<soci::row> names = (session.prepare
                << "SELECT u.first_name, u.last_name, COALESCE((SELECT MIN(c.name) FROM identity_class_member m JOIN "
                   "identity_class c ON c.id = m.class_id WHERE m.user_id = u.id AND c.kind = 'class'), '') FROM "
                   "identity_user u WHERE u.id = :id",
            soci::use(over.student_id));
        for (auto const& row : names) {
            over.student_name = name_at(row, 0, 1);
            over.class_name = row.get<std::string>(2);
        }
    }
    std::sort(found.begin(), found.end(), [](OverThreshold const& a, OverThreshold const& b) {
        return std::tie(a.class_name, a.student_name) < std::tie(b.class_name, b.student_name);
    });
    return found;
}

// --- Incidents ---------------------------------------------------------------

long long add_incident(
    soci::session& session, long long structure_id, Incident const& incident, long long person_id, long long now)
{
    long long id = 0;
    session << "INSERT INTO attendance_incident (structure_id, day, minute, place, description, reported_by, "
               "created_at) VALUES (:structure, :day, :minute, :place, :description, :by, :now) RETURNING id",
        soci::use(structure_id), soci::use(incident.day), soci::use(incident.minute), soci::use(incident.place),
        soci::use(incident.description), soci::use(person_id), soci::use(now), soci::into(id);
    for (auto const& [student, name] : incident.students)
        session << "INSERT INTO attendance_incident_student (incident_id, student_id) VALUES (:incident, :student)",
            soci::use(id), soci::use(student);
    return id;
}

namespace {

template<typename... Values>
std::vector<Incident> incidents_where(soci::session& session, std::string const& condition, Values const&... values)
{
    std::vector<Incident> incidents;
    std::map<long long, std::size_t> index;
    auto const sql = "SELECT i.id, i.day, i.minute, i.place, i.description, COALESCE(r.first_name, ''), "
                     "COALESCE(r.last_name, ''), COALESCE(i.reported_by, 0) FROM attendance_incident i LEFT JOIN "
                     "identity_user r ON r.id = "
                     "i.reported_by "
        + condition + " ORDER BY i.day DESC, i.minute DESC, i.id DESC";
    soci::rowset<soci::row> rows = ((session.prepare << sql), ..., soci::use(values));
    for (auto const& row : rows) {
        Incident incident;
        incident.id = integer_at(row, 0);
        incident.day = integer_at(row, 1);
        incident.minute = integer_at(row, 2);
        incident.place = row.get<std::string>(3);
        incident.description = row.get<std::string>(4);
        incident.reported_by = name_at(row, 5, 6);
        incident.reported_by_id = integer_at(row, 7);
        index[incident.id] = incidents.size();
        incidents.push_back(std::move(incident));
    }
    for (auto& incident : incidents) {
        soci::rowset<soci::row> students
            = (session.prepare << "SELECT u.id, u.first_name, u.last_name FROM attendance_incident_student s JOIN "
                                  "identity_user u ON u.id = s.student_id WHERE s.incident_id = :incident ORDER BY "
                                  "u.last_name, u.first_name",
                soci::use(incident.id));
        for (auto const& row : students)
            incident.students.emplace_back(integer_at(row, 0), name_at(row, 1, 2));
    }
    return incidents;
}

} // namespace

std::vector<Incident> incidents_between(
    soci::session& session, long long structure_id, long long first_day, long long last_day, long long reporter_id)
{
    if (reporter_id != 0)
        return incidents_where(session,
            "WHERE i.structure_id = :structure AND i.day >= :first AND i.day <= :last AND i.reported_by = :reporter",
            structure_id, first_day, last_day, reporter_id);
    return incidents_where(session, "WHERE i.structure_id = :structure AND i.day >= :first AND i.day <= :last",
        structure_id, first_day, last_day);
}

std::optional<Incident> find_incident(soci::session& session, long long incident_id)
{
    auto found = incidents_where(session, "WHERE i.id = :id", incident_id);
    if (found.empty())
        return std::nullopt;
    return std::move(found.front());
}

// --- Punishments -------------------------------------------------------------

std::string_view punishment_store(Punishment kind)
{
    switch (kind) {
    case Punishment::ExtraWork:
        return "devoir_supplementaire";
    case Punishment::Exclusion:
        return "exclusion_cours";
    case Punishment::Detention:
        break;
    }
    return "retenue";
}

std::string_view punishment_label(Punishment kind)
{
    switch (kind) {
    case Punishment::ExtraWork:
        return "Devoir supplémentaire";
    case Punishment::Exclusion:
        return "Exclusion de cours";
    case Punishment::Detention:
        break;
    }
    return "Retenue";
}

std::optional<Punishment> punishment_from_store(std::string_view stored)
{
    for (auto const kind : { Punishment::Detention, Punishment::ExtraWork, Punishment::Exclusion })
        if (punishment_store(kind) == stored)
            return kind;
    return std::nullopt;
}

long long add_punishment(soci::session& session, long long structure_id, GivenPunishment const& punishment,
    long long person_id, long long now)
{
    long long id = 0;
    std::string const kind(punishment_store(punishment.kind));
    long long incident = punishment.incident_id;
    soci::indicator incident_indicator = incident == 0 ? soci::i_null : soci::i_ok;
    session << "INSERT INTO attendance_punishment (structure_id, student_id, incident_id, kind, reason, day, "
               "start_minute, duration_minutes, given_by, created_at) VALUES (:structure, :student, :incident, "
               ":kind, :reason, :day, :start, :duration, :by, :now) RETURNING id",
        soci::use(structure_id), soci::use(punishment.student_id), soci::use(incident, incident_indicator),
        soci::use(kind), soci::use(punishment.reason), soci::use(punishment.day), soci::use(punishment.start_minute),
        soci::use(punishment.duration_minutes), soci::use(person_id), soci::use(now), soci::into(id);
    return id;
}

namespace {

template<typename... Values>
std::vector<GivenPunishment> punishments_where(
    soci::session& session, std::string const& condition, Values const&... values)
{
    std::vector<GivenPunishment> punishments;
    auto const sql
        = "SELECT p.id, p.student_id, u.first_name, u.last_name, p.kind, p.reason, p.day, p.start_minute, "
          "p.duration_minutes, COALESCE(p.incident_id, 0), COALESCE(g.first_name, ''), COALESCE(g.last_name, '') FROM "
          "attendance_punishment p JOIN identity_user u ON u.id = p.student_id LEFT JOIN identity_user g ON g.id = "
          "p.given_by "
        + condition + " ORDER BY p.day DESC, p.id DESC";
    soci::rowset<soci::row> rows = ((session.prepare << sql), ..., soci::use(values));
    for (auto const& row : rows) {
        GivenPunishment punishment;
        punishment.id = integer_at(row, 0);
        punishment.student_id = integer_at(row, 1);
        punishment.student_name = name_at(row, 2, 3);
        punishment.kind = punishment_from_store(row.get<std::string>(4)).value_or(Punishment::Detention);
        punishment.reason = row.get<std::string>(5);
        punishment.day = integer_at(row, 6);
        punishment.start_minute = integer_at(row, 7);
        punishment.duration_minutes = integer_at(row, 8);
        punishment.incident_id = integer_at(row, 9);
        punishment.given_by = name_at(row, 10, 11);
        punishments.push_back(std::move(punishment));
    }
    return punishments;
}

} // namespace

std::vector<GivenPunishment> punishments_of_student(soci::session& session, long long student_id)
{
    return punishments_where(session, "WHERE p.student_id = :student", student_id);
}

std::vector<GivenPunishment> punishments_between(
    soci::session& session, long long structure_id, long long first_day, long long last_day)
{
    return punishments_where(session, "WHERE p.structure_id = :structure AND p.day >= :first AND p.day <= :last",
        structure_id, first_day, last_day);
}

// --- Motives and thresholds ----------------------------------------------------

std::vector<StoredMotive> all_motives(soci::session& session, long long structure_id)
{
    motives_of(session, structure_id); // the defaults, the first time
    std::vector<StoredMotive> motives;
    soci::rowset<soci::row> rows
        = (session.prepare << "SELECT id, label, for_guardians, accepted, position, active FROM attendance_motive "
                              "WHERE structure_id = :structure ORDER BY active DESC, position, id",
            soci::use(structure_id));
    for (auto const& row : rows) {
        StoredMotive stored;
        stored.motive.id = integer_at(row, 0);
        stored.motive.label = row.get<std::string>(1);
        stored.motive.for_guardians = integer_at(row, 2) != 0;
        stored.motive.accepted = integer_at(row, 3) != 0;
        stored.position = integer_at(row, 4);
        stored.active = integer_at(row, 5) != 0;
        motives.push_back(std::move(stored));
    }
    return motives;
}

namespace {

bool label_taken(soci::session& session, long long structure_id, std::string const& label, long long except_id)
{
    long long count = 0;
    session << "SELECT COUNT(*) FROM attendance_motive WHERE structure_id = :structure AND label = :label AND id <> "
               ":id",
        soci::use(structure_id), soci::use(label), soci::use(except_id), soci::into(count);
    return count > 0;
}

} // namespace

ErrorOr<void> save_motive(soci::session& session, long long structure_id, StoredMotive const& stored)
{
    if (label_taken(session, structure_id, stored.motive.label, stored.motive.id))
        return Error::conflict("Un autre motif s'appelle déjà « " + stored.motive.label + " ».", "motive label taken");
    long long const guardians = stored.motive.for_guardians ? 1 : 0;
    long long const accepted = stored.motive.accepted ? 1 : 0;
    long long const active = stored.active ? 1 : 0;
    session << "UPDATE attendance_motive SET label = :label, for_guardians = :guardians, accepted = :accepted, "
               "position = :position, active = :active WHERE id = :id AND structure_id = :structure",
        soci::use(stored.motive.label), soci::use(guardians), soci::use(accepted), soci::use(stored.position),
        soci::use(active), soci::use(stored.motive.id), soci::use(structure_id);
    return {};
}

ErrorOr<long long> add_motive(soci::session& session, long long structure_id, StoredMotive const& stored)
{
    if (label_taken(session, structure_id, stored.motive.label, 0))
        return Error::conflict("Un motif s'appelle déjà « " + stored.motive.label + " ».", "motive label taken");
    long long const guardians = stored.motive.for_guardians ? 1 : 0;
    long long const accepted = stored.motive.accepted ? 1 : 0;
    long long id = 0;
    session << "INSERT INTO attendance_motive (structure_id, label, for_guardians, accepted, position) VALUES "
               "(:structure, :label, :guardians, :accepted, :position) RETURNING id",
        soci::use(structure_id), soci::use(stored.motive.label), soci::use(guardians), soci::use(accepted),
        soci::use(stored.position), soci::into(id);
    return id;
}

void save_settings(soci::session& session, long long structure_id, Settings const& settings)
{
    session << "INSERT INTO attendance_setting (structure_id, alert_half_days, alert_lateness) VALUES (:structure, "
               ":half_days, :lateness) ON CONFLICT (structure_id) DO UPDATE SET alert_half_days = "
               "excluded.alert_half_days, alert_lateness = excluded.alert_lateness",
        soci::use(structure_id), soci::use(settings.alert_half_days), soci::use(settings.alert_lateness);
}

std::vector<StudentEntry> students_of_structure(soci::session& session, long long structure_id)
{
    std::vector<StudentEntry> students;
    soci::rowset<soci::row> rows = (session.prepare
            << "SELECT u.id, u.last_name, u.first_name, COALESCE((SELECT MIN(c.name) FROM identity_class_member m "
               "JOIN identity_class c ON c.id = m.class_id WHERE m.user_id = u.id AND c.kind = 'class'), '') AS "
               "class_name FROM identity_user u WHERE u.structure_id = :structure AND u.profile = 'student' AND "
               "u.active = 1 ORDER BY class_name, u.last_name, u.first_name",
        soci::use(structure_id));
    for (auto const& row : rows)
        students.push_back({ integer_at(row, 0), name_at(row, 1, 2), row.get<std::string>(3) });
    return students;
}

std::vector<StudentEntry> students_taught_by(soci::session& session, long long teacher_id)
{
    std::vector<StudentEntry> students;
    soci::rowset<soci::row> rows = (session.prepare
            << "SELECT u.id, u.last_name, u.first_name, COALESCE((SELECT MIN(c.name) FROM identity_class_member m "
               "JOIN identity_class c ON c.id = m.class_id WHERE m.user_id = u.id AND c.kind = 'class'), '') AS "
               "class_name FROM identity_user u WHERE u.profile = 'student' AND u.active = 1 AND u.id IN (SELECT "
               "m.user_id FROM identity_teaching t JOIN identity_class_member m ON m.class_id = t.class_id WHERE "
               "t.teacher_id = :teacher) ORDER BY class_name, u.last_name, u.first_name",
        soci::use(teacher_id));
    for (auto const& row : rows)
        students.push_back({ integer_at(row, 0), name_at(row, 1, 2), row.get<std::string>(3) });
    return students;
}

} // namespace cartable::attendance

// SPDX-License-Identifier: AGPL-3.0-or-later
// The demo school's vie scolaire: the calls of TPRO and T STMG over the
// last school days, Emma ROUX absent (« Rendez-vous médical », justifiée),
// Lucas MARTIN 8 minutes late, an incident on the stairs and a retenue.
// Never Louis CHAMSON: the guide's scenario marks him absent today.
#include "core/school_time.h"
#include "services/attendance/attendance_store.h"
#include <algorithm>
#include <map>

namespace cartable::attendance {

namespace {

constexpr long long DEMO_DAYS = 4; // calls of the last days with lessons, not more: the demo loads at every start

long long id_of(soci::session& session, std::string const& sql, std::string const& key)
{
    long long id = 0;
    session << sql, soci::use(key), soci::into(id);
    return session.got_data() ? id : 0;
}

long long user_of(soci::session& session, std::string const& login)
{
    return id_of(session, "SELECT id FROM identity_user WHERE login = :login", login);
}

long long at(long long day, long long minute)
{
    return school_time::unix_from_local(day * school_time::MINUTES_PER_DAY + minute);
}

} // namespace

void add_demo_attendance(soci::session& session, long long structure_id, long long now)
{
    auto const motives = motives_of(session, structure_id);
    long long existing = 0;
    session << "SELECT COUNT(*) FROM attendance_call WHERE structure_id = :structure", soci::use(structure_id),
        soci::into(existing);
    if (existing != 0)
        return;
    std::vector<long long> classes;
    std::map<long long, std::string> class_names;
    for (std::string const name : { "TPRO", "T STMG" }) {
        long long id = 0;
        session << "SELECT id FROM identity_class WHERE structure_id = :structure AND name = :name AND kind = 'class'",
            soci::use(structure_id), soci::use(name), soci::into(id);
        if (session.got_data() && id != 0) {
            classes.push_back(id);
            class_names[id] = name;
        }
    }
    auto const emma = user_of(session, "emma.roux");
    auto const lucas = user_of(session, "lucas.martin");
    auto const cpe = user_of(session, "nathalie.vidal");
    auto const hugo = user_of(session, "hugo.fabre");
    auto const today = school_time::day_of_unix(now);
    auto lessons = timetable::lessons_of_classes(session, classes, today - 10, today);
    std::erase_if(lessons, [](timetable::Lesson const& lesson) {
        return lesson.status == timetable::LessonStatus::Cancelled || lesson.teacher_id == 0;
    });
    // The last DEMO_DAYS days that had lessons.
    std::vector<long long> days;
    for (auto each = lessons.rbegin(); each != lessons.rend(); ++each)
        if (days.empty() || (days.back() != each->day && static_cast<long long>(days.size()) < DEMO_DAYS))
            days.push_back(each->day);
    std::erase_if(lessons,
        [&](timetable::Lesson const& lesson) { return std::find(days.begin(), days.end(), lesson.day) == days.end(); });
    bool lucas_late = false;
    for (auto const& lesson : lessons) {
        std::vector<Mark> marks;
        bool const tpro = class_names[lesson.class_id] == "TPRO";
        // Emma at her medical appointment the morning of the earliest day.
        if (tpro && emma != 0 && lesson.day == days.back() && lesson.start_minute < AFTERNOON_FROM_MINUTE)
            marks.push_back({ emma, Kind::Absence, 0 });
        // Lucas late by 8 minutes to the first lesson of the latest day.
        if (tpro && lucas != 0 && !lucas_late && lesson.day == days.front()) {
            marks.push_back({ lucas, Kind::Lateness, 8 });
            lucas_late = true;
        }
        auto const done_at = at(lesson.day, lesson.start_minute + 6);
        auto recorded = record_call(session, lesson, marks, lesson.teacher_id, done_at, JustifiedAbsences::Keep);
        if (recorded.is_error())
            continue;
        for (auto const id : recorded.value()) {
            auto event = find_event(session, id);
            if (!event || event->student_id != emma || cpe == 0)
                continue;
            for (auto const& motive : motives)
                if (motive.label == "Rendez-vous médical")
                    decide_event(session, id, State::Justified, motive.id,
                        "Rendez-vous chez l'orthodontiste au Vigan, mot de la mère reçu.", cpe, done_at + 3600);
        }
    }
    if (hugo == 0 || cpe == 0 || days.empty())
        return;
    // An incident on the stairs of building B, and a retenue for Hugo.
    Incident incident;
    incident.day = days.front();
    incident.minute = 10LL * 60 + 5;
    incident.place = "Escalier du bâtiment B";
    incident.description = "Bousculade à l'interclasse de 10 h : Hugo a poussé un camarade de T STMG, qui est tombé "
                           "sans se blesser. Hugo a reconnu les faits.";
    incident.students.emplace_back(hugo, std::string());
    auto const incident_id = add_incident(session, structure_id, incident, cpe, at(incident.day, 10LL * 60 + 30));
    GivenPunishment retenue;
    retenue.student_id = hugo;
    retenue.kind = Punishment::Detention;
    retenue.reason = "Bousculade dans l'escalier du bâtiment B.";
    retenue.day = today + ((2 - school_time::weekday(today)) + 7) % 7; // the coming Wednesday
    retenue.start_minute = 13LL * 60 + 30;
    retenue.duration_minutes = 120;
    retenue.incident_id = incident_id;
    add_punishment(session, structure_id, retenue, cpe, at(incident.day, 11LL * 60));
}

} // namespace cartable::attendance

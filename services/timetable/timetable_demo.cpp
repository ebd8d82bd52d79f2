// SPDX-License-Identifier: AGPL-3.0-or-later
// The demo school's timetable: a plausible week of TPRO and T STMG, the
// teachers never in two rooms at once, one slot on weeks A only, one on
// weeks B only.
#include "core/school_time.h"
#include "services/timetable/timetable.h"

namespace cartable::timetable {

namespace {

struct DemoSlot {
    char const* class_name;
    int weekday;
    char const* start;
    char const* end;
    char const* subject_code;
    char const* teacher_login;
    char const* room;
    char const* week;
};

constexpr DemoSlot DEMO_SLOTS[] = {
    { "TPRO", 0, "08:00", "10:00", "042400", "samuel.beaumont", "B12", "" },
    { "TPRO", 0, "10:15", "12:15", "061300", "marie.delmas", "A04", "" },
    { "TPRO", 0, "14:00", "16:00", "020100", "julien.favier", "B07", "" },
    { "TPRO", 1, "08:00", "09:00", "061300", "marie.delmas", "A04", "" },
    { "TPRO", 1, "09:00", "11:00", "042400", "samuel.beaumont", "B12", "" },
    { "TPRO", 1, "13:30", "15:30", "020100", "julien.favier", "B07", "" },
    { "TPRO", 2, "08:00", "10:00", "042400", "samuel.beaumont", "B12", "A" },
    { "TPRO", 2, "10:15", "11:15", "061300", "marie.delmas", "A04", "" },
    { "TPRO", 3, "08:00", "10:00", "020100", "julien.favier", "B07", "" },
    { "TPRO", 3, "10:15", "12:15", "042400", "samuel.beaumont", "B12", "" },
    { "TPRO", 3, "14:00", "15:00", "061300", "marie.delmas", "A04", "B" },
    { "TPRO", 4, "08:00", "10:00", "061300", "marie.delmas", "A04", "" },
    { "TPRO", 4, "10:15", "12:15", "042400", "samuel.beaumont", "B12", "" },
    { "TPRO", 4, "14:00", "15:00", "020100", "julien.favier", "B07", "" },
    { "T STMG", 0, "08:00", "10:00", "061300", "marie.delmas", "A05", "" },
    { "T STMG", 0, "10:15", "12:15", "042400", "samuel.beaumont", "B14", "" },
    { "T STMG", 0, "16:00", "17:00", "040600", "julien.favier", "B09", "" },
    { "T STMG", 1, "09:00", "11:00", "061300", "marie.delmas", "A05", "" },
    { "T STMG", 1, "11:00", "12:00", "042400", "samuel.beaumont", "B14", "" },
    { "T STMG", 1, "15:30", "17:30", "040600", "julien.favier", "B09", "" },
    { "T STMG", 2, "08:00", "10:00", "040600", "julien.favier", "B09", "" },
    { "T STMG", 2, "10:15", "12:15", "042400", "samuel.beaumont", "B14", "" },
    { "T STMG", 3, "08:00", "10:00", "042400", "samuel.beaumont", "B14", "" },
    { "T STMG", 3, "10:15", "12:15", "061300", "marie.delmas", "A05", "" },
    { "T STMG", 4, "08:00", "10:00", "042400", "samuel.beaumont", "B14", "" },
    { "T STMG", 4, "10:15", "12:15", "061300", "marie.delmas", "A05", "" },
    { "T STMG", 4, "15:00", "17:00", "040600", "julien.favier", "B09", "" },
};

long long minutes(char const* clock)
{
    long long const hours = (clock[0] - '0') * 10LL + (clock[1] - '0');
    long long const minutes = (clock[3] - '0') * 10LL + (clock[4] - '0');
    return hours * 60 + minutes;
}

// The slot of a class on a day and hour, 0 if none.
long long demo_slot(
    soci::session& session, long long structure_id, std::string const& class_name, long long weekday, long long start)
{
    long long id = 0;
    session << "SELECT s.id FROM timetable_slot s JOIN identity_class c ON c.id = s.class_id WHERE s.structure_id = "
               ":structure AND c.name = :name AND s.weekday = :weekday AND s.start_minute = :start",
        soci::into(id), soci::use(structure_id), soci::use(class_name), soci::use(weekday), soci::use(start);
    return session.got_data() ? id : 0;
}

// Two changes near the demo's today: TPRO's ÉCONOMIE-GESTION of Thursday
// in room B14 instead of B12 in the coming school week, and that of
// Tuesday the week after cancelled (the teacher is in training).
void add_demo_changes(soci::session& session, long long structure_id, long long now)
{
    auto const today = school_time::day_of_unix(now);
    auto monday = today - school_time::weekday(today);
    if (school_time::weekday(today) >= 5)
        monday += 7;
    std::string const tpro = "TPRO";
    if (auto const slot = demo_slot(session, structure_id, tpro, 3, minutes("10:15")); slot != 0) {
        long long const day = monday + 3;
        std::string const room = "B14";
        std::string const note = "Salle B12 réservée pour les épreuves blanches";
        session << "INSERT INTO timetable_change (slot_id, day, new_room, note, created_at) VALUES (:slot, :day, "
                   ":room, :note, :now)",
            soci::use(slot), soci::use(day), soci::use(room), soci::use(note), soci::use(now);
    }
    if (auto const slot = demo_slot(session, structure_id, tpro, 1, minutes("09:00")); slot != 0) {
        long long const day = monday + 8;
        std::string const note = "Professeur en formation";
        session << "INSERT INTO timetable_change (slot_id, day, cancelled, note, created_at) VALUES (:slot, :day, 1, "
                   ":note, :now)",
            soci::use(slot), soci::use(day), soci::use(note), soci::use(now);
    }
}

} // namespace

void add_demo_timetable(soci::session& session, long long structure_id, long long now)
{
    long long existing = 0;
    session << "SELECT COUNT(*) FROM timetable_slot WHERE structure_id = :structure", soci::into(existing),
        soci::use(structure_id);
    if (existing != 0)
        return;
    for (auto const& demo : DEMO_SLOTS) {
        long long class_id = 0;
        long long subject_id = 0;
        long long teacher_id = 0;
        std::string const class_name = demo.class_name;
        std::string const code = demo.subject_code;
        std::string const login = demo.teacher_login;
        session << "SELECT id FROM identity_class WHERE structure_id = :structure AND name = :name",
            soci::into(class_id), soci::use(structure_id), soci::use(class_name);
        session << "SELECT id FROM identity_subject WHERE structure_id = :structure AND code = :code",
            soci::into(subject_id), soci::use(structure_id), soci::use(code);
        session << "SELECT id FROM identity_user WHERE login = :login", soci::into(teacher_id), soci::use(login);
        if (class_id == 0 || subject_id == 0 || teacher_id == 0)
            continue;
        long long const weekday = demo.weekday;
        long long const start = minutes(demo.start);
        long long const end = minutes(demo.end);
        std::string const week = demo.week;
        std::string const room = demo.room;
        session << "INSERT INTO timetable_slot (structure_id, class_id, subject_id, teacher_id, weekday, "
                   "start_minute, end_minute, week, room, created_at) VALUES (:structure, :class, :subject, "
                   ":teacher, :weekday, :start, :end, :week, :room, :now)",
            soci::use(structure_id), soci::use(class_id), soci::use(subject_id), soci::use(teacher_id),
            soci::use(weekday), soci::use(start), soci::use(end), soci::use(week), soci::use(room), soci::use(now);
    }
    add_demo_changes(session, structure_id, now);
}

} // namespace cartable::timetable

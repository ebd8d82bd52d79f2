// SPDX-License-Identifier: AGPL-3.0-or-later
// The demo school's timetable: a plausible week of TPRO and T STMG, the
// teachers never in two rooms at once, one slot on weeks A only, one on
// weeks B only.
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
    long long const hours = (clock[0] - '0') * 10 + (clock[1] - '0');
    long long const in_hour = (clock[3] - '0') * 10 + (clock[4] - '0');
    return hours * 60 + in_hour;
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
}

} // namespace cartable::timetable

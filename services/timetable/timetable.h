// SPDX-License-Identifier: AGPL-3.0-or-later
// « Emploi du temps »: the weekly timetable of each class, group and
// teacher, the changes for a date, and the lessons they make. The lesson
// book and the roll call take their lessons from here (the functions below
// are the service's published interface).
#pragma once

#include "core/access/capability.h"
#include "core/error.h"
#include "core/http/router.h"
#include <optional>
#include <soci/soci.h>
#include <string>
#include <vector>

namespace cartable {
struct Services;
}

namespace cartable::timetable {

// A weekly slot of the timetable.
struct Slot {
    long long id { 0 };
    long long structure_id { 0 };
    long long class_id { 0 };
    std::string class_name; // « TPRO »
    std::string class_kind; // class, group
    long long subject_id { 0 };
    std::string subject_label; // « ÉCONOMIE-GESTION »
    long long teacher_id { 0 }; // 0: nobody yet
    std::string teacher_name; // « Samuel BEAUMONT »
    int weekday { 0 }; // 0: lundi … 5: samedi
    long long start_minute { 0 }; // of the day
    long long end_minute { 0 };
    std::string week; // "", "A", "B"
    std::string room;
    long long valid_from { 0 }; // days; 0: always
    long long valid_until { 0 }; // days; 0: no end
};

enum class LessonStatus { Normal, Cancelled, Moved, Replaced };

// One lesson: a slot on a date, with that date's change applied.
struct Lesson {
    long long slot_id { 0 };
    long long slot_day { 0 }; // the date the timetable gives it (with slot_id, the lesson's key)
    long long day { 0 }; // the date it takes place (another one when moved)
    long long start_minute { 0 };
    long long end_minute { 0 };
    long long structure_id { 0 };
    long long class_id { 0 };
    std::string class_name;
    long long subject_id { 0 };
    std::string subject_label;
    long long teacher_id { 0 }; // who teaches it that day (the replacing teacher, if any)
    std::string teacher_name;
    long long usual_teacher_id { 0 }; // the slot's teacher
    std::string room;
    std::string week; // "", "A", "B"
    LessonStatus status { LessonStatus::Normal };
    bool room_changed { false };
    std::string note; // the change's note, « Sortie pédagogique »
};

// 'A' or 'B': the week of that day in the structure's alternation.
char week_letter(soci::session&, long long structure_id, long long day);

// The lessons of these classes and groups whose date falls in [from_day,
// to_day), by day then hour; cancelled ones included (status Cancelled),
// moved ones at their new date.
std::vector<Lesson> lessons_of_classes(
    soci::session&, std::vector<long long> const& class_ids, long long from_day, long long to_day);
// The lessons a teacher gives (his slots, and those he replaces in) in
// [from_day, to_day); those of his slots given to someone else are included
// with status Replaced and teacher_id the other teacher.
std::vector<Lesson> lessons_of_teacher(soci::session&, long long teacher_id, long long from_day, long long to_day);
// The lesson of a slot on its timetable date, if the slot has one that day.
std::optional<Lesson> lesson(soci::session&, long long slot_id, long long slot_day);

std::optional<Slot> slot_by_id(soci::session&, long long slot_id);

// The demo school's timetable of TPRO and T STMG (after the classes and
// teachings exist).
void add_demo_timetable(soci::session&, long long structure_id, long long now);

ErrorOr<void> declare_capabilities(access::CapabilityRegistry&);
std::vector<http::Route> routes();
ErrorOr<void> start(Services&);

} // namespace cartable::timetable

// SPDX-License-Identifier: AGPL-3.0-or-later
// What the timetable's pages share: the capabilities, whose timetable a
// person may read (the policy, a table in the tests), the staff's entry
// (slots and their conflicts, changes of a date) and the private feed.
#pragma once

#include "core/context.h"
#include "core/identity/identity.h"
#include "services/timetable/timetable.h"
#include <optional>
#include <string>
#include <vector>

namespace cartable::timetable {

inline constexpr char const* READ = "timetable.read"; // any signed-in person; the policy decides by object
inline constexpr char const* MANAGE = "timetable.manage"; // staff and administrators of the structure
inline constexpr char const* FEED = "timetable.feed"; // the private iCalendar link: its token is the credential

// Whose timetable a page shows.
enum class TargetKind { Student, Class, Teacher };

struct Target {
    TargetKind kind { TargetKind::Student };
    long long id { 0 }; // a student, a class or group, a teacher
    long long structure_id { 0 };
    std::string label; // « Louis CHAMSON », « TPRO », « Samuel BEAUMONT »
};

// A person's facts about a target.
struct Facts {
    bool same_structure { false }; // the target belongs to the person's structure
    bool itself { false }; // the target is the person (a student's or a teacher's own timetable)
    bool own_child { false }; // a guardian's child
    bool member { false }; // a student of that class or group
    bool teaches { false }; // a teacher of that class or group (identity_teaching)
    bool staff { false }; // staff or an administrator (the vie scolaire, the direction)
};

// The policy: a person reads their own timetable, a guardian their
// children's, a student his classes', a teacher his classes', the staff
// any of their structure; nobody another structure's.
bool may_read(Facts const& facts);
// Staff and administrators of the structure enter slots and changes.
bool may_manage(identity::User const& person, long long structure_id);

// The target of that kind and id, if it exists (a student, a class or
// group, a teacher).
std::optional<Target> find_target(soci::session&, TargetKind kind, long long id);
Facts facts_of(soci::session&, identity::User const& person, Target const& target);
// The lessons of a target in [from_day, to_day).
std::vector<Lesson> lessons_of(soci::session&, Target const& target, long long from_day, long long to_day);

// The slots of a class or group, by day then hour.
std::vector<Slot> slots_of_class(soci::session&, long long class_id);
std::vector<Slot> slots_of_structure(soci::session&, long long structure_id);

// A slot as the form gives it, checked: the French reason it cannot be
// saved (end before start, a teacher, a room or the class already taken
// then), or nothing. `ignored_slot`: the slot being changed.
std::optional<std::string> slot_refusal(soci::session&, Slot const& slot, long long ignored_slot);
// The same among slots about to be written (the CSV import): `others`
// instead of the table.
std::optional<std::string> slot_refusal_among(Slot const& slot, std::vector<Slot> const& others);
long long insert_slot(soci::session&, Slot const& slot, long long now);
void update_slot(soci::session&, Slot const& slot);
void delete_slot(soci::session&, long long slot_id);
void set_week_a_monday(soci::session&, long long structure_id, long long monday);
long long week_a_monday_of(soci::session&, long long structure_id);

// A change of one lesson.
struct ChangeInput {
    long long slot_id { 0 };
    long long day { 0 };
    bool cancelled { false };
    long long new_day { 0 };
    long long new_start { 0 };
    long long new_end { 0 };
    std::string new_room;
    long long replacement_id { 0 };
    std::string note;
};
void save_change(soci::session&, ChangeInput const& change, long long author_id, long long now);
// Why the lesson as changed cannot take place (its class, its teacher — the
// replacing one — or its room already has a lesson then, that date's
// changes applied), in French; none for a cancellation.
std::optional<std::string> change_refusal(soci::session&, Slot const& slot, ChangeInput const& change);
void delete_change(soci::session&, long long slot_id, long long day);

// The iCalendar text of these lessons (each with the prefix of its
// SUMMARY: a guardian's child's first name).
std::string ics_of_lessons(std::vector<std::pair<Lesson, std::string>> const& lessons, std::string const& name,
    std::string const& domain, long long now);

// A slot as typed in a form or a line of the CSV file, checked against the
// structure's classes, subjects and teachers: the French reason it is not
// one, or nothing.
struct SlotFields {
    std::string class_id;
    std::string weekday; // « 0 » … « 5 » (the form) or « lundi » (the file)
    std::string start;
    std::string end;
    std::string subject_id;
    std::string teacher_id;
    std::string room;
    std::string week; // "", « A », « B »
    std::string valid_from; // « 2026-11-30 » or « 30/11/2026 »; empty: always
    std::string valid_until; // empty: no end
};
std::optional<int> weekday_of(std::string const& text);
ErrorOr<Slot> slot_of_fields(SlotFields const& fields, long long structure_id,
    std::vector<std::pair<long long, std::string>> const& classes,
    std::vector<std::pair<long long, std::string>> const& subjects,
    std::vector<std::pair<long long, std::string>> const& teachers);

// The private feed.
std::string renew_feed_token(soci::session&, long long user_id, long long now);
std::optional<long long> feed_created_at(soci::session&, long long user_id);
std::optional<long long> feed_owner(soci::session&, std::string const& token);

// The teachers and subjects of a structure, for the forms: (id, label).
std::vector<std::pair<long long, std::string>> teachers_of(soci::session&, long long structure_id);
std::vector<std::pair<long long, std::string>> subjects_of(soci::session&, long long structure_id);
std::vector<std::pair<long long, std::string>> classes_of_structure(soci::session&, long long structure_id);

// « lundi de 08:00 à 10:00 »
std::string slot_when(Slot const& slot);

long long today(Context const& context);

// An integer column of a row, whatever type the engine reports for it.
long long integer_of(soci::row const& row, std::size_t index);

// Routes of each part.
std::vector<http::Route> week_routes();
std::vector<http::Route> change_routes();
std::vector<http::Route> manage_routes();
std::vector<http::Route> import_routes();
std::vector<http::Route> feed_routes();

} // namespace cartable::timetable

// SPDX-License-Identifier: AGPL-3.0-or-later
// The roll call's and the desk's reads and writes: calls and the events
// they record, the day's events, calls not taken, incidents, punishments,
// motives and thresholds (the families' declarations live in
// attendance_family.cpp and attendance_regularise.cpp).
#pragma once

#include "core/error.h"
#include "core/identity/identity.h"
#include "services/attendance/attendance_internal.h"
#include "services/timetable/timetable.h"
#include <map>
#include <optional>
#include <soci/soci.h>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cartable::attendance {

// A call is « non fait » for the desk this long after its lesson began.
inline constexpr long long MISSING_CALL_AFTER_MINUTES = 15;

enum class Kind { Absence, Lateness, Departure };
std::string_view kind_store(Kind); // absence, retard, depart
std::string_view kind_label(Kind); // « Absence », « Retard », « Départ anticipé »
std::optional<Kind> kind_from_store(std::string_view);

// The call of one lesson (its slot on its timetable date).
struct Call {
    long long id { 0 };
    long long slot_id { 0 };
    long long slot_day { 0 };
    long long teacher_id { 0 };
    long long day { 0 };
    long long done_at { 0 };
    long long done_by { 0 };
    long long updated_at { 0 };
    long long updated_by { 0 };
};
std::optional<Call> find_call(soci::session&, long long slot_id, long long slot_day);
// The structure's calls of [first_day, last_day], by (slot, slot_day).
std::map<std::pair<long long, long long>, Call> calls_between(
    soci::session&, long long structure_id, long long first_day, long long last_day);

// An absence, a lateness or an early departure.
struct Event {
    long long id { 0 };
    long long structure_id { 0 };
    long long student_id { 0 };
    std::string student_name; // « Louis CHAMSON »
    std::string class_name; // the student's class (« TPRO »)
    long long call_id { 0 };
    Kind kind { Kind::Absence };
    long long day { 0 };
    long long start_minute { 0 };
    long long end_minute { 0 };
    long long minutes { 0 };
    State state { State::Unjustified };
    long long motive_id { 0 };
    std::string motive_label;
    std::string comment;
    bool justified_by_family { false }; // a guardian's declaration covers it
};
std::optional<Event> find_event(soci::session&, long long event_id);
std::vector<Event> events_of_call(soci::session&, long long call_id);
// The structure's events of a day, by class, student, hour.
std::vector<Event> events_of_day(soci::session&, long long structure_id, long long day);
// A student's events of [first_day, last_day], latest first.
std::vector<Event> events_of_student(soci::session&, long long student_id, long long first_day, long long last_day);

// The students of a class or group, by name.
std::vector<identity::User> students_of_class(soci::session&, long long class_id);

// What the teacher ticked for one student (no mark: present).
struct Mark {
    long long student_id { 0 };
    Kind kind { Kind::Absence };
    long long minutes { 0 };
};
// Whether a person may remove an absence a family already justified (the
// vie scolaire only: a teacher's correction would undo the family's word).
enum class JustifiedAbsences { Keep, MayRemove };
// Records a lesson's call: the marks replace the call's events (a student
// now present loses his event), done_at/by the first time, updated_at/by
// after. Conflict, with a French message, when an absence a family
// justified would go and `justified` is Keep. The new or changed events'
// ids for after_recording.
ErrorOr<std::vector<long long>> record_call(soci::session&, timetable::Lesson const&, std::vector<Mark> const&,
    long long person_id, long long now, JustifiedAbsences justified);

// The lessons of the structure's classes and groups on the school day of
// `now` that began more than 15 minutes before it, not cancelled, whose
// call is not done.
std::vector<timetable::Lesson> calls_not_done(soci::session&, long long structure_id, long long now);
// The same in two steps, so the desk keeps the day's lessons (the
// timetable) a few seconds and reads only the calls at each request.
std::vector<timetable::Lesson> lessons_of_structure(soci::session&, long long structure_id, long long day);
std::vector<timetable::Lesson> calls_not_done(
    soci::session&, long long structure_id, std::vector<timetable::Lesson> lessons, long long now);

// An event entered at the desk, outside a call.
struct DeskEntry {
    long long student_id { 0 };
    Kind kind { Kind::Absence };
    long long day { 0 };
    long long start_minute { 0 };
    long long end_minute { 0 };
    long long minutes { 0 };
};
long long record_desk_event(
    soci::session&, long long structure_id, DeskEntry const&, long long person_id, long long now);
// The vie scolaire's decision on an event: state, motive (0: none), comment.
void decide_event(soci::session&, long long event_id, State, long long motive_id, std::string const& comment,
    long long person_id, long long now);

// The students of the structure over a threshold in [first_day, last_day].
struct OverThreshold {
    long long student_id { 0 };
    std::string student_name;
    std::string class_name;
    long long half_days { 0 };
    long long lateness { 0 };
};
std::vector<OverThreshold> over_thresholds(
    soci::session&, long long structure_id, long long first_day, long long last_day, Settings const&);

// Incidents.
struct Incident {
    long long id { 0 };
    long long day { 0 };
    long long minute { 0 };
    std::string place;
    std::string description;
    std::string reported_by; // a name
    long long reported_by_id { 0 };
    std::vector<std::pair<long long, std::string>> students; // id, name
};
long long add_incident(soci::session&, long long structure_id, Incident const&, long long person_id, long long now);
// reporter_id 0: everyone's.
std::vector<Incident> incidents_between(
    soci::session&, long long structure_id, long long first_day, long long last_day, long long reporter_id = 0);
std::optional<Incident> find_incident(soci::session&, long long incident_id);

// Punishments.
enum class Punishment { Detention, ExtraWork, Exclusion };
std::string_view punishment_store(Punishment); // retenue, devoir_supplementaire, exclusion_cours
std::string_view punishment_label(Punishment); // « Retenue »…
std::optional<Punishment> punishment_from_store(std::string_view);
struct GivenPunishment {
    long long id { 0 };
    long long student_id { 0 };
    std::string student_name;
    Punishment kind { Punishment::Detention };
    std::string reason;
    long long day { 0 };
    long long start_minute { 0 };
    long long duration_minutes { 0 };
    long long incident_id { 0 };
    std::string given_by; // a name
};
long long add_punishment(
    soci::session&, long long structure_id, GivenPunishment const&, long long person_id, long long now);
std::vector<GivenPunishment> punishments_of_student(soci::session&, long long student_id);
std::vector<GivenPunishment> punishments_between(
    soci::session&, long long structure_id, long long first_day, long long last_day);

// Motives and thresholds (« Paramètres »).
struct StoredMotive {
    Motive motive;
    long long position { 0 };
    bool active { true };
};
// Every motive of the structure, active or not, by position.
std::vector<StoredMotive> all_motives(soci::session&, long long structure_id);
// Conflict (French message) when another motive of the structure has that label.
ErrorOr<void> save_motive(soci::session&, long long structure_id, StoredMotive const&);
ErrorOr<long long> add_motive(soci::session&, long long structure_id, StoredMotive const&);
void save_settings(soci::session&, long long structure_id, Settings const&);

// The structure's students (for the desk's forms), by class then name.
struct StudentEntry {
    long long id { 0 };
    std::string name; // « CHAMSON Louis »
    std::string class_name;
};
std::vector<StudentEntry> students_of_structure(soci::session&, long long structure_id);
// The students of the classes and groups a teacher teaches, likewise.
std::vector<StudentEntry> students_taught_by(soci::session&, long long teacher_id);

} // namespace cartable::attendance

// SPDX-License-Identifier: AGPL-3.0-or-later
// The families' side of the vie scolaire, in the database: a student's
// absences, lateness and departures, the guardians' declarations (« Justifier »
// one event, or an absence declared in advance), which events they cover,
// the CPE's decision, punishments (read only).
#pragma once

#include "core/school_time.h"
#include "services/attendance/attendance_internal.h"
#include <optional>
#include <string>
#include <vector>

namespace cartable::attendance::family {

// One absence (« absence »), lateness (« retard ») or early departure
// (« depart ») of a student.
struct EventRow {
    long long id { 0 };
    long long structure_id { 0 };
    long long student_id { 0 };
    std::string kind;
    long long day { 0 };
    long long start_minute { 0 };
    long long end_minute { 0 };
    long long minutes { 0 };
    State state { State::Unjustified };
    std::string motive; // the motive's label, if any
    std::string subject; // the call's subject, if from a call
    long long notified_at { 0 };
};
std::optional<EventRow> event_by_id(soci::session&, long long id);
// The student's events of [first_day, last_day], most recent first.
std::vector<EventRow> events_of(soci::session&, long long student_id, long long first_day, long long last_day);

// What a guardian sent. state: en_attente, acceptee, refusee.
struct Declaration {
    long long id { 0 };
    long long structure_id { 0 };
    long long student_id { 0 };
    long long guardian_id { 0 };
    long long event_id { 0 }; // « Justifier » of one event; 0: declared in advance
    long long first_day { 0 };
    long long first_minute { 0 };
    long long last_day { 0 };
    long long last_minute { school_time::MINUTES_PER_DAY };
    long long motive_id { 0 };
    std::string motive;
    std::string comment;
    std::string file_name;
    std::string file_stored;
    long long file_size { 0 };
    std::string state { "en_attente" };
    long long created_at { 0 };
    long long decided_at { 0 };
    std::string decision_comment;
    // For the lists.
    std::string student_name;
    std::string class_name;
    std::string guardian_name;
};
inline constexpr char const* PENDING = "en_attente";
inline constexpr char const* ACCEPTED = "acceptee";
inline constexpr char const* REFUSED = "refusee";
// « en attente », « acceptée », « refusée »
std::string declaration_state_label(std::string const& state);

std::optional<Declaration> declaration_by_id(soci::session&, long long id);
// A student's declarations, the latest first.
std::vector<Declaration> declarations_of(soci::session&, long long student_id);
// The structure's declarations waiting for the CPE, the oldest first.
std::vector<Declaration> pending_declarations(soci::session&, long long structure_id);
// The events a declaration covers (attendance_justified).
std::vector<EventRow> events_of_declaration(soci::session&, long long declaration_id);

// Whether a declaration's range covers an event (some of the event's time
// falls inside it).
bool covers(Declaration const&, EventRow const&);

// Stores a declaration (state from its motive: acceptee when the structure
// accepts it, else en_attente) and links the student's events it covers that
// are still « non justifiée »: « justifiée » or « en attente ». Its id.
long long store_declaration(soci::session&, Declaration declaration, bool motive_accepted, long long now);

// Links one event to a declaration and sets its state from the declaration's.
void link_event(soci::session&, Declaration const&, long long event_id, long long now);

// The CPE's decision: the declaration acceptee or refusee, its events still
// « en attente » become « justifiée » or « non valable »; the guardian who
// sent it is told. False when it was not pending any more.
bool decide(soci::session&, Declaration const&, bool accept, long long decider_id, std::string const& comment,
    std::string const& public_url, long long now, Notified& notified);

// A punishment, as the family reads it.
struct Punishment {
    std::string kind; // retenue, devoir_supplementaire, exclusion_cours
    std::string reason;
    long long day { 0 };
    long long start_minute { 0 };
    long long duration_minutes { 0 };
};
std::vector<Punishment> punishments_of(soci::session&, long long student_id, long long first_day, long long last_day);
// « Retenue », « Devoir supplémentaire », « Exclusion de cours »
std::string punishment_label(std::string const& kind);

// The student's class (« TPRO »), empty if none.
std::string class_of(soci::session&, long long student_id);

// The guardians' and students' attendance rows for « Mes données » (JSON).
std::string personal_data_json(soci::session&, identity::User const& person);
// « Mes données » (the rows and the files) and departures: registered at start.
ErrorOr<void> start(Services&);

// A departed student's justifications (comments and files) are removed;
// the files' names, to delete after the commit.
std::vector<std::string> forget_student(soci::session&, long long student_id);

} // namespace cartable::attendance::family

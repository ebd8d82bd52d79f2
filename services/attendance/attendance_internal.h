// SPDX-License-Identifier: AGPL-3.0-or-later
// What the vie scolaire's files share: capabilities, the policy (who
// records, corrects, justifies, decides and sees), the motives.
#pragma once

#include "core/http/router.h"
#include "core/identity/identity.h"
#include "services/attendance/attendance.h"
#include <optional>
#include <string>
#include <vector>

namespace cartable::attendance {

inline constexpr char const* READ = "attendance.read";
inline constexpr char const* CALL = "attendance.call"; // teachers and the vie scolaire
inline constexpr char const* DESK = "attendance.desk"; // the vie scolaire and the direction

// --- Policy ------------------------------------------------------------
// The facts about a person and one student that decide what the person
// may do with that student's attendance (read from the database by
// facts_of, decided by right_from without it: the policy table tests).
struct Facts {
    access::Profile profile { access::Profile::Student };
    bool same_structure { false };
    bool is_self { false }; // the student themself
    bool guardian { false }; // a guardian linked to the student
    bool legal_guardian { false }; // … with legal responsibility
    bool teaches_student { false }; // teaches one of the student's classes or groups
    bool vie_scolaire { false }; // CPE, assistant d'éducation (identity::is_vie_scolaire)
    bool direction { false }; // identity::is_direction
};
struct Rights {
    bool sees { false }; // the student's absences, lateness, punishments
    bool records { false }; // enters absences (outside a call: the vie scolaire)
    bool justifies { false }; // « Justifier », declares an absence in advance
    bool decides { false }; // accepts or refuses a justification, sets states
    bool punishes { false }; // incidents and punishments
};
Rights right_from(Facts const&);
Facts facts_of(soci::session&, identity::User const& person, long long student_id);
Rights rights_toward(soci::session&, identity::User const& person, long long student_id);

// Whether a person may take, or correct, the call of a lesson of `day`
// taught by `teacher_id`, at local day `today`: the lesson's teacher on its
// day only (and not before it), the vie scolaire at any time.
bool may_edit_call(identity::User const& person, long long teacher_id, long long day, long long today);

// The desk (today's absences, calls not taken, justifications to decide,
// incidents, thresholds): the vie scolaire, and the direction reads it.
bool runs_desk(identity::User const&);

// --- Motives -------------------------------------------------------------
struct Motive {
    long long id { 0 };
    std::string label;
    bool for_guardians { true };
    bool accepted { false };
};
// The structure's active motives, by position; the defaults (« Maladie »,
// « Rendez-vous médical », « Raison familiale », « Transport »…) stored
// the first time.
std::vector<Motive> motives_of(soci::session&, long long structure_id);
std::optional<Motive> find_motive(soci::session&, long long structure_id, long long motive_id);

// The structure's thresholds (attendance_setting, defaults 4 and 5).
struct Settings {
    long long alert_half_days { 4 };
    long long alert_lateness { 5 };
};
Settings settings_of(soci::session&, long long structure_id);

// --- What happens to absences once recorded (attendance_regularise.cpp) ---
// Called by the roll call and the desk in the transaction that recorded
// these events (absences, lateness, departures): an absence covered by a
// guardian's declaration in advance becomes « justifiée » when the
// declaration's motive is accepted by the structure, « en attente » of the
// CPE otherwise (the guardian is told either way); an absence still
// « non justifiée » is told to the student's guardians (Event::Absence, by
// their preferences) once. Who was told goes to `notified` for
// notifications::published after the commit.
struct Notified {
    std::vector<long long> people;
    std::size_t outbox_rows { 0 };
};
void after_recording(soci::session&, std::vector<long long> const& event_ids, std::string const& public_url,
    long long now, Notified& notified);

// --- Routes, by file -------------------------------------------------------
// attendance_call.cpp: the teacher's roll call and its corrections.
std::vector<http::Route> call_routes();
// attendance_desk.cpp: the vie scolaire's desk, incidents, punishments,
// motives and thresholds.
std::vector<http::Route> desk_routes();
// attendance_family.cpp: students' and guardians' pages, « Justifier »,
// declarations in advance, the CPE's decisions on them.
std::vector<http::Route> family_routes();

} // namespace cartable::attendance

// SPDX-License-Identifier: AGPL-3.0-or-later
// « Vie scolaire »: the roll call of each lesson (services/timetable's
// lessons), absences, lateness and early departures, their justification by
// guardians and the CPE's decision, incidents and punishments, the half-days
// missed per period (services/attendance/README.md). The functions below are
// the service's published interface (the bulletins count absences here).
#pragma once

#include "core/access/capability.h"
#include "core/error.h"
#include "core/http/router.h"
#include <soci/soci.h>
#include <string_view>

namespace cartable {
struct Services;
}

namespace cartable::attendance {

// A half-day is the morning (lessons starting before 12:30) or the
// afternoon of a date; a student missed it when at least one absence of
// that half-day was recorded.
inline constexpr long long AFTERNOON_FROM_MINUTE = 12 * 60 + 30;

struct Counts {
    long long half_days { 0 }; // missed
    long long unjustified_half_days { 0 }; // with an absence non_justifiee or non_valable
    long long lateness { 0 };
};
// A student's counts over [first_day, last_day] (both included).
Counts counts_of(soci::session&, long long student_id, long long first_day, long long last_day);

// The states of an absence, stored and shown.
enum class State { Unjustified, Pending, Justified, NotValid };
std::string_view state_store(State); // non_justifiee, en_attente, justifiee, non_valable
std::string_view state_label(State); // « non justifiée », « en attente », « justifiée », « non valable »
State state_from_store(std::string_view);

// The demo school's motives, calls and absences (after the timetable).
void add_demo_attendance(soci::session&, long long structure_id, long long now);

ErrorOr<void> declare_capabilities(access::CapabilityRegistry&);
std::vector<http::Route> routes();
ErrorOr<void> start(Services&);

} // namespace cartable::attendance

// SPDX-License-Identifier: AGPL-3.0-or-later
// What the grades' two files share (assessments_grades.cpp: the teachers'
// assessments, the grid, publishing, the class table, the landing;
// assessments_grades_family.cpp: the families' marks, the relevé, the
// settings). docs/assessments.md.
#pragma once

#include "core/context.h"
#include "core/view/mustache.h"
#include "services/assessments/assessments_internal.h"
#include <string>

namespace cartable::assessments::grades {

inline constexpr char const* BASE = "/evaluations";

// « 12,5 », or « – » when there is nothing to show.
std::string shown(std::optional<double> const& value, school::Rounding);
// A mark's figure (the lowest, the highest) as marks are written: « 14,5 ».
std::string shown_mark(std::optional<double> const& value);
// « 23/11/2026 »
std::string short_date(long long day);
// The period asked by ?periode= (of the structure), else the one of today.
school::Period asked_period(soci::session&, Context&, long long structure_id);
// The period selector's options: the structure's periods of this year.
view::List period_options(soci::session&, long long structure_id, long long today, long long selected);
// The student's class (kind « class »), 0 if none.
long long class_of_student(soci::session&, long long student_id);
long long today_of(Context const&);

// The families' pages (assessments_grades_family.cpp).
ErrorOr<http::Response> show_family(Context&); // GET /evaluations for a student or a guardian
ErrorOr<http::Response> show_releve(Context&); // GET /evaluations/releve
ErrorOr<http::Response> show_settings(Context&);
ErrorOr<http::Response> save_settings(Context&);

} // namespace cartable::assessments::grades

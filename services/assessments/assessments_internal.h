// SPDX-License-Identifier: AGPL-3.0-or-later
// What the évaluations' files share: capabilities, the policy, the stored
// assessments and the period's figures that the grid, the families' pages,
// the relevé and the bulletin all read.
#pragma once

#include "core/http/router.h"
#include "core/identity/identity.h"
#include "core/school/averages.h"
#include "core/school/periods.h"
#include "services/assessments/assessments.h"
#include <optional>
#include <string>
#include <vector>

namespace cartable::assessments {

inline constexpr char const* READ = "assessments.read";
inline constexpr char const* GRADE = "assessments.grade"; // teachers
inline constexpr char const* REPORT = "assessments.report"; // the direction publishes bulletins

// --- Policy ------------------------------------------------------------
// The facts about a person and a class (and a subject) that decide what the
// person may do with its marks.
struct Facts {
    access::Profile profile { access::Profile::Student };
    bool same_structure { false };
    bool teaches_subject { false }; // teaches this subject to this class
    bool teaches_class { false }; // teaches any subject to this class
    bool head_teacher { false }; // professeur principal of the class
    bool direction { false }; // identity::is_direction
    bool vie_scolaire { false };
    bool member { false }; // a student of the class
    bool guardian_of_member { false }; // a guardian of a student of the class
};
struct Rights {
    bool grades { false }; // creates assessments, enters marks, publishes them, appraises the subject
    bool reads_all { false }; // every mark of the class, published or not
    bool reads_published { false }; // the published marks of the students they are (guardian of)
    bool appraises_class { false }; // the head teacher's appraisal
    bool publishes_reports { false }; // the principal's appraisal, publishing the bulletins
};
Rights right_from(Facts const&);
// For a person and a class (subject 0: any subject).
Facts facts_of(soci::session&, identity::User const& person, long long class_id, long long subject_id);
Rights rights_toward(soci::session&, identity::User const& person, long long class_id, long long subject_id);

// --- Store -------------------------------------------------------------
struct Stored {
    long long id { 0 };
    long long structure_id { 0 };
    long long class_id { 0 };
    std::string class_name;
    long long subject_id { 0 };
    std::string subject_label;
    long long teacher_id { 0 };
    std::string teacher_name;
    long long period_id { 0 };
    long long day { 0 };
    std::string title;
    long long scale { 20 };
    long long coefficient_hundredths { 100 };
    long long published_at { 0 };
    school::Assessment marks() const; // without the marks: fill .marks
};

school::Rounding rounding_of(soci::session&, long long structure_id);

// Everything a class's period shows (the teachers' tables, the families'
// marks, the relevé, the bulletin): its students, the subjects taught to
// it, the assessments of the class and of the groups its students are in,
// their marks and the period's averages (assessments_reads.cpp).
struct Subject {
    long long id { 0 };
    std::string label;
    std::vector<long long> teacher_ids;
    std::string teacher_names; // « Samuel BEAUMONT, Marie DELMAS »
};
struct ClassPeriod {
    identity::SchoolClass school_class;
    school::Period period;
    school::Rounding rounding { school::Rounding::Hundredth };
    std::vector<identity::User> students; // active students, by name
    std::vector<Subject> subjects; // by label
    std::vector<Stored> assessments; // by subject label, day, id
    std::vector<school::Assessment> marked; // the same, in the same order, with their marks
    school::PeriodAverages averages; // over `marked`
};
// NotFound when the class or the period does not exist or the period is of
// another structure. `published_only`: only the assessments shown to
// families (published_at set and reached at `now`).
ErrorOr<ClassPeriod> class_period(
    soci::session&, long long class_id, long long period_id, bool published_only, long long now);
std::optional<Stored> find_assessment(soci::session&, long long assessment_id);

// --- Routes, by file -------------------------------------------------------
// assessments_grades.cpp: teachers' assessments, the grid, publishing; the
// families' marks with the class figures; the relevé de notes.
std::vector<http::Route> grade_routes();
// assessments_reports.cpp: appraisals, the bulletins, their PDF and publishing.
std::vector<http::Route> report_routes();

} // namespace cartable::assessments

// SPDX-License-Identifier: AGPL-3.0-or-later
// The bulletins (docs/bulletins.md): what a class's period holds for them
// (published marks only, appraisals, absences, publication), one student's
// bulletin as the page and the PDF show it, and the PDF itself.
#pragma once

#include "core/identity/identity.h"
#include "services/assessments/assessments_internal.h"
#include "services/attendance/attendance.h"
#include <map>
#include <string>
#include <tuple>
#include <vector>

namespace cartable::assessments::reports {

// An appraisal is plain text of at most this many characters.
inline constexpr std::size_t APPRAISAL_MAX = 600;

// Stored kinds of assessments_appraisal.
inline constexpr char const* SUBJECT = "subject";
inline constexpr char const* HEAD_TEACHER = "head_teacher";
inline constexpr char const* PRINCIPAL = "principal";

// A class's period as its bulletins read it.
struct Report {
    ClassPeriod figures; // class_period(…, published_only = true)
    identity::Structure structure;
    std::string head_teachers; // « Samuel BEAUMONT »
    long long published_at { 0 }; // 0: not published (now)
    bool ever_published { false }; // a row exists: its families were told once
    // (student, kind, subject) → text
    std::map<std::tuple<long long, std::string, long long>, std::string> appraisals;
    std::map<long long, attendance::Counts> counts; // by student
    std::map<long long, std::string> birth_dates; // by student, as stored
    std::string appraisal(long long student, std::string const& kind, long long subject = 0) const;
};
// NotFound as class_period. `only_student` (not 0): the absences and date
// of birth of that student only (one bulletin).
ErrorOr<Report> report_of(
    soci::session&, long long class_id, long long period_id, long long now, long long only_student = 0);

struct BulletinLine {
    std::string subject;
    std::string teachers;
    std::string average; // « 12,50 », « – » when none
    std::string class_average;
    std::string lowest;
    std::string highest;
    std::string appraisal;
};
struct Bulletin {
    long long student_id { 0 };
    std::string structure_name;
    std::string uai;
    std::string school_year;
    std::string period_label;
    std::string class_name;
    std::string student_name; // « Louis CHAMSON »
    std::string birth_date; // « 14/03/2009 », empty when unknown
    std::string head_teachers;
    std::vector<BulletinLine> lines;
    std::string overall;
    std::string class_overall;
    std::string absences; // « 3 demi-journées dont 1 non justifiée, 2 retards »
    std::string head_teacher_appraisal;
    std::string principal_appraisal;
    std::string signed_at; // « Fait au Vigan, le dimanche 29 novembre 2026 »
    bool published { false };
};
// The bulletin of a student of the report (the caller checked he is one).
Bulletin bulletin_of(Report const&, identity::User const& student, long long now);

// « 3 demi-journées d'absence dont 1 non justifiée, 2 retards ».
std::string absences_text(attendance::Counts const&);
// « Fait au Vigan » for « Le Vigan », « Fait à Nîmes ».
std::string made_at(std::string const& city);

// The bulletin as an A4 PDF (assessments_reports_pdf.cpp).
std::string bulletin_pdf(Bulletin const&);
// « Bulletin Trimestre 1 Louis CHAMSON.pdf »
std::string bulletin_file_name(Bulletin const&);

} // namespace cartable::assessments::reports

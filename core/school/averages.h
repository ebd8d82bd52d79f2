// SPDX-License-Identifier: AGPL-3.0-or-later
// The évaluations' arithmetic, in one place (docs/averages.md): marks and
// their special codes, averages per subject and overall for a period, the
// class figures, rounding as the structure sets it, French formatting.
// Marks and coefficients are kept in hundredths (integers) so that both
// database engines and every computation agree to the last digit.
#pragma once

#include "core/error.h"
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cartable::school {

// The special codes a teacher may enter instead of a mark.
// Abs « Absent », Disp « Dispensé », NN « Non noté »: the mark is left out
// of every average and class figure. NR « Non rendu »: counts as 0.
enum class Code { None, Absent, Dispense, NonRendu, NonNote };
std::string_view code_text(Code); // « Abs », « Disp », « NR », « NN », ""
std::string_view code_label(Code); // « Absent », « Dispensé », « Non rendu », « Non noté »
std::string_view code_store(Code); // stored: "abs", "disp", "nr", "nn", ""
Code code_from_store(std::string_view);

// One cell of the grid: a mark in hundredths of a point, a code, or blank.
struct Mark {
    std::optional<long long> hundredths; // 1350 for 13,5
    Code code { Code::None };
    bool blank() const { return !hundredths && code == Code::None; }
    // Whether it enters averages, and the value it enters with (on its scale).
    bool counted() const { return hundredths.has_value() || code == Code::NonRendu; }
    long long counted_hundredths() const { return hundredths.value_or(0); }
};

// What a teacher typed in a cell: « 13,5 », « 13.5 », « 7 », « Abs », « abs »,
// « Disp », « NR », « NN », blank. Invalid with a French message when it is
// neither, below 0, above the scale or has more than two decimals.
ErrorOr<Mark> parse_mark(std::string_view text, long long scale);

// One assessment with its marks, as the averages need it.
struct Assessment {
    long long id { 0 };
    long long subject_id { 0 };
    long long scale { 20 }; // « /20 », « /10 », « /100 »
    long long coefficient_hundredths { 100 }; // 1 → 100, 0,5 → 50; 0: for information only
    std::map<long long, Mark> marks; // by student
};

// Average, lowest and highest counted mark of an assessment, on its scale.
struct Figures {
    std::optional<double> average;
    std::optional<double> minimum;
    std::optional<double> maximum;
    long long counted { 0 };
};
Figures figures_of(Assessment const&);

// A student's average in a subject, on 20: the counted marks brought to 20
// and weighted by their assessment's coefficient. None when nothing counts
// (no marks, only Abs/Disp/NN, or only coefficients 0).
std::optional<double> subject_average(std::vector<Assessment const*> const& of_subject, long long student_id);

// Everything a period's relevé or bulletin shows for a class. Subject
// averages are on 20 and unrounded; round them with `round_to` for display.
struct PeriodAverages {
    // subject → student → average
    std::map<long long, std::map<long long, double>> by_subject;
    // student → overall average: the mean of their subject averages (each
    // subject weighs the same), none when they have none.
    std::map<long long, double> overall;
    // subject → class figures over the students' subject averages
    std::map<long long, Figures> class_by_subject;
    // over the students' overall averages
    Figures class_overall;
};
PeriodAverages period_averages(std::vector<Assessment> const& assessments, std::vector<long long> const& students);

// How the structure rounds the averages it shows (« Arrondi »).
enum class Rounding { Hundredth, Tenth, Half };
std::string_view rounding_store(Rounding); // "centieme", "dixieme", "demi"
Rounding rounding_from_store(std::string_view);
std::string_view rounding_label(Rounding); // « Au centième », « Au dixième », « Au demi-point »
// Rounded half up: 12.345 → 12.35 (Hundredth), 12.25 → 12.3 (Tenth),
// 12.25 → 12.5 (Half).
double round_to(double value, Rounding);
// French display: « 12,35 », « 12,3 », « 12,5 », « 12 » (no trailing zeros
// beyond the rounding: 12.30 at Hundredth shows « 12,30 »).
std::string format_average(double value, Rounding);
// A mark as entered: « 13,5 », « 7 », « 12,25 ».
std::string format_hundredths(long long hundredths);
// A cell for display: the mark or the code's text.
std::string format_mark(Mark const&);

} // namespace cartable::school

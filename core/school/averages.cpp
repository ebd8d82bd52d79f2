// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/school/averages.h"
#include <algorithm>
#include <cmath>
#include <cstdio>

namespace cartable::school {

namespace {

std::string lower_ascii(std::string_view text)
{
    std::string lowered;
    for (char const c : text)
        lowered.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
    return lowered;
}

std::string_view trimmed(std::string_view text)
{
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t' || text.front() == '\r'))
        text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r' || text.back() == '\n'))
        text.remove_suffix(1);
    return text;
}

void add_to(Figures& figures, double value, double& sum)
{
    figures.minimum = figures.minimum ? std::min(*figures.minimum, value) : value;
    figures.maximum = figures.maximum ? std::max(*figures.maximum, value) : value;
    sum += value;
    ++figures.counted;
}

} // namespace

std::string_view code_text(Code code)
{
    switch (code) {
    case Code::Absent:
        return "Abs";
    case Code::Dispense:
        return "Disp";
    case Code::NonRendu:
        return "NR";
    case Code::NonNote:
        return "NN";
    case Code::None:
        break;
    }
    return "";
}

std::string_view code_label(Code code)
{
    switch (code) {
    case Code::Absent:
        return "Absent";
    case Code::Dispense:
        return "Dispensé";
    case Code::NonRendu:
        return "Non rendu";
    case Code::NonNote:
        return "Non noté";
    case Code::None:
        break;
    }
    return "";
}

std::string_view code_store(Code code)
{
    switch (code) {
    case Code::Absent:
        return "abs";
    case Code::Dispense:
        return "disp";
    case Code::NonRendu:
        return "nr";
    case Code::NonNote:
        return "nn";
    case Code::None:
        break;
    }
    return "";
}

Code code_from_store(std::string_view stored)
{
    for (auto const code : { Code::Absent, Code::Dispense, Code::NonRendu, Code::NonNote })
        if (code_store(code) == stored)
            return code;
    return Code::None;
}

ErrorOr<Mark> parse_mark(std::string_view text, long long scale)
{
    text = trimmed(text);
    Mark mark;
    if (text.empty())
        return mark;
    auto const lowered = lower_ascii(text);
    for (auto const code : { Code::Absent, Code::Dispense, Code::NonRendu, Code::NonNote })
        if (lowered == code_store(code)) {
            mark.code = code;
            return mark;
        }
    auto const shown = std::string(text.substr(0, 20));
    long long whole = 0;
    long long fraction = 0;
    int digits_before = 0;
    int digits_after = 0;
    bool separator = false;
    for (char const c : text) {
        if (c == ',' || c == '.') {
            if (separator)
                return Error::invalid(
                    "« " + shown + " » n'est pas une note : tapez par exemple 13,5, ou Abs, Disp, NR, NN.");
            separator = true;
        } else if (c >= '0' && c <= '9') {
            if (separator) {
                if (++digits_after > 2)
                    return Error::invalid("« " + shown + " » : deux décimales au plus.");
                fraction = fraction * 10 + (c - '0');
            } else {
                if (++digits_before > 4)
                    return Error::invalid("« " + shown + " » dépasse le barème (/" + std::to_string(scale) + ").");
                whole = whole * 10 + (c - '0');
            }
        } else {
            return Error::invalid(
                "« " + shown + " » n'est pas une note : tapez par exemple 13,5, ou Abs, Disp, NR, NN.");
        }
    }
    if (digits_before == 0 && digits_after == 0)
        return Error::invalid("« " + shown + " » n'est pas une note : tapez par exemple 13,5, ou Abs, Disp, NR, NN.");
    if (digits_after == 1)
        fraction *= 10;
    auto const hundredths = whole * 100 + fraction;
    if (hundredths > scale * 100)
        return Error::invalid("« " + shown + " » dépasse le barème (/" + std::to_string(scale) + ").");
    mark.hundredths = hundredths;
    return mark;
}

Figures figures_of(Assessment const& assessment)
{
    Figures figures;
    double sum = 0;
    for (auto const& [student, mark] : assessment.marks)
        if (mark.counted())
            add_to(figures, static_cast<double>(mark.counted_hundredths()) / 100.0, sum);
    if (figures.counted > 0)
        figures.average = sum / static_cast<double>(figures.counted);
    return figures;
}

std::optional<double> subject_average(std::vector<Assessment const*> const& of_subject, long long student_id)
{
    double weighted = 0;
    long long weights = 0;
    for (auto const* assessment : of_subject) {
        if (assessment->coefficient_hundredths <= 0 || assessment->scale <= 0)
            continue;
        auto const found = assessment->marks.find(student_id);
        if (found == assessment->marks.end() || !found->second.counted())
            continue;
        auto const on_twenty = static_cast<double>(found->second.counted_hundredths()) / 100.0 * 20.0
            / static_cast<double>(assessment->scale);
        weighted += on_twenty * static_cast<double>(assessment->coefficient_hundredths);
        weights += assessment->coefficient_hundredths;
    }
    if (weights == 0)
        return std::nullopt;
    return weighted / static_cast<double>(weights);
}

PeriodAverages period_averages(std::vector<Assessment> const& assessments, std::vector<long long> const& students)
{
    std::map<long long, std::vector<Assessment const*>> by_subject;
    for (auto const& assessment : assessments)
        by_subject[assessment.subject_id].push_back(&assessment);

    PeriodAverages averages;
    std::map<long long, std::pair<double, long long>> overall_sums; // student → (sum, subjects)
    for (auto const& [subject, of_subject] : by_subject) {
        Figures figures;
        double sum = 0;
        for (auto const student : students) {
            auto const average = subject_average(of_subject, student);
            if (!average)
                continue;
            averages.by_subject[subject][student] = *average;
            add_to(figures, *average, sum);
            auto& overall = overall_sums[student];
            overall.first += *average;
            ++overall.second;
        }
        if (figures.counted > 0)
            figures.average = sum / static_cast<double>(figures.counted);
        averages.class_by_subject[subject] = figures;
    }
    double sum = 0;
    for (auto const student : students) {
        auto const found = overall_sums.find(student);
        if (found == overall_sums.end() || found->second.second == 0)
            continue;
        auto const overall = found->second.first / static_cast<double>(found->second.second);
        averages.overall[student] = overall;
        add_to(averages.class_overall, overall, sum);
    }
    if (averages.class_overall.counted > 0)
        averages.class_overall.average = sum / static_cast<double>(averages.class_overall.counted);
    return averages;
}

std::string_view rounding_store(Rounding rounding)
{
    switch (rounding) {
    case Rounding::Tenth:
        return "dixieme";
    case Rounding::Half:
        return "demi";
    case Rounding::Hundredth:
        break;
    }
    return "centieme";
}

Rounding rounding_from_store(std::string_view stored)
{
    if (stored == "dixieme")
        return Rounding::Tenth;
    if (stored == "demi")
        return Rounding::Half;
    return Rounding::Hundredth;
}

std::string_view rounding_label(Rounding rounding)
{
    switch (rounding) {
    case Rounding::Tenth:
        return "Au dixième";
    case Rounding::Half:
        return "Au demi-point";
    case Rounding::Hundredth:
        break;
    }
    return "Au centième";
}

double round_to(double value, Rounding rounding)
{
    double const steps = rounding == Rounding::Hundredth ? 100.0 : rounding == Rounding::Tenth ? 10.0 : 2.0;
    // The small epsilon keeps 12.345 (stored as 12.3449999…) rounding up.
    return std::floor(value * steps + 0.5 + 1e-9) / steps;
}

std::string format_average(double value, Rounding rounding)
{
    auto const rounded = round_to(value, rounding);
    char buffer[32];
    if (rounding == Rounding::Hundredth)
        std::snprintf(buffer, sizeof buffer, "%.2f", rounded);
    else if (rounding == Rounding::Tenth || std::floor(rounded) != rounded)
        std::snprintf(buffer, sizeof buffer, "%.1f", rounded);
    else
        std::snprintf(buffer, sizeof buffer, "%.0f", rounded);
    std::string text = buffer;
    std::replace(text.begin(), text.end(), '.', ',');
    return text;
}

std::string format_hundredths(long long hundredths)
{
    auto text = std::to_string(hundredths / 100);
    auto const fraction = hundredths % 100;
    if (fraction == 0)
        return text;
    text += ',';
    text += static_cast<char>('0' + fraction / 10);
    if (fraction % 10 != 0)
        text += static_cast<char>('0' + fraction % 10);
    return text;
}

std::string format_mark(Mark const& mark)
{
    if (mark.hundredths)
        return format_hundredths(*mark.hundredths);
    return std::string(code_text(mark.code));
}

} // namespace cartable::school

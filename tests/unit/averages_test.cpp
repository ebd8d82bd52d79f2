// SPDX-License-Identifier: AGPL-3.0-or-later
// The évaluations' arithmetic as tables (docs/averages.md).
#include "core/school/averages.h"
#include <gtest/gtest.h>

using namespace cartable::school;

namespace {

Mark mark(long long hundredths)
{
    return Mark { hundredths, Code::None };
}
Mark code(Code c)
{
    return Mark { std::nullopt, c };
}

Assessment assessment(long long subject, long long scale, long long coefficient, std::map<long long, Mark> marks)
{
    static long long next_id = 0;
    return Assessment { ++next_id, subject, scale, coefficient, std::move(marks) };
}

} // namespace

TEST(Averages, ParsingWhatTeachersType)
{
    struct Case {
        char const* typed;
        long long scale;
        std::optional<long long> hundredths;
        Code code;
        bool error;
    };
    Case const cases[] = {
        { "13,5", 20, 1350, Code::None, false },
        { "13.5", 20, 1350, Code::None, false },
        { " 7 ", 20, 700, Code::None, false },
        { "12,25", 20, 1225, Code::None, false },
        { "0", 20, 0, Code::None, false },
        { "20", 20, 2000, Code::None, false },
        { ",5", 20, 50, Code::None, false },
        { "Abs", 20, std::nullopt, Code::Absent, false },
        { "ABS", 20, std::nullopt, Code::Absent, false },
        { "disp", 20, std::nullopt, Code::Dispense, false },
        { "NR", 20, std::nullopt, Code::NonRendu, false },
        { "nn", 20, std::nullopt, Code::NonNote, false },
        { "", 20, std::nullopt, Code::None, false },
        { "   ", 20, std::nullopt, Code::None, false },
        { "21", 20, std::nullopt, Code::None, true },
        { "10,5", 10, std::nullopt, Code::None, true },
        { "95", 100, 9500, Code::None, false },
        { "12,345", 20, std::nullopt, Code::None, true },
        { "-3", 20, std::nullopt, Code::None, true },
        { "12,5,5", 20, std::nullopt, Code::None, true },
        { "douze", 20, std::nullopt, Code::None, true },
        { ",", 20, std::nullopt, Code::None, true },
        { "99999", 20, std::nullopt, Code::None, true },
    };
    for (auto const& c : cases) {
        SCOPED_TRACE(c.typed);
        auto parsed = parse_mark(c.typed, c.scale);
        ASSERT_EQ(parsed.is_error(), c.error);
        if (c.error) {
            EXPECT_FALSE(parsed.error().message_key.empty());
            continue;
        }
        EXPECT_EQ(parsed->hundredths, c.hundredths);
        EXPECT_EQ(parsed->code, c.code);
    }
    EXPECT_EQ(parse_mark("21", 20).error().message_key, "« 21 » dépasse le barème (/20).");
}

TEST(Averages, SubjectAverageWithCodesCoefficientsAndScales)
{
    constexpr long long LOUIS = 1;
    struct Case {
        char const* name;
        std::vector<Assessment> assessments;
        std::optional<double> expected;
    };
    std::vector<Case> cases;
    cases.push_back({ "one mark", { assessment(1, 20, 100, { { LOUIS, mark(1350) } }) }, 13.5 });
    cases.push_back({ "two marks, same coefficient",
        { assessment(1, 20, 100, { { LOUIS, mark(1000) } }), assessment(1, 20, 100, { { LOUIS, mark(1600) } }) },
        13.0 });
    cases.push_back({ "coefficient 2 weighs twice",
        { assessment(1, 20, 100, { { LOUIS, mark(1000) } }), assessment(1, 20, 200, { { LOUIS, mark(1600) } }) },
        14.0 });
    cases.push_back({ "coefficient 0,5",
        { assessment(1, 20, 50, { { LOUIS, mark(800) } }), assessment(1, 20, 100, { { LOUIS, mark(1400) } }) }, 12.0 });
    cases.push_back({ "a mark /10 is brought to 20",
        { assessment(1, 10, 100, { { LOUIS, mark(700) } }), assessment(1, 20, 100, { { LOUIS, mark(1000) } }) },
        12.0 });
    cases.push_back({ "a mark /100", { assessment(1, 100, 100, { { LOUIS, mark(7500) } }) }, 15.0 });
    cases.push_back({ "Abs is left out",
        { assessment(1, 20, 100, { { LOUIS, code(Code::Absent) } }),
            assessment(1, 20, 100, { { LOUIS, mark(1200) } }) },
        12.0 });
    cases.push_back({ "Disp is left out",
        { assessment(1, 20, 300, { { LOUIS, code(Code::Dispense) } }),
            assessment(1, 20, 100, { { LOUIS, mark(900) } }) },
        9.0 });
    cases.push_back({ "NN is left out",
        { assessment(1, 20, 100, { { LOUIS, code(Code::NonNote) } }),
            assessment(1, 20, 100, { { LOUIS, mark(1100) } }) },
        11.0 });
    cases.push_back({ "NR counts as 0",
        { assessment(1, 20, 100, { { LOUIS, code(Code::NonRendu) } }),
            assessment(1, 20, 100, { { LOUIS, mark(1600) } }) },
        8.0 });
    cases.push_back({ "a blank cell is left out",
        { assessment(1, 20, 100, {}), assessment(1, 20, 100, { { LOUIS, mark(1500) } }) }, 15.0 });
    cases.push_back({ "only codes: no average",
        { assessment(1, 20, 100, { { LOUIS, code(Code::Absent) } }),
            assessment(1, 20, 100, { { LOUIS, code(Code::Dispense) } }) },
        std::nullopt });
    cases.push_back({ "only NR: 0", { assessment(1, 20, 100, { { LOUIS, code(Code::NonRendu) } }) }, 0.0 });
    cases.push_back({ "coefficient 0 is for information only",
        { assessment(1, 20, 0, { { LOUIS, mark(400) } }), assessment(1, 20, 100, { { LOUIS, mark(1400) } }) }, 14.0 });
    cases.push_back(
        { "only coefficient 0: no average", { assessment(1, 20, 0, { { LOUIS, mark(400) } }) }, std::nullopt });
    cases.push_back({ "empty subject", {}, std::nullopt });
    for (auto const& c : cases) {
        SCOPED_TRACE(c.name);
        std::vector<Assessment const*> pointers;
        for (auto const& a : c.assessments)
            pointers.push_back(&a);
        auto const average = subject_average(pointers, LOUIS);
        ASSERT_EQ(average.has_value(), c.expected.has_value());
        if (average) {
            EXPECT_NEAR(*average, *c.expected, 1e-9);
        }
    }
}

TEST(Averages, PeriodAveragesAndClassFigures)
{
    // Two students, two subjects; Léa has no mark in subject 2.
    constexpr long long LOUIS = 1;
    constexpr long long LEA = 2;
    std::vector<Assessment> assessments {
        assessment(1, 20, 100, { { LOUIS, mark(1200) }, { LEA, mark(1600) } }),
        assessment(1, 10, 200, { { LOUIS, mark(500) }, { LEA, code(Code::Absent) } }),
        assessment(2, 20, 100, { { LOUIS, mark(1800) }, { LEA, code(Code::Dispense) } }),
    };
    auto const averages = period_averages(assessments, { LOUIS, LEA });
    // Louis: subject 1 = (12×1 + 10×2)/3 = 10.666…, subject 2 = 18.
    EXPECT_NEAR(averages.by_subject.at(1).at(LOUIS), 32.0 / 3.0, 1e-9);
    EXPECT_NEAR(averages.by_subject.at(2).at(LOUIS), 18.0, 1e-9);
    EXPECT_NEAR(averages.by_subject.at(1).at(LEA), 16.0, 1e-9);
    EXPECT_FALSE(averages.by_subject.at(2).contains(LEA));
    // Overall: each subject weighs the same.
    EXPECT_NEAR(averages.overall.at(LOUIS), (32.0 / 3.0 + 18.0) / 2.0, 1e-9);
    EXPECT_NEAR(averages.overall.at(LEA), 16.0, 1e-9);
    // Class figures per subject over the students' averages.
    auto const& first = averages.class_by_subject.at(1);
    EXPECT_NEAR(*first.average, (32.0 / 3.0 + 16.0) / 2.0, 1e-9);
    EXPECT_NEAR(*first.minimum, 32.0 / 3.0, 1e-9);
    EXPECT_NEAR(*first.maximum, 16.0, 1e-9);
    EXPECT_EQ(averages.class_by_subject.at(2).counted, 1);
    EXPECT_EQ(averages.class_overall.counted, 2);

    // Figures of one assessment on its own scale: Abs left out.
    auto const figures = figures_of(assessments[1]);
    EXPECT_EQ(figures.counted, 1);
    EXPECT_NEAR(*figures.average, 5.0, 1e-9);
    auto const nr = figures_of(assessment(1, 20, 100, { { LOUIS, code(Code::NonRendu) }, { LEA, mark(1000) } }));
    EXPECT_NEAR(*nr.average, 5.0, 1e-9);
    EXPECT_NEAR(*nr.minimum, 0.0, 1e-9);
    EXPECT_FALSE(figures_of(assessment(1, 20, 100, {})).average.has_value());
}

TEST(Averages, RoundingAndFrenchDisplay)
{
    struct Case {
        double value;
        Rounding rounding;
        char const* shown;
    };
    Case const cases[] = {
        { 12.345, Rounding::Hundredth, "12,35" },
        { 12.3, Rounding::Hundredth, "12,30" },
        { 32.0 / 3.0, Rounding::Hundredth, "10,67" },
        { 12.25, Rounding::Tenth, "12,3" },
        { 12.24, Rounding::Tenth, "12,2" },
        { 12.0, Rounding::Tenth, "12,0" },
        { 12.25, Rounding::Half, "12,5" },
        { 12.24, Rounding::Half, "12" },
        { 12.75, Rounding::Half, "13" },
        { 0.0, Rounding::Hundredth, "0,00" },
        { 20.0, Rounding::Half, "20" },
    };
    for (auto const& c : cases) {
        SCOPED_TRACE(c.shown);
        EXPECT_EQ(format_average(c.value, c.rounding), c.shown);
    }
    EXPECT_EQ(format_hundredths(1350), "13,5");
    EXPECT_EQ(format_hundredths(1225), "12,25");
    EXPECT_EQ(format_hundredths(700), "7");
    EXPECT_EQ(format_hundredths(5), "0,05");
    EXPECT_EQ(format_mark(code(Code::NonRendu)), "NR");
    EXPECT_EQ(rounding_from_store(rounding_store(Rounding::Half)), Rounding::Half);
    EXPECT_EQ(code_from_store(code_store(Code::Dispense)), Code::Dispense);
}

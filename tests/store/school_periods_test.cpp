// SPDX-License-Identifier: AGPL-3.0-or-later
// The periods of a school year: the default trimestres stored once, the
// semestres preset, the administrator's dates checked (both engines).
#include "core/school/periods.h"
#include "core/school_time.h"
#include "tests/support/app_driver.h"
#include <gtest/gtest.h>

using namespace cartable;
using cartable::testing::AppDriver;
using cartable::testing::query_value;

namespace {

long long day(int year, int month, int day_of_month)
{
    return school_time::days_from_civil({ year, month, day_of_month });
}

} // namespace

TEST(SchoolPeriods, DefaultTrimestresAreStoredOnce)
{
    AppDriver driver;
    auto const structure = query_value(driver, "SELECT id FROM identity_structure WHERE uai = '0300027A'");
    auto lease = driver.services().database->lease();
    auto& session = lease.session();
    EXPECT_EQ(school::school_year_of_day(day(2026, 11, 29)), "2026-2027");
    EXPECT_EQ(school::school_year_of_day(day(2027, 8, 31)), "2026-2027");
    EXPECT_EQ(school::school_year_of_day(day(2027, 9, 1)), "2027-2028");

    auto const periods = school::periods_of(session, structure, day(2026, 11, 29));
    ASSERT_EQ(periods.size(), 3U);
    EXPECT_EQ(periods[0].label, "Trimestre 1");
    EXPECT_EQ(periods[0].first_day, day(2026, 9, 1));
    EXPECT_EQ(periods[0].last_day, day(2026, 11, 30));
    EXPECT_EQ(periods[1].first_day, day(2026, 12, 1));
    EXPECT_EQ(periods[2].last_day, day(2027, 8, 31));
    // Asked again: the same rows, not new ones.
    auto const again = school::periods_of(session, structure, day(2027, 2, 1));
    EXPECT_EQ(again[1].id, periods[1].id);
    EXPECT_EQ(school::period_containing(session, structure, day(2027, 2, 1)).id, periods[1].id);
    EXPECT_EQ(school::period_containing(session, structure, day(2026, 11, 30)).id, periods[0].id);
    EXPECT_EQ(school::find_period(session, periods[2].id)->label, "Trimestre 3");
    EXPECT_FALSE(school::find_period(session, 987654).has_value());
}

TEST(SchoolPeriods, SetPeriodsChecksTheDatesAndKeepsIds)
{
    AppDriver driver;
    auto const structure = query_value(driver, "SELECT id FROM identity_structure WHERE uai = '0300027A'");
    auto lease = driver.services().database->lease();
    auto& session = lease.session();
    auto const trimestres = school::periods_of(session, structure, day(2026, 10, 1));

    auto semestres = school::default_periods(structure, day(2026, 10, 1), school::Division::Semestres);
    ASSERT_EQ(semestres.size(), 2U);
    EXPECT_EQ(semestres[0].last_day, day(2027, 1, 31));
    {
        soci::transaction transaction(session); // set_periods runs in the caller's transaction
        ASSERT_FALSE(school::set_periods(session, structure, semestres).is_error());
        transaction.commit();
    }
    auto const stored = school::periods_of(session, structure, day(2026, 10, 1));
    ASSERT_EQ(stored.size(), 2U);
    EXPECT_EQ(stored[0].id, trimestres[0].id); // matched by position
    EXPECT_EQ(stored[1].label, "Semestre 2");

    struct Case {
        char const* name;
        std::vector<school::Period> periods;
        char const* message;
    };
    auto gap = semestres;
    gap[1].first_day += 1;
    auto short_year = semestres;
    short_year[1].last_day -= 1;
    auto reversed = semestres;
    reversed[0].last_day = reversed[0].first_day - 1;
    auto unnamed = semestres;
    unnamed[0].label.clear();
    std::vector<Case> const cases {
        { "gap", gap,
            "La période « Semestre 2 » doit commencer le lendemain de la précédente (le 1er septembre pour la "
            "première)." },
        { "short", short_year, "La dernière période doit se terminer le 31 août." },
        { "reversed", reversed, "La période « Semestre 1 » se termine avant de commencer." },
        { "unnamed", unnamed, "Chaque période a un nom (60 caractères au plus)." },
        { "none", {}, "Indiquez entre une et six périodes." },
    };
    for (auto const& c : cases) {
        SCOPED_TRACE(c.name);
        soci::transaction transaction(session);
        auto const result = school::set_periods(session, structure, c.periods);
        transaction.rollback();
        ASSERT_TRUE(result.is_error());
        EXPECT_EQ(result.error().message_key, c.message);
        EXPECT_EQ(school::periods_of(session, structure, day(2026, 10, 1)).size(), 2U); // nothing changed
    }
}

TEST(SchoolPeriods, APeriodWithAssessmentsIsNotDropped)
{
    AppDriver driver;
    auto const structure = query_value(driver, "SELECT id FROM identity_structure WHERE uai = '0300027A'");
    auto lease = driver.services().database->lease();
    auto& session = lease.session();
    auto const trimestres = school::periods_of(session, structure, day(2026, 10, 1));
    auto const tpro = query_value(driver, "SELECT id FROM identity_class WHERE name = 'TPRO'");
    auto const subject = query_value(driver, "SELECT MIN(id) FROM identity_subject");
    soci::transaction transaction(session);
    session << "INSERT INTO assessments_assessment (structure_id, class_id, subject_id, period_id, day, title, "
               "created_at, updated_at) VALUES (:structure, :class, :subject, :period, :day, 'Bilan', 0, 0)",
        soci::use(structure), soci::use(tpro), soci::use(subject), soci::use(trimestres[2].id),
        soci::use(day(2027, 4, 1));
    auto const result = school::set_periods(
        session, structure, school::default_periods(structure, day(2026, 10, 1), school::Division::Semestres));
    ASSERT_TRUE(result.is_error());
    EXPECT_EQ(result.error().kind, ErrorKind::Conflict);
    transaction.rollback();
    EXPECT_EQ(school::periods_of(session, structure, day(2026, 10, 1)).size(), 3U);
}

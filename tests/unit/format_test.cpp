// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/i18n/format.h"

#include <cstdlib>
#include <ctime>
#include <gtest/gtest.h>

using namespace cartable::i18n;

namespace {

void use_paris_time()
{
    setenv("TZ", "Europe/Paris", 1);
    tzset();
}

constexpr std::time_t monday_10_june_2019_0953 = 1560153180;

} // namespace

TEST(FrenchFormat, LongDateTime)
{
    use_paris_time();
    EXPECT_EQ(format_long_datetime(monday_10_june_2019_0953), "lundi 10 juin 2019 09:53");
}

TEST(FrenchFormat, LongDateShortDateAndTime)
{
    use_paris_time();
    EXPECT_EQ(format_long_date(monday_10_june_2019_0953), "lundi 10 juin 2019");
    EXPECT_EQ(format_short_date(monday_10_june_2019_0953), "10/06/2019");
    EXPECT_EQ(format_time(monday_10_june_2019_0953), "09:53");
}

TEST(FrenchFormat, WeekdaysAndMonthsWithAccents)
{
    use_paris_time();
    // 2019-02-03 12:00 UTC is a Sunday, in winter time (UTC+1).
    EXPECT_EQ(format_long_datetime(1549195200), "dimanche 3 février 2019 13:00");
    // 2019-08-15 10:00 UTC, a Thursday in summer time (UTC+2).
    EXPECT_EQ(format_long_date(1565863200), "jeudi 15 août 2019");
    // 2019-12-31 23:30 UTC is already the new year in Paris.
    EXPECT_EQ(format_long_datetime(1577835000), "mercredi 1 janvier 2020 00:30");
    EXPECT_EQ(format_short_date(1577835000), "01/01/2020");
    // 2019-12-25 08:05 UTC.
    EXPECT_EQ(format_long_datetime(1577261100), "mercredi 25 décembre 2019 09:05");
}

TEST(FrenchFormat, FollowsTheTimeZone)
{
    setenv("TZ", "UTC", 1);
    tzset();
    EXPECT_EQ(format_time(monday_10_june_2019_0953), "07:53");
    use_paris_time();
    EXPECT_EQ(format_time(monday_10_june_2019_0953), "09:53");
}

TEST(FrenchFormat, RelativeTimes)
{
    std::time_t const now = 1700000000;
    constexpr long minute = 60;
    constexpr long hour = 3600;
    constexpr long day = 86400;
    EXPECT_EQ(format_relative(now, now), "à l'instant");
    EXPECT_EQ(format_relative(now - 59, now), "à l'instant");
    EXPECT_EQ(format_relative(now + 30, now), "à l'instant");
    EXPECT_EQ(format_relative(now - minute, now), "il y a 1 minute");
    EXPECT_EQ(format_relative(now - 5 * minute - 10, now), "il y a 5 minutes");
    EXPECT_EQ(format_relative(now - 59 * minute, now), "il y a 59 minutes");
    EXPECT_EQ(format_relative(now - hour, now), "il y a 1 heure");
    EXPECT_EQ(format_relative(now - 23 * hour, now), "il y a 23 heures");
    EXPECT_EQ(format_relative(now - day, now), "il y a 1 jour");
    EXPECT_EQ(format_relative(now - 3 * day, now), "il y a 3 jours");
    EXPECT_EQ(format_relative(now - 29 * day, now), "il y a 29 jours");
    EXPECT_EQ(format_relative(now - 30 * day, now), "il y a 1 mois");
    EXPECT_EQ(format_relative(now - 65 * day, now), "il y a 2 mois");
    EXPECT_EQ(format_relative(now - 364 * day, now), "il y a 12 mois");
    EXPECT_EQ(format_relative(now - 365 * day, now), "il y a 1 an");
    EXPECT_EQ(format_relative(now - 3 * 365 * day, now), "il y a 3 ans");
    EXPECT_EQ(format_relative(now + 3 * day, now), "dans 3 jours");
    EXPECT_EQ(format_relative(now + hour, now), "dans 1 heure");
    EXPECT_EQ(format_relative(now + 2 * 365 * day, now), "dans 2 ans");
}

TEST(FrenchFormat, Sizes)
{
    constexpr std::uint64_t kibi = 1024;
    constexpr std::uint64_t mebi = 1024 * kibi;
    constexpr std::uint64_t gibi = 1024 * mebi;
    EXPECT_EQ(format_size(0), "0 octet");
    EXPECT_EQ(format_size(1), "1 octet");
    EXPECT_EQ(format_size(2), "2 octets");
    EXPECT_EQ(format_size(512), "512 octets");
    EXPECT_EQ(format_size(1023), "1023 octets");
    EXPECT_EQ(format_size(1024), "1 Ko");
    EXPECT_EQ(format_size(1536), "2 Ko");
    EXPECT_EQ(format_size(559104), "546 Ko");
    EXPECT_EQ(format_size(300 * mebi - 546 * kibi), "299.5 Mo");
    EXPECT_EQ(format_size(300 * mebi), "300 Mo");
    EXPECT_EQ(format_size(mebi), "1 Mo");
    EXPECT_EQ(format_size(mebi - 1), "1 Mo");
    EXPECT_EQ(format_size(mebi + mebi / 2), "1.5 Mo");
    EXPECT_EQ(format_size(gibi - 1), "1 Go");
    EXPECT_EQ(format_size(gibi), "1 Go");
    EXPECT_EQ(format_size(gibi + gibi / 5), "1.2 Go");
    EXPECT_EQ(format_size(2048 * gibi), "2048 Go");
    EXPECT_FALSE(format_size(UINT64_MAX).empty());
}

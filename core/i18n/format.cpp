// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/i18n/format.h"

#include <array>
#include <cstdio>

namespace cartable::i18n {

namespace {

constexpr std::array<char const*, 7> weekday_names { "dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi",
    "samedi" };
constexpr std::array<char const*, 12> month_names { "janvier", "février", "mars", "avril", "mai", "juin", "juillet",
    "août", "septembre", "octobre", "novembre", "décembre" };

std::tm local_time(std::time_t when)
{
    std::tm parts {};
    // localtime_r and not std::localtime: the server formats from many threads.
    if (!localtime_r(&when, &parts))
        parts = {};
    return parts;
}

std::string two_digits(int value)
{
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "%02d", value);
    return buffer;
}

std::string long_date(std::tm const& parts)
{
    std::string text = weekday_names[static_cast<std::size_t>(parts.tm_wday) % 7];
    text += ' ';
    text += std::to_string(parts.tm_mday);
    text += ' ';
    text += month_names[static_cast<std::size_t>(parts.tm_mon) % 12];
    text += ' ';
    text += std::to_string(parts.tm_year + 1900);
    return text;
}

std::string clock_time(std::tm const& parts)
{
    return two_digits(parts.tm_hour) + ":" + two_digits(parts.tm_min);
}

// French puts the plural on « heures », « jours », « ans », but « mois » never
// changes; 0 and 1 both take the singular.
std::string count_with_unit(long long count, char const* singular, char const* plural)
{
    return std::to_string(count) + " " + (count <= 1 ? singular : plural);
}

// value / unit with one decimal, rounded half up, as a count of tenths;
// written so that a size near 2^64 does not overflow.
std::uint64_t tenths_of(std::uint64_t bytes, std::uint64_t unit)
{
    return (bytes / unit) * 10 + ((bytes % unit) * 20 + unit) / (2 * unit);
}

std::string with_one_decimal(std::uint64_t tenths, char const* unit_name)
{
    std::string text = std::to_string(tenths / 10);
    if (tenths % 10 != 0) {
        text += '.';
        text += static_cast<char>('0' + tenths % 10);
    }
    text += ' ';
    text += unit_name;
    return text;
}

} // namespace

std::string format_long_datetime(std::time_t when)
{
    std::tm parts = local_time(when);
    return long_date(parts) + " " + clock_time(parts);
}

std::string format_long_date(std::time_t when)
{
    return long_date(local_time(when));
}

std::string format_short_date(std::time_t when)
{
    std::tm parts = local_time(when);
    return two_digits(parts.tm_mday) + "/" + two_digits(parts.tm_mon + 1) + "/" + std::to_string(parts.tm_year + 1900);
}

std::string format_time(std::time_t when)
{
    return clock_time(local_time(when));
}

std::string format_relative(std::time_t when, std::time_t now)
{
    bool const future = when > now;
    long long seconds = future ? static_cast<long long>(when) - now : static_cast<long long>(now) - when;
    if (seconds < 60)
        return "à l'instant";

    constexpr long long minute = 60;
    constexpr long long hour = 60 * minute;
    constexpr long long day = 24 * hour;
    std::string amount;
    if (seconds < hour) {
        amount = count_with_unit(seconds / minute, "minute", "minutes");
    } else if (seconds < day) {
        amount = count_with_unit(seconds / hour, "heure", "heures");
    } else if (seconds < 30 * day) {
        amount = count_with_unit(seconds / day, "jour", "jours");
    } else if (seconds < 365 * day) {
        amount = count_with_unit(seconds / day / 30, "mois", "mois");
    } else {
        amount = count_with_unit(seconds / day / 365, "an", "ans");
    }
    return (future ? "dans " : "il y a ") + amount;
}

std::string format_size(std::uint64_t bytes)
{
    constexpr std::uint64_t kibi = 1024;
    constexpr std::uint64_t mebi = kibi * 1024;
    constexpr std::uint64_t gibi = mebi * 1024;
    if (bytes < kibi)
        return count_with_unit(static_cast<long long>(bytes), "octet", "octets");
    if (bytes < mebi) {
        std::uint64_t kilo = (bytes * 2 + kibi) / (2 * kibi);
        // 1023.6 Ko reads better as « 1 Mo » than as « 1024 Ko ».
        if (kilo < 1024)
            return std::to_string(kilo) + " Ko";
    }
    if (bytes < gibi) {
        std::uint64_t tenths = tenths_of(bytes, mebi);
        if (tenths < 1024ULL * 10)
            return with_one_decimal(tenths, "Mo");
    }
    return with_one_decimal(tenths_of(bytes, gibi), "Go");
}

} // namespace cartable::i18n

// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/school_time.h"
#include <algorithm>
#include <array>
#include <charconv>
#include <cstdio>
#include <initializer_list>

namespace cartable::school_time {

namespace {

constexpr std::array<char const*, 7> WEEKDAYS { "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi",
    "dimanche" };
constexpr std::array<char const*, 12> MONTHS { "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
    "septembre", "octobre", "novembre", "décembre" };

std::string two_digits(long long value)
{
    char buffer[24];
    std::snprintf(buffer, sizeof buffer, "%02lld", value);
    return buffer;
}

std::string four_digits(long long value)
{
    char buffer[24];
    std::snprintf(buffer, sizeof buffer, "%04lld", value);
    return buffer;
}

// The day of the last Sunday of a month.
long long last_sunday(int year, int month)
{
    Date first_of_next { month == 12 ? year + 1 : year, month == 12 ? 1 : month + 1, 1 };
    auto last = days_from_civil(first_of_next) - 1;
    return last - (weekday(last) + 1) % 7;
}

std::optional<int> number(std::string_view text)
{
    int value = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size() || text.empty())
        return std::nullopt;
    return value;
}

std::optional<long long> checked_day(std::optional<int> year, std::optional<int> month, std::optional<int> day)
{
    if (!year || !month || !day || *year < 1971 || *year > 2200 || *month < 1 || *month > 12 || *day < 1)
        return std::nullopt;
    auto days = days_from_civil({ *year, *month, *day });
    auto back = civil_from_days(days);
    if (back.day != *day || back.month != *month)
        return std::nullopt; // « 31/02 »
    return days;
}

} // namespace

long long floor_div(long long value, long long divisor)
{
    auto quotient = value / divisor;
    if ((value % divisor != 0) && ((value < 0) != (divisor < 0)))
        --quotient;
    return quotient;
}

// Howard Hinnant's algorithms (chrono-compatible low-level date algorithms).
long long days_from_civil(Date date)
{
    long long year = date.month <= 2 ? date.year - 1 : date.year;
    long long const era = floor_div(year, 400);
    long long const year_of_era = year - era * 400;
    long long const month = date.month;
    long long const day_of_year = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + date.day - 1;
    long long const day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    return era * 146097 + day_of_era - 719468;
}

Date civil_from_days(long long days)
{
    days += 719468;
    long long const era = floor_div(days, 146097);
    long long const day_of_era = days - era * 146097;
    long long const year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
    long long const day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    long long const shifted_month = (5 * day_of_year + 2) / 153;
    long long const day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
    long long const month = shifted_month < 10 ? shifted_month + 3 : shifted_month - 9;
    long long const year = year_of_era + era * 400 + (month <= 2 ? 1 : 0);
    return { static_cast<int>(year), static_cast<int>(month), static_cast<int>(day) };
}

int weekday(long long days)
{
    // 1970-01-01 was a Thursday (3, counting from Monday).
    return static_cast<int>(((days + 3) % 7 + 7) % 7);
}

long long local_from_unix(long long unix_seconds)
{
    auto minutes = floor_div(unix_seconds, 60);
    auto year = civil_from_days(floor_div(minutes, MINUTES_PER_DAY)).year;
    auto summer_from = last_sunday(year, 3) * MINUTES_PER_DAY + 60; // 01:00 UTC
    auto summer_to = last_sunday(year, 10) * MINUTES_PER_DAY + 60;
    return minutes + (minutes >= summer_from && minutes < summer_to ? 120 : 60);
}

long long unix_from_local(long long local_minutes)
{
    auto year = civil_from_days(floor_div(local_minutes, MINUTES_PER_DAY)).year;
    // Summer time from 02:00 (the hour that does not exist counts as summer)
    // to 03:00 local time, when it is 01:00 UTC.
    auto summer_from = last_sunday(year, 3) * MINUTES_PER_DAY + 120;
    auto summer_to = last_sunday(year, 10) * MINUTES_PER_DAY + 180;
    auto offset = local_minutes >= summer_from && local_minutes < summer_to ? 120 : 60;
    return (local_minutes - offset) * 60;
}

std::optional<long long> parse_day(std::string_view text)
{
    while (!text.empty() && text.front() == ' ')
        text.remove_prefix(1);
    while (!text.empty() && text.back() == ' ')
        text.remove_suffix(1);
    if (text.size() == 10 && text[4] == '-' && text[7] == '-')
        return checked_day(number(text.substr(0, 4)), number(text.substr(5, 2)), number(text.substr(8, 2)));
    if (text.size() == 10 && text[2] == '/' && text[5] == '/')
        return checked_day(number(text.substr(6, 4)), number(text.substr(3, 2)), number(text.substr(0, 2)));
    return std::nullopt;
}

std::optional<long long> parse_clock(std::string_view text)
{
    while (!text.empty() && text.front() == ' ')
        text.remove_prefix(1);
    while (!text.empty() && text.back() == ' ')
        text.remove_suffix(1);
    auto separator = text.find_first_of(":h");
    if (separator == std::string_view::npos || separator == 0 || separator > 2)
        return std::nullopt;
    auto const hours = number(text.substr(0, separator));
    auto rest = text.substr(separator + 1);
    if (rest.size() == 5 && text[separator] == ':' && rest.substr(2) == ":00")
        rest = rest.substr(0, 2); // « 09:30:00 »
    std::optional<int> minutes = 0;
    if (!rest.empty() || text[separator] == ':')
        minutes = rest.size() == 2 ? number(rest) : std::nullopt; // « 9h » is « 9h00 »
    if (!hours || !minutes || *hours < 0 || *hours > 23 || *minutes < 0 || *minutes > 59)
        return std::nullopt;
    return static_cast<long long>(*hours) * 60 + *minutes;
}

std::string iso_day(long long days)
{
    auto date = civil_from_days(days);
    return four_digits(date.year) + "-" + two_digits(date.month) + "-" + two_digits(date.day);
}

std::string clock(long long local_minutes)
{
    auto in_day = local_minutes - floor_div(local_minutes, MINUTES_PER_DAY) * MINUTES_PER_DAY;
    return two_digits(in_day / 60) + ":" + two_digits(in_day % 60);
}

std::string long_day(long long days)
{
    auto date = civil_from_days(days);
    std::string text = WEEKDAYS[static_cast<std::size_t>(weekday(days))];
    text += ' ';
    text += date.day == 1 ? "1er" : std::to_string(date.day);
    text += ' ';
    text += MONTHS[static_cast<std::size_t>(date.month - 1)];
    text += ' ';
    text += std::to_string(date.year);
    return text;
}

std::string month_title(int year, int month)
{
    return std::string(MONTHS[static_cast<std::size_t>((month - 1) % 12)]) + " " + std::to_string(year);
}

std::string weekday_name(int index)
{
    return WEEKDAYS[static_cast<std::size_t>(index % 7)];
}

std::string ics_escape(std::string_view text)
{
    std::string result;
    result.reserve(text.size());
    for (std::size_t index = 0; index < text.size(); ++index) {
        char const c = text[index];
        switch (c) {
        case '\\':
            result += "\\\\";
            break;
        case ';':
            result += "\\;";
            break;
        case ',':
            result += "\\,";
            break;
        case '\r':
            if (index + 1 < text.size() && text[index + 1] == '\n')
                break; // CRLF: one line break
            result += "\\n";
            break;
        case '\n':
            result += "\\n";
            break;
        default:
            // Other control characters are not allowed in TEXT (RFC 5545 3.3.11).
            if ((static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7f)
                break;
            result += c;
        }
    }
    return result;
}

std::string ics_line(std::string_view line)
{
    std::string result;
    result.reserve(line.size() + line.size() / 70 * 3 + 2);
    std::size_t limit = 75; // octets on the first line; 74 after the leading space of the next ones
    std::size_t used = 0;
    for (std::size_t index = 0; index < line.size();) {
        // The length of the UTF-8 character starting here.
        auto const lead = static_cast<unsigned char>(line[index]);
        std::size_t length = lead < 0x80 ? 1
            : (lead >> 5) == 0x6         ? 2
            : (lead >> 4) == 0xe         ? 3
            : (lead >> 3) == 0x1e        ? 4
                                         : 1;
        length = std::min(length, line.size() - index);
        if (used + length > limit) {
            result += "\r\n ";
            used = 1;
        }
        result.append(line.substr(index, length));
        used += length;
        index += length;
    }
    result += "\r\n";
    return result;
}

std::string ics_local_time(long long minutes)
{
    auto date = civil_from_days(floor_div(minutes, MINUTES_PER_DAY));
    auto in_day = minutes - floor_div(minutes, MINUTES_PER_DAY) * MINUTES_PER_DAY;
    return four_digits(date.year) + two_digits(date.month) + two_digits(date.day) + "T" + two_digits(in_day / 60)
        + two_digits(in_day % 60) + "00";
}

std::string ics_date(long long days)
{
    auto date = civil_from_days(days);
    return four_digits(date.year) + two_digits(date.month) + two_digits(date.day);
}

std::string ics_utc(long long unix_seconds)
{
    auto days = floor_div(unix_seconds, 86400);
    auto in_day = unix_seconds - days * 86400;
    return ics_date(days) + "T" + two_digits(in_day / 3600) + two_digits(in_day / 60 % 60) + two_digits(in_day % 60)
        + "Z";
}

std::string ics_timezone()
{
    std::string out;
    for (auto const* text : { "BEGIN:VTIMEZONE", "TZID:Europe/Paris", "BEGIN:DAYLIGHT", "TZOFFSETFROM:+0100",
             "TZOFFSETTO:+0200", "TZNAME:CEST", "DTSTART:19700329T020000", "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
             "END:DAYLIGHT", "BEGIN:STANDARD", "TZOFFSETFROM:+0200", "TZOFFSETTO:+0100", "TZNAME:CET",
             "DTSTART:19701025T030000", "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU", "END:STANDARD", "END:VTIMEZONE" })
        out += ics_line(text);
    return out;
}

std::string ics_webcal(std::string const& url)
{
    auto const scheme = url.find("://");
    return scheme == std::string::npos ? url : "webcal" + url.substr(scheme);
}

} // namespace cartable::school_time

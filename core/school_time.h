// SPDX-License-Identifier: AGPL-3.0-or-later
// The school's calendar without the database: civil dates, the school's
// wall-clock time (Europe/Paris) across the change of hour, French texts of
// days, and the pieces of an iCalendar (RFC 5545) feed. Shared by the class
// spaces' agenda, the timetable and the lesson book.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace cartable::school_time {

// Times are « local minutes »: minutes since 1970-01-01 00:00 in the
// school's wall-clock time (Europe/Paris), so that a weekly lesson at 10:00
// stays at 10:00 across the change of hour. Days are days since 1970-01-01.
inline constexpr long long MINUTES_PER_DAY = 1440;

// Civil dates.
struct Date {
    int year { 1970 };
    int month { 1 }; // 1..12
    int day { 1 };
};
long long days_from_civil(Date date);
Date civil_from_days(long long days);
int weekday(long long days); // 0: lundi … 6: dimanche
long long floor_div(long long value, long long divisor);

// Europe/Paris: CET (UTC+1), CEST (UTC+2) from the last Sunday of March to
// the last Sunday of October, at 01:00 UTC.
long long local_from_unix(long long unix_seconds); // local minutes
long long unix_from_local(long long local_minutes); // Unix seconds
// The school's day of a Unix time.
inline long long day_of_unix(long long unix_seconds)
{
    return floor_div(local_from_unix(unix_seconds), MINUTES_PER_DAY);
}

// « 2026-11-28 » (a date field) or « 28/11/2026 »; nothing for anything else.
std::optional<long long> parse_day(std::string_view text);
// « 09:30 » or « 9h30 »: minutes of the day.
std::optional<long long> parse_clock(std::string_view text);
std::string iso_day(long long days); // « 2026-11-28 »
std::string clock(long long local_minutes); // « 09:30 »

// « lundi 10 juin 2019 », « juin 2019 », « lundi »
std::string long_day(long long days);
std::string month_title(int year, int month);
std::string weekday_name(int index);

// iCalendar.
// TEXT escaping: backslash, semicolon, comma and line breaks.
std::string ics_escape(std::string_view text);
// One content line, folded at 75 octets without cutting a UTF-8 character,
// ending with CRLF.
std::string ics_line(std::string_view line);
std::string ics_local_time(long long local_minutes); // « 20261128T093000 »
std::string ics_date(long long days); // « 20261128 »
std::string ics_utc(long long unix_seconds); // « 20261128T083000Z »
// The VTIMEZONE of Europe/Paris, as content lines.
std::string ics_timezone();
// The same address with the webcal scheme, which calendar applications
// open as a subscription (« webcal://ent.example/…ics »).
std::string ics_webcal(std::string const& url);

} // namespace cartable::school_time

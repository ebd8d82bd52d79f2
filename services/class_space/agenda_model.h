// SPDX-License-Identifier: AGPL-3.0-or-later
// The agenda of a space without the database: events in the school's time
// (Europe/Paris), their repetitions expanded over a range, the French
// texts of their dates, and the iCalendar (RFC 5545) feed.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cartable::class_space::agenda {

// Times are « local minutes »: minutes since 1970-01-01 00:00 in the
// school's wall-clock time (Europe/Paris), so that a weekly event at 10:00
// stays at 10:00 across the change of hour. Days are days since 1970-01-01.
inline constexpr long long MINUTES_PER_DAY = 1440;

enum class Repeat { None, Daily, Weekly };

struct Event {
    long long id { 0 };
    long long space_id { 0 };
    long long author_id { 0 }; // 0: a former member
    std::string author_name;
    std::string title;
    std::string place;
    std::string description; // plain text, line breaks kept
    bool all_day { false };
    long long start { 0 }; // local minutes
    long long end { 0 }; // exclusive: an all-day event ends at the midnight after its last day
    Repeat repeat { Repeat::None };
    long long until_day { 0 }; // the last day an occurrence may start on (with a repetition)
    long long created_at { 0 }; // Unix seconds
    long long updated_at { 0 };
};

// The local minute after which no occurrence of the event goes on.
long long series_end(Event const& event);

struct Occurrence {
    Event const* event { nullptr };
    long long start { 0 };
    long long end { 0 };
};

// The occurrences that overlap [from, to), by start then title; at most
// `limit` of them.
std::vector<Occurrence> expand(std::vector<Event> const& events, long long from, long long to, std::size_t limit);

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

// « 2026-11-28 » (a date field) or « 28/11/2026 »; nothing for anything else.
std::optional<long long> parse_day(std::string_view text);
// « 09:30 » or « 9h30 »: minutes of the day.
std::optional<long long> parse_clock(std::string_view text);
std::string iso_day(long long days); // « 2026-11-28 »
std::string clock(long long local_minutes); // « 09:30 »

// « lundi 10 juin 2019 », « 10 juin », « juin 2019 », « lun. »
std::string long_day(long long days);
std::string month_title(int year, int month);
std::string weekday_name(int index);
// « lundi 10 juin 2019, de 10:00 à 11:00 », « mardi 1 décembre 2026 (toute la journée) »,
// « du lundi … 17:00 au mardi … 09:00 ».
std::string when_text(bool all_day, long long start, long long end);
// « Tous les mardis jusqu'au vendredi 18 décembre 2026 », « Tous les jours jusqu'au … », "".
std::string repeat_text(Event const& event);

// iCalendar.
// TEXT escaping: backslash, semicolon, comma and line breaks.
std::string ics_escape(std::string_view text);
// One content line, folded at 75 octets without cutting a UTF-8 character,
// ending with CRLF.
std::string ics_line(std::string_view line);
struct Calendar {
    std::string name; // « Classe TPRO »
    std::string uid_domain; // the host: UIDs are « evenement-42@host »
    std::string base_url; // « https://ent.example/espaces/12/agenda »: each event's URL
};
// DTSTAMP and LAST-MODIFIED are the event's last change: the same feed
// twice is the same text.
std::string ics_calendar(Calendar const& calendar, std::vector<Event> const& events);

} // namespace cartable::class_space::agenda

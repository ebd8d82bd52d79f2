// SPDX-License-Identifier: AGPL-3.0-or-later
// The agenda of a space without the database: events in the school's time
// (Europe/Paris), their repetitions expanded over a range, the French
// texts of their dates, and the iCalendar (RFC 5545) feed.
#pragma once

#include "core/school_time.h"
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cartable::class_space::agenda {

// Times are local minutes and days are days (core/school_time.h).

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

using school_time::civil_from_days;
using school_time::clock;
using school_time::Date;
using school_time::days_from_civil;
using school_time::floor_div;
using school_time::ics_escape;
using school_time::ics_line;
using school_time::iso_day;
using school_time::local_from_unix;
using school_time::long_day;
using school_time::MINUTES_PER_DAY;
using school_time::month_title;
using school_time::parse_clock;
using school_time::parse_day;
using school_time::unix_from_local;
using school_time::weekday;
using school_time::weekday_name;

// « lundi 10 juin 2019, de 10:00 à 11:00 », « mardi 1 décembre 2026 (toute la journée) »,
// « du lundi … 17:00 au mardi … 09:00 ».
std::string when_text(bool all_day, long long start, long long end);
// « Tous les mardis jusqu'au vendredi 18 décembre 2026 », « Tous les jours jusqu'au … », "".
std::string repeat_text(Event const& event);

// iCalendar.
struct Calendar {
    std::string name; // « Classe TPRO »
    std::string uid_domain; // the host: UIDs are « evenement-42@host »
    std::string base_url; // « https://ent.example/espaces/12/agenda »: each event's URL
};
// DTSTAMP and LAST-MODIFIED are the event's last change: the same feed
// twice is the same text.
std::string ics_calendar(Calendar const& calendar, std::vector<Event> const& events);

} // namespace cartable::class_space::agenda

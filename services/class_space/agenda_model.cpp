// SPDX-License-Identifier: AGPL-3.0-or-later
#include "services/class_space/agenda_model.h"
#include <algorithm>
#include <initializer_list>

namespace cartable::class_space::agenda {

using school_time::ics_date;
using school_time::ics_local_time;
using school_time::ics_timezone;
using school_time::ics_utc;

long long series_end(Event const& event)
{
    if (event.repeat == Repeat::None)
        return event.end;
    return (event.until_day + 1) * MINUTES_PER_DAY + (event.end - event.start);
}

std::vector<Occurrence> expand(std::vector<Event> const& events, long long from, long long to, std::size_t limit)
{
    std::vector<Occurrence> result;
    for (auto const& event : events) {
        auto const duration = std::max(0LL, event.end - event.start);
        auto const overlaps = [&](long long start) {
            return start < to && (start + duration > from || (duration == 0 && start >= from));
        };
        if (event.repeat == Repeat::None) {
            if (overlaps(event.start))
                result.push_back({ &event, event.start, event.start + duration });
            continue;
        }
        long long const step = event.repeat == Repeat::Daily ? MINUTES_PER_DAY : 7 * MINUTES_PER_DAY;
        // The first occurrence that may still go on at `from`.
        long long index = std::max(0LL, floor_div(from - duration - event.start, step));
        auto const last_start = (event.until_day + 1) * MINUTES_PER_DAY; // exclusive
        for (auto start = event.start + index * step; start < to && start < last_start; start += step) {
            if (overlaps(start))
                result.push_back({ &event, start, start + duration });
            if (result.size() > 4 * limit + 1000)
                break; // bounded whatever the range
        }
    }
    std::sort(result.begin(), result.end(), [](Occurrence const& a, Occurrence const& b) {
        if (a.start != b.start)
            return a.start < b.start;
        if (a.event->all_day != b.event->all_day)
            return a.event->all_day;
        return a.event->title < b.event->title;
    });
    if (result.size() > limit)
        result.resize(limit);
    return result;
}

std::string when_text(bool all_day, long long start, long long end)
{
    auto const first_day = floor_div(start, MINUTES_PER_DAY);
    if (all_day) {
        auto const last_day = floor_div(end, MINUTES_PER_DAY) - 1;
        if (last_day <= first_day)
            return long_day(first_day) + " (toute la journée)";
        return "du " + long_day(first_day) + " au " + long_day(last_day) + " (toute la journée)";
    }
    auto const last_day = floor_div(end, MINUTES_PER_DAY);
    if (last_day == first_day || end == start)
        return long_day(first_day) + ", de " + clock(start) + " à " + clock(end);
    if (last_day == first_day + 1 && end == last_day * MINUTES_PER_DAY)
        return long_day(first_day) + ", de " + clock(start) + " à minuit";
    return "du " + long_day(first_day) + " " + clock(start) + " au " + long_day(last_day) + " " + clock(end);
}

std::string repeat_text(Event const& event)
{
    if (event.repeat == Repeat::None)
        return {};
    auto const until = " jusqu'au " + long_day(event.until_day);
    if (event.repeat == Repeat::Daily)
        return "Tous les jours" + until;
    return "Tous les " + weekday_name(weekday(floor_div(event.start, MINUTES_PER_DAY))) + "s" + until;
}

std::string ics_calendar(Calendar const& calendar, std::vector<Event> const& events)
{
    std::string out;
    auto const line = [&](std::string_view text) { out += ics_line(text); };
    line("BEGIN:VCALENDAR");
    line("VERSION:2.0");
    line("PRODID:-//Cartable//Agenda des espaces de classe//FR");
    line("CALSCALE:GREGORIAN");
    line("METHOD:PUBLISH");
    line("X-WR-CALNAME:" + ics_escape(calendar.name));
    line("X-WR-TIMEZONE:Europe/Paris");
    out += ics_timezone();
    // One content line from its pieces, without temporaries.
    auto const parts = [&](std::initializer_list<std::string_view> pieces) {
        std::string text;
        for (auto piece : pieces)
            text.append(piece);
        out += ics_line(text);
    };
    for (auto const& event : events) {
        auto const id = std::to_string(event.id);
        line("BEGIN:VEVENT");
        parts({ "UID:evenement-", id, "@", calendar.uid_domain });
        auto const changed = event.updated_at != 0 ? event.updated_at : event.created_at;
        parts({ "DTSTAMP:", ics_utc(changed) });
        parts({ "CREATED:", ics_utc(event.created_at) });
        parts({ "LAST-MODIFIED:", ics_utc(changed) });
        if (event.all_day) {
            parts({ "DTSTART;VALUE=DATE:", ics_date(floor_div(event.start, MINUTES_PER_DAY)) });
            parts({ "DTEND;VALUE=DATE:", ics_date(floor_div(event.end, MINUTES_PER_DAY)) });
        } else {
            parts({ "DTSTART;TZID=Europe/Paris:", ics_local_time(event.start) });
            parts({ "DTEND;TZID=Europe/Paris:", ics_local_time(event.end) });
        }
        if (event.repeat != Repeat::None) {
            // UNTIL is a date for a date DTSTART, a UTC time for a zoned one
            // (RFC 5545 3.3.10): the end of the last day, in Paris.
            auto const until = event.all_day ? ics_date(event.until_day)
                                             : ics_utc(unix_from_local((event.until_day + 1) * MINUTES_PER_DAY) - 1);
            parts({ "RRULE:FREQ=", event.repeat == Repeat::Daily ? "DAILY" : "WEEKLY", ";UNTIL=", until });
        }
        parts({ "SUMMARY:", ics_escape(event.title) });
        if (!event.place.empty())
            parts({ "LOCATION:", ics_escape(event.place) });
        if (!event.description.empty())
            parts({ "DESCRIPTION:", ics_escape(event.description) });
        if (!calendar.base_url.empty())
            parts({ "URL:", calendar.base_url, "/", id });
        line("END:VEVENT");
    }
    line("END:VCALENDAR");
    return out;
}

} // namespace cartable::class_space::agenda

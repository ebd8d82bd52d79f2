// SPDX-License-Identifier: AGPL-3.0-or-later
// What the teachers' and the direction's pages share.
#pragma once

#include "core/context.h"
#include "core/school_time.h"
#include "core/view/frame.h"
#include "services/lesson_book/lesson_book_internal.h"
#include "services/lesson_book/lesson_book_store.h"
#include <string>
#include <vector>

namespace cartable::lesson_book {

inline constexpr char const* TEACHER_BASE = "/cahier-de-textes/enseignant";
inline constexpr char const* SCHOOL_BASE = "/cahier-de-textes/etablissement";
inline constexpr char const* READERS = "lesson_book.readers";
// « Journée chargée »: from this many items or minutes of homework a day.
inline constexpr std::size_t BUSY_DAY_ITEMS = 3;
inline constexpr long long BUSY_DAY_MINUTES = 90;

inline long long today_of(Context const& context)
{
    return school_time::day_of_unix(context.now);
}
inline long long monday_of(long long day)
{
    return day - school_time::weekday(day);
}
// « 28/11/2026 »
std::string short_day(long long day);
// The Monday of the week asked (?semaine=2026-11-23), or of today's.
long long asked_monday(Context const& context);

// The homework of a class due that day, as « Déjà 2 travaux pour ce jour
// (MATHÉMATIQUES, FRANÇAIS) »; empty when none.
std::string load_of_day(std::vector<Homework> const& due_that_day, long long except_id);

// One day of the load table of a class's week.
struct DayLoad {
    long long day { 0 };
    std::size_t items { 0 };
    long long minutes { 0 };
    std::vector<std::string> subjects;
    bool busy() const { return items >= BUSY_DAY_ITEMS || minutes >= BUSY_DAY_MINUTES; }
};
std::vector<DayLoad> week_load(std::vector<Homework> const& homework, long long monday);

// « Vu le 28/11/2026 par Philippe GARNIER »
std::string visa_text(store::Visa const& visa);
view::List visa_list(std::vector<store::Visa> const& visas);

ErrorOr<void> declare_direction_capabilities(access::CapabilityRegistry&);
std::vector<http::Route> direction_routes();
// The week's load page of a class for its teachers (and the direction).
ErrorOr<http::Response> show_workload(Context& context);

} // namespace cartable::lesson_book

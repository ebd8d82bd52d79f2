// SPDX-License-Identifier: AGPL-3.0-or-later
// What the roll call's and the desk's pages share: paths, French texts of
// days and hours, checks of typed text and numbers.
#pragma once

#include "core/context.h"
#include "core/http/router.h"
#include "core/school_time.h"
#include "core/validate.h"
#include "core/view/view.h"
#include "services/attendance/attendance_store.h"
#include <cctype>
#include <charconv>
#include <optional>
#include <string>
#include <string_view>

namespace cartable::attendance {

inline constexpr char const* DESK_PATH = "/vie-scolaire/bureau";
inline constexpr char const* NO_STUDENT = "Cet élève n'existe pas ou vous ne suivez pas sa scolarité.";

inline long long today_of(Context const& context)
{
    return school_time::day_of_unix(context.now);
}

// The day a page shows: « ?jour=2026-11-30 », today when none is asked.
inline ErrorOr<long long> asked_day(Context const& context)
{
    auto const asked = context.request.query.get("jour");
    if (asked.empty())
        return today_of(context);
    auto const parsed = school_time::parse_day(asked);
    if (!parsed)
        return Error::invalid("Cette date n'est pas valide.", "bad day");
    return *parsed;
}

inline std::string student_path(long long student_id)
{
    return "/vie-scolaire/eleves/" + std::to_string(student_id);
}

inline std::string event_path(long long event_id)
{
    return "/vie-scolaire/evenements/" + std::to_string(event_id);
}

// « 08:00 – 10:00 »
inline std::string hours_text(long long start, long long end)
{
    return school_time::clock(start) + " – " + school_time::clock(end);
}

// « Lundi 30 novembre 2026 »
inline std::string day_title(long long day)
{
    auto text = school_time::long_day(day);
    if (!text.empty())
        text[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(text[0])));
    return text;
}

// A whole number typed in a form, within [low, high]; nothing otherwise.
inline std::optional<long long> number_in(std::string_view typed, long long low, long long high)
{
    long long value = 0;
    auto const* end = typed.data() + typed.size();
    auto [stop, failure] = std::from_chars(typed.data(), end, value);
    if (typed.empty() || failure != std::errc() || stop != end || value < low || value > high)
        return std::nullopt;
    return value;
}

// A plain text of a form (a comment, a place, a description): valid UTF-8
// without control characters but line breaks and tabs, at most `max`
// characters. The French reason it is refused, or nothing.
inline std::optional<std::string> text_refusal(std::string const& text, std::size_t max, std::string const& what)
{
    if (!validate::is_utf8(text))
        return what + " contient des caractères illisibles : retapez-le.";
    for (char const c : text) {
        auto const byte = static_cast<unsigned char>(c);
        if ((byte < 0x20 && c != '\n' && c != '\r' && c != '\t') || byte == 0x7f)
            return what + " contient des caractères non autorisés.";
    }
    if (validate::character_count(text) > max)
        return what + " ne doit pas dépasser " + std::to_string(max) + " caractères.";
    return std::nullopt;
}

// The students of a form's select, by class: [{label, students [{id, name, selected}]}].
view::List student_groups(std::vector<StudentEntry> const& students, std::vector<long long> const& selected);

// attendance_discipline.cpp: incidents, punishments, « Paramètres ».
std::vector<http::Route> discipline_routes();

} // namespace cartable::attendance

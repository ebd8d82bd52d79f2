// SPDX-License-Identifier: AGPL-3.0-or-later
// The periods of a structure's school year: trimestres or semestres. The
// évaluations (averages, relevés, bulletins) and the vie scolaire (half-days
// missed per period) share them.
#pragma once

#include "core/error.h"
#include <optional>
#include <soci/soci.h>
#include <string>
#include <vector>

namespace cartable::school {

struct Period {
    long long id { 0 };
    long long structure_id { 0 };
    std::string school_year; // « 2026-2027 »
    int position { 0 }; // 1, 2, 3
    std::string label; // « Trimestre 1 »
    long long first_day { 0 }; // days since 1970-01-01, included
    long long last_day { 0 }; // included
};

enum class Division { Trimestres, Semestres };

// « 2026-2027 »: the school year (1 September to 31 August) of a day.
std::string school_year_of_day(long long day);
// 1 September of the school year of a day.
long long school_year_first_day(long long day);

// The periods a structure gets when it set none: trimestres 1 Sept – 30 Nov,
// 1 Dec – 15 March, 16 March – 31 Aug (where the council of the third sits
// in June); semestres 1 Sept – 31 Jan, 1 Feb – 31 Aug.
std::vector<Period> default_periods(long long structure_id, long long day, Division);

// The structure's periods of the school year of `day`, by position; the
// default trimestres, stored, when it has none yet.
std::vector<Period> periods_of(soci::session&, long long structure_id, long long day);
// The period of that day (every day of a year falls in one).
Period period_containing(soci::session&, long long structure_id, long long day);
std::optional<Period> find_period(soci::session&, long long period_id);

// Replaces the periods of a school year (the administrator's « Périodes »),
// in the caller's transaction:
// Invalid, with a French message, unless they follow each other without gap
// or overlap from 1 September to 31 August, each first_day <= last_day with
// a label. Periods already used keep their id (matched by position);
// Conflict when a period dropped has assessments.
ErrorOr<void> set_periods(soci::session&, long long structure_id, std::vector<Period> const&);

} // namespace cartable::school

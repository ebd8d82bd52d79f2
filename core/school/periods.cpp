// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/school/periods.h"
#include "core/db/row.h"
#include "core/school_time.h"
#include <algorithm>

namespace cartable::school {

namespace {

int school_year_start_year(long long day)
{
    auto const date = school_time::civil_from_days(day);
    return date.month >= 9 ? date.year : date.year - 1;
}

long long day_of(int year, int month, int day_of_month)
{
    return school_time::days_from_civil({ year, month, day_of_month });
}

std::vector<Period> read_periods(soci::session& session, long long structure_id, std::string const& year)
{
    std::vector<Period> periods;
    soci::rowset<soci::row> rows = (session.prepare << "SELECT id, position, label, first_day, last_day FROM "
                                                       "school_period WHERE structure_id = :structure AND "
                                                       "school_year = :year ORDER BY position",
        soci::use(structure_id), soci::use(year));
    for (auto const& row : rows) {
        Period period;
        period.id = db::integer_at(row, 0);
        period.structure_id = structure_id;
        period.school_year = year;
        period.position = static_cast<int>(db::integer_at(row, 1));
        period.label = row.get<std::string>(2);
        period.first_day = db::integer_at(row, 3);
        period.last_day = db::integer_at(row, 4);
        periods.push_back(std::move(period));
    }
    return periods;
}

} // namespace

std::string school_year_of_day(long long day)
{
    auto const start = school_year_start_year(day);
    return std::to_string(start) + "-" + std::to_string(start + 1);
}

long long school_year_first_day(long long day)
{
    return day_of(school_year_start_year(day), 9, 1);
}

std::vector<Period> default_periods(long long structure_id, long long day, Division division)
{
    auto const start = school_year_start_year(day);
    auto const year = school_year_of_day(day);
    auto const last = day_of(start + 1, 8, 31);
    std::vector<Period> periods;
    auto add = [&](std::string label, long long first_day, long long last_day) {
        Period period;
        period.structure_id = structure_id;
        period.school_year = year;
        period.position = static_cast<int>(periods.size()) + 1;
        period.label = std::move(label);
        period.first_day = first_day;
        period.last_day = last_day;
        periods.push_back(std::move(period));
    };
    if (division == Division::Semestres) {
        add("Semestre 1", day_of(start, 9, 1), day_of(start + 1, 1, 31));
        add("Semestre 2", day_of(start + 1, 2, 1), last);
    } else {
        add("Trimestre 1", day_of(start, 9, 1), day_of(start, 11, 30));
        add("Trimestre 2", day_of(start, 12, 1), day_of(start + 1, 3, 15));
        add("Trimestre 3", day_of(start + 1, 3, 16), last);
    }
    return periods;
}

std::vector<Period> periods_of(soci::session& session, long long structure_id, long long day)
{
    auto const year = school_year_of_day(day);
    auto periods = read_periods(session, structure_id, year);
    if (!periods.empty())
        return periods;
    for (auto const& period : default_periods(structure_id, day, Division::Trimestres)) {
        session << "INSERT INTO school_period (structure_id, school_year, position, label, first_day, last_day) "
                   "VALUES (:structure, :year, :position, :label, :first, :last) ON CONFLICT (structure_id, "
                   "school_year, position) DO NOTHING",
            soci::use(structure_id), soci::use(year), soci::use(static_cast<long long>(period.position)),
            soci::use(period.label), soci::use(period.first_day), soci::use(period.last_day);
    }
    return read_periods(session, structure_id, year);
}

Period period_containing(soci::session& session, long long structure_id, long long day)
{
    auto periods = periods_of(session, structure_id, day);
    for (auto& period : periods)
        if (day >= period.first_day && day <= period.last_day)
            return std::move(period);
    // A year whose periods were set to leave a gap is refused by set_periods;
    // the last one stands for any day after it.
    return periods.back();
}

std::optional<Period> find_period(soci::session& session, long long period_id)
{
    Period period;
    long long position = 0;
    soci::indicator found = soci::i_null;
    session << "SELECT id, structure_id, school_year, position, label, first_day, last_day FROM school_period WHERE "
               "id = :id",
        soci::use(period_id), soci::into(period.id, found), soci::into(period.structure_id),
        soci::into(period.school_year), soci::into(position), soci::into(period.label), soci::into(period.first_day),
        soci::into(period.last_day);
    if (!session.got_data() || found == soci::i_null)
        return std::nullopt;
    period.position = static_cast<int>(position);
    return period;
}

ErrorOr<void> set_periods(soci::session& session, long long structure_id, std::vector<Period> const& periods)
{
    if (periods.empty() || periods.size() > 6)
        return Error::invalid("Indiquez entre une et six périodes.");
    auto const year_first = school_year_first_day(periods.front().first_day);
    auto const year = school_year_of_day(periods.front().first_day);
    auto expected_first = year_first;
    for (auto const& period : periods) {
        if (period.label.empty() || period.label.size() > 60)
            return Error::invalid("Chaque période a un nom (60 caractères au plus).");
        if (period.last_day < period.first_day)
            return Error::invalid("La période « " + period.label + " » se termine avant de commencer.");
        if (period.first_day != expected_first)
            return Error::invalid("La période « " + period.label
                + " » doit commencer le lendemain de la précédente (le 1er septembre pour la première).");
        expected_first = period.last_day + 1;
    }
    if (expected_first != day_of(school_year_start_year(year_first) + 1, 9, 1))
        return Error::invalid("La dernière période doit se terminer le 31 août.");

    periods_of(session, structure_id, year_first); // the stored rows, matched by position
    // Periods dropped must not be used (the évaluations refer to them): the
    // database refuses, and the savepoint keeps the transaction usable.
    auto const count = static_cast<long long>(periods.size());
    session << "SAVEPOINT school_periods";
    try {
        session << "DELETE FROM school_period WHERE structure_id = :structure AND school_year = :year AND position > "
                   ":count",
            soci::use(structure_id), soci::use(year), soci::use(count);
        session << "RELEASE SAVEPOINT school_periods";
    } catch (soci::soci_error const&) {
        session << "ROLLBACK TO SAVEPOINT school_periods";
        session << "RELEASE SAVEPOINT school_periods";
        return Error::conflict("Une période qui a déjà des évaluations ne peut pas être supprimée.");
    }
    long long position = 0;
    for (auto const& period : periods) {
        ++position;
        session << "INSERT INTO school_period (structure_id, school_year, position, label, first_day, last_day) "
                   "VALUES (:structure, :year, :position, :label, :first, :last) ON CONFLICT (structure_id, "
                   "school_year, position) DO UPDATE SET label = excluded.label, first_day = excluded.first_day, "
                   "last_day = excluded.last_day",
            soci::use(structure_id), soci::use(year), soci::use(position), soci::use(period.label),
            soci::use(period.first_day), soci::use(period.last_day);
    }
    return {};
}

} // namespace cartable::school

// SPDX-License-Identifier: AGPL-3.0-or-later
// What the vie scolaire's tests share: the demo's lessons moved to the day
// a test needs (the demo timetable runs Monday to Friday; a test may run
// on a Sunday), paths, counts.
#pragma once

#include "app/demo_school.h"
#include "core/school_time.h"
#include "tests/support/app_driver.h"
#include <ctime>
#include <string>

namespace cartable::testing::attendance_fixture {

inline long long today()
{
    return school_time::day_of_unix(static_cast<long long>(std::time(nullptr)));
}

// The Monday `weeks` weeks after this week's.
inline long long monday_in(int weeks)
{
    auto const day = today();
    return day - school_time::weekday(day) + 7LL * weeks;
}

// The demo's slot of a class on a weekday (0: lundi) at an hour, 0 if none.
inline long long demo_slot(AppDriver& driver, std::string const& class_name, int weekday, long long start_minute)
{
    auto lease = driver.services().database->lease();
    long long id = 0;
    long long const day = weekday;
    lease.session() << "SELECT s.id FROM timetable_slot s JOIN identity_class c ON c.id = s.class_id WHERE c.name = "
                       ":name AND s.weekday = :weekday AND s.start_minute = :start",
        soci::use(class_name), soci::use(day), soci::use(start_minute), soci::into(id);
    return id;
}

// Samuel BEAUMONT's ÉCONOMIE-GESTION of TPRO, Monday 08:00–10:00.
inline long long samuel_tpro_slot(AppDriver& driver)
{
    return demo_slot(driver, "TPRO", 0, 8 * 60);
}

// Moves the slot's lesson of `slot_day` to `day`, from `start` to `end`
// (a change of the timetable), or cancels it.
inline void move_lesson(
    AppDriver& driver, long long slot, long long slot_day, long long day, long long start, long long end)
{
    auto lease = driver.services().database->lease();
    lease.session() << "INSERT INTO timetable_change (slot_id, day, new_day, new_start, new_end, note, created_at) "
                       "VALUES (:slot, :day, :new_day, :start, :end, 'Cours déplacé', 0)",
        soci::use(slot), soci::use(slot_day), soci::use(day), soci::use(start), soci::use(end);
}

inline void cancel_lesson(AppDriver& driver, long long slot, long long slot_day)
{
    auto lease = driver.services().database->lease();
    lease.session() << "INSERT INTO timetable_change (slot_id, day, cancelled, note, created_at) VALUES (:slot, :day, "
                       "1, 'Professeur en formation', 0)",
        soci::use(slot), soci::use(slot_day);
}

inline std::string sheet_path(long long slot, long long slot_day)
{
    return "/vie-scolaire/appel/" + std::to_string(slot) + "/" + school_time::iso_day(slot_day);
}

// Signed in, the Accueil read (so the next POST knows the CSRF token): the sign-in's status.
inline int sign_in_as(AppDriver& driver, std::string const& login)
{
    driver.forget_cookies();
    auto const status = driver.sign_in(login, app::DEMO_PASSWORD).status;
    driver.get("/accueil");
    return status;
}

// A French text as a page shows it (the templates escape the apostrophe).
inline std::string html(std::string text)
{
    for (std::size_t at = text.find('\''); at != std::string::npos; at = text.find('\'', at + 5))
        text.replace(at, 1, "&#39;");
    return text;
}

inline long long count_of(AppDriver& driver, std::string const& sql)
{
    return query_value(driver, sql);
}

} // namespace cartable::testing::attendance_fixture

// SPDX-License-Identifier: AGPL-3.0-or-later
// The roll call through its routes: Samuel BEAUMONT calls the roll of TPRO,
// corrects it the same day, is refused the day after where the CPE may; a
// cancelled lesson has no call; « Appels non faits » after 15 minutes (at
// store level, with its own `now`). Both engines.
#include "services/attendance/attendance_store.h"
#include "tests/store/attendance_fixture.h"
#include <gtest/gtest.h>

using namespace cartable;
using namespace cartable::testing::attendance_fixture;
using cartable::testing::AppDriver;
using cartable::testing::contains;
using cartable::testing::query_value;
using cartable::testing::rows_of_tables;
using cartable::testing::user_id;

namespace {

struct Roll {
    long long slot { 0 };
    long long slot_day { 0 };
    std::string path;
    long long louis { 0 };
    long long lucas { 0 };
    long long emma { 0 };
};

// Samuel's Monday lesson of TPRO, moved to `day` (8:00–10:00).
Roll roll_on(AppDriver& driver, long long day, int weeks_ahead)
{
    Roll roll;
    roll.slot = samuel_tpro_slot(driver);
    roll.slot_day = monday_in(weeks_ahead);
    move_lesson(driver, roll.slot, roll.slot_day, day, 8 * 60, 10 * 60);
    roll.path = sheet_path(roll.slot, roll.slot_day);
    roll.louis = user_id(driver, "louis.chamson");
    roll.lucas = user_id(driver, "lucas.martin");
    roll.emma = user_id(driver, "emma.roux");
    return roll;
}

long long call_events(AppDriver& driver, Roll const& roll, std::string const& condition = "1 = 1")
{
    return query_value(driver,
        "SELECT COUNT(*) FROM attendance_event e JOIN attendance_call c ON c.id = e.call_id WHERE c.slot_id = "
            + std::to_string(roll.slot) + " AND c.slot_day = " + std::to_string(roll.slot_day) + " AND " + condition);
}

http::Response post_call(AppDriver& driver, Roll const& roll, std::vector<std::pair<std::string, std::string>> marks)
{
    driver.get(roll.path);
    marks.emplace_back("csrf", driver.csrf_token());
    return driver.post(roll.path, marks);
}

} // namespace

TEST(AttendanceCall, TeacherTakesTheCallOfTodayAndCorrectsIt)
{
    AppDriver driver;
    auto const roll = roll_on(driver, today(), 3);
    ASSERT_NE(roll.slot, 0);
    ASSERT_EQ(sign_in_as(driver, "samuel.beaumont"), 303);
    auto list = driver.get("/vie-scolaire/appel");
    ASSERT_EQ(list.status, 200);
    EXPECT_TRUE(contains(list.body, "Faire l'appel"));
    EXPECT_TRUE(contains(list.body, roll.path)) << "today's lesson offers its call";
    EXPECT_TRUE(contains(list.body, "Appel à faire"));
    auto sheet = driver.get(roll.path);
    ASSERT_EQ(sheet.status, 200);
    EXPECT_TRUE(contains(sheet.body, "<legend>CHAMSON Louis</legend>"));
    EXPECT_TRUE(contains(sheet.body, "Minutes de retard"));
    EXPECT_TRUE(contains(sheet.body, "Valider l'appel"));
    // Louis absent, Lucas 10 minutes late, the others present.
    auto const louis = std::to_string(roll.louis);
    auto const lucas = std::to_string(roll.lucas);
    auto taken = post_call(
        driver, roll, { { "eleve-" + louis, "absent" }, { "eleve-" + lucas, "retard" }, { "minutes-" + lucas, "10" } });
    ASSERT_EQ(taken.status, 303) << taken.body;
    EXPECT_EQ(taken.header("Location"), "/vie-scolaire/appel?fait=appel");
    EXPECT_TRUE(contains(driver.get("/vie-scolaire/appel?fait=appel").body, "Appel validé"));
    EXPECT_EQ(call_events(driver, roll), 2);
    EXPECT_EQ(
        call_events(driver, roll, "e.student_id = " + louis + " AND e.kind = 'absence' AND e.state = 'non_justifiee'"),
        1);
    EXPECT_EQ(call_events(driver, roll, "e.student_id = " + lucas + " AND e.kind = 'retard' AND e.minutes = 10"), 1);
    EXPECT_EQ(call_events(driver, roll,
                  "e.day = " + std::to_string(today()) + " AND e.start_minute = 480 AND e.end_minute = 600"),
        2);
    auto const samuel = user_id(driver, "samuel.beaumont");
    EXPECT_EQ(query_value(driver,
                  "SELECT done_by FROM attendance_call WHERE slot_id = " + std::to_string(roll.slot)
                      + " AND done_at > 0 AND updated_at = 0"),
        samuel);
    EXPECT_TRUE(contains(driver.get("/vie-scolaire/appel").body, "Appel fait à"));
    // The sheet shows what was recorded.
    sheet = driver.get(roll.path);
    EXPECT_TRUE(contains(
        sheet.body, "id=\"eleve-" + louis + "-absent\" name=\"eleve-" + louis + "\" value=\"absent\" checked"));
    EXPECT_TRUE(contains(sheet.body, "value=\"10\""));

    // Corrected the same day: Louis was there after all, Lucas only 5 minutes late.
    auto corrected = post_call(driver, roll, { { "eleve-" + lucas, "retard" }, { "minutes-" + lucas, "5" } });
    ASSERT_EQ(corrected.status, 303);
    EXPECT_EQ(call_events(driver, roll), 1);
    EXPECT_EQ(call_events(driver, roll, "e.student_id = " + lucas + " AND e.minutes = 5"), 1);
    EXPECT_EQ(query_value(driver,
                  "SELECT updated_by FROM attendance_call WHERE slot_id = " + std::to_string(roll.slot)
                      + " AND updated_at > 0"),
        samuel);

    // An absence a family justified stays: the teacher cannot remove it.
    ASSERT_EQ(post_call(driver, roll, { { "eleve-" + louis, "absent" } }).status, 303);
    {
        auto lease = driver.services().database->lease();
        lease.session() << "UPDATE attendance_event SET state = 'justifiee' WHERE student_id = :louis",
            soci::use(roll.louis);
    }
    auto const before = rows_of_tables(driver, "attendance%");
    auto refused = post_call(driver, roll, {});
    EXPECT_EQ(refused.status, 409);
    EXPECT_TRUE(contains(refused.body, html("L'absence de Louis CHAMSON est déjà justifiée par sa famille")));
    EXPECT_EQ(rows_of_tables(driver, "attendance%"), before);
    EXPECT_EQ(call_events(driver, roll, "e.student_id = " + louis), 1);
}

TEST(AttendanceCall, TheDayAfterOnlyTheVieScolaireCorrects)
{
    AppDriver driver;
    auto const roll = roll_on(driver, today() - 1, 4);
    auto const louis = std::to_string(roll.louis);
    ASSERT_EQ(sign_in_as(driver, "samuel.beaumont"), 303);
    auto sheet = driver.get(roll.path);
    ASSERT_EQ(sheet.status, 200);
    EXPECT_TRUE(contains(sheet.body, "L'appel ne se corrige que le jour du cours"));
    EXPECT_FALSE(contains(sheet.body, "Valider l'appel"));
    auto const before = rows_of_tables(driver, "attendance%");
    auto refused = post_call(driver, roll, { { "eleve-" + louis, "absent" } });
    EXPECT_EQ(refused.status, 403);
    EXPECT_TRUE(contains(refused.body, "demandez à la vie scolaire"));
    EXPECT_EQ(rows_of_tables(driver, "attendance%"), before);
    // The CPE corrects it.
    ASSERT_EQ(sign_in_as(driver, "nathalie.vidal"), 303);
    EXPECT_TRUE(contains(driver.get(roll.path).body, "Valider l'appel"));
    auto taken = post_call(driver, roll, { { "eleve-" + louis, "absent" } });
    ASSERT_EQ(taken.status, 303);
    EXPECT_EQ(taken.header("Location"), "/vie-scolaire/bureau?fait=appel");
    EXPECT_EQ(call_events(driver, roll, "e.student_id = " + louis), 1);
    EXPECT_EQ(query_value(driver, "SELECT done_by FROM attendance_call WHERE slot_id = " + std::to_string(roll.slot)),
        user_id(driver, "nathalie.vidal"));
}

TEST(AttendanceCall, OthersLessonsCancelledLessonsAndBadInput)
{
    AppDriver driver;
    auto const roll = roll_on(driver, today(), 5);
    auto const louis = std::to_string(roll.louis);
    auto const lucas = std::to_string(roll.lucas);
    auto const before = rows_of_tables(driver, "attendance%");
    // Marie DELMAS does not give this lesson: it does not exist for her.
    ASSERT_EQ(sign_in_as(driver, "marie.delmas"), 303);
    EXPECT_EQ(driver.get(roll.path).status, 404);
    EXPECT_EQ(post_call(driver, roll, { { "eleve-" + louis, "absent" } }).status, 404);
    // A slot that does not meet on that day, and nonsense.
    EXPECT_EQ(driver.get(sheet_path(roll.slot, roll.slot_day + 1)).status, 404);
    EXPECT_EQ(driver.get("/vie-scolaire/appel/abc/2026-13-45").status, 404);
    // Bad input: the message on the form, nothing written.
    ASSERT_EQ(sign_in_as(driver, "samuel.beaumont"), 303);
    auto bad = post_call(driver, roll, { { "eleve-" + lucas, "retard" }, { "minutes-" + lucas, "" } });
    EXPECT_EQ(bad.status, 400);
    EXPECT_TRUE(contains(bad.body, "Indiquez les minutes de retard de Lucas MARTIN"));
    EXPECT_TRUE(contains(bad.body, "value=\"retard\" checked")) << "what was typed stays";
    bad = post_call(driver, roll, { { "eleve-" + lucas, "retard" }, { "minutes-" + lucas, "-3" } });
    EXPECT_EQ(bad.status, 400);
    bad = post_call(driver, roll, { { "eleve-" + louis, "en vacances" } });
    EXPECT_EQ(bad.status, 400);
    EXPECT_TRUE(contains(bad.body, "Choisissez Présent, Absent, En retard ou Parti plus tôt"));
    EXPECT_EQ(rows_of_tables(driver, "attendance%"), before);
    // A cancelled lesson: « Annulé » in the list, no call.
    auto const cancelled_day = monday_in(6);
    cancel_lesson(driver, roll.slot, cancelled_day);
    auto const cancelled_path = sheet_path(roll.slot, cancelled_day);
    auto list = driver.get("/vie-scolaire/appel?jour=" + school_time::iso_day(cancelled_day));
    ASSERT_EQ(list.status, 200);
    EXPECT_TRUE(contains(list.body, "Annulé"));
    EXPECT_TRUE(contains(driver.get(cancelled_path).body, "Ce cours est annulé"));
    driver.get(cancelled_path);
    auto refused = driver.post(cancelled_path, { { "csrf", driver.csrf_token() }, { "eleve-" + louis, "absent" } });
    EXPECT_EQ(refused.status, 409);
    EXPECT_TRUE(contains(refused.body, "Ce cours est annulé"));
    // A lesson of next week: not before its day.
    auto const next = sheet_path(roll.slot, monday_in(7));
    driver.get(next);
    EXPECT_EQ(driver.post(next, { { "csrf", driver.csrf_token() }, { "eleve-" + louis, "absent" } }).status, 403);
    EXPECT_EQ(rows_of_tables(driver, "attendance%"), before);
}

TEST(AttendanceCall, CallsNotDoneAfterFifteenMinutes)
{
    AppDriver driver;
    auto const day = today();
    auto const noon = school_time::unix_from_local(day * school_time::MINUTES_PER_DAY + 12 * 60);
    auto const samuel_slot = samuel_tpro_slot(driver);
    auto const marie_slot = demo_slot(driver, "TPRO", 0, 10 * 60 + 15);
    auto const julien_slot = demo_slot(driver, "TPRO", 0, 14 * 60);
    ASSERT_NE(marie_slot, 0);
    ASSERT_NE(julien_slot, 0);
    auto const slot_day = monday_in(8);
    move_lesson(driver, samuel_slot, slot_day, day, 11 * 60 + 40, 12 * 60 + 40); // began 20 minutes ago
    move_lesson(driver, marie_slot, slot_day, day, 11 * 60 + 50, 12 * 60 + 50); // 10 minutes ago
    move_lesson(driver, julien_slot, slot_day, day, 11 * 60 + 30, 12 * 60 + 30); // 30 minutes ago, then cancelled
    {
        auto lease = driver.services().database->lease();
        lease.session() << "UPDATE timetable_change SET cancelled = 1 WHERE slot_id = :slot AND day = :day",
            soci::use(julien_slot), soci::use(slot_day);
    }
    auto const structure
        = query_value(driver, "SELECT structure_id FROM identity_user WHERE login = 'samuel.beaumont'");
    auto missing_slots = [&] {
        auto lease = driver.services().database->lease();
        std::vector<long long> slots;
        for (auto const& lesson : attendance::calls_not_done(lease.session(), structure, noon))
            if (lesson.slot_day == slot_day)
                slots.push_back(lesson.slot_id);
        return slots;
    };
    EXPECT_EQ(missing_slots(), std::vector<long long> { samuel_slot });
    // Once its call is done, it is no longer listed.
    {
        auto lease = driver.services().database->lease();
        auto lesson = timetable::lesson(lease.session(), samuel_slot, slot_day);
        ASSERT_TRUE(lesson);
        auto const recorded = attendance::record_call(lease.session(), *lesson, {}, user_id(driver, "samuel.beaumont"),
            noon, attendance::JustifiedAbsences::Keep);
        ASSERT_FALSE(recorded.is_error());
    }
    EXPECT_TRUE(missing_slots().empty());
}
